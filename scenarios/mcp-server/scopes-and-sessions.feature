@mcp-server
Feature: MCP server: step-up and sessions
  A tool that needs more than the token's scope is refused (RFC 6749 §7: MUST), with 403
  insufficient_scope and the scope to ask for (RFC 6750 §3.1; MCP 2025-11-25 Authorization,
  Scope Challenge Handling: SHOULD), so the client can step up. A session id is not
  authentication: every request carries a valid token (MCP 2025-06-18 Security Best Practices,
  Session Hijacking: MUST), and binding a session to the user who opened it, so that another
  user's token cannot drive it, is that section's SHOULD. A call the server makes upstream on a
  user's behalf uses the server's own credential, never the user's token (Token Passthrough: the
  runner hands the server's upstream tool a recording API and reads what it received).

  @must
  Scenario: A tool needing a higher scope gets a step-up challenge
    Given a token for alice for the MCP server
    When alice initializes an MCP session
    And alice calls the write tool in her session
    Then check "mcp.step-up.refused" MUST (RFC 6749 §7; MCP 2025-11-25 Authorization, Scope Challenge Handling): the MCP server refuses the tool call
      """
      The resource server MUST validate the access token and ensure that it has not expired and that its scope covers the requested resource.
      """
    And check "mcp.step-up.403" SHOULD (RFC 6750 §3.1; MCP 2025-11-25 Authorization, Scope Challenge Handling): the response is 403 insufficient_scope naming the scope
      """
      When a client makes a request with an access token with insufficient scope during runtime operations, the server SHOULD respond with: HTTP 403 Forbidden status code (per RFC 6750 Section 3.1) ... error="insufficient_scope" ... scope="required_scope1 required_scope2" - specifying the minimum scopes needed for the operation
      """

  @should
  Scenario: bob's token cannot drive alice's session
    Given a token for alice for the MCP server
    And a token for bob for the MCP server
    When alice initializes an MCP session
    And bob calls the read tool in alice's session
    Then check "mcp.session.bound-to-user" SHOULD (MCP 2025-06-18 Security Best Practices, Session Hijacking): the resource server refuses the request
      """
      MCP servers SHOULD bind session IDs to user-specific information.
      """
    And check "mcp.session.no-5xx" MUST (MCP 2025-06-18 Authorization §Error Handling; RFC 9110 §15.6): the response is not a server error
      """
      Servers MUST return appropriate HTTP status codes for authorization errors: ... 401 | Unauthorized | Authorization required or token invalid ... 403 | Forbidden | Invalid scopes or insufficient permissions
      """

  @must
  Scenario: A session id without a token opens no event stream
    Given a token for alice for the MCP server
    When alice initializes an MCP session
    And the client opens an event stream in alice's session without credentials
    Then check "mcp.sse.no-stream-without-token" MUST (MCP 2025-06-18 Security Best Practices, Session Hijacking; MCP 2025-06-18 Authorization §Token Handling): no event stream was opened
      """
      MCP servers that implement authorization MUST verify all inbound requests.
      """
    And check "mcp.sse.401" MUST (MCP 2025-06-18 Authorization §Error Handling): the response status is 401
      """
      Servers MUST return appropriate HTTP status codes for authorization errors: ... 401 | Unauthorized | Authorization required or token invalid
      """

  @must
  Scenario: An upstream call made for alice never carries alice's token
    Given a token for alice for the MCP server
    When alice initializes an MCP session
    And alice calls the upstream tool in her session, pointing it at a recording API
    Then check "mcp.upstream.called" POLICY (authconform: the profile's upstream tool calls the URL it is given): the upstream API was called
      """
      POLICY: a precondition of this suite, not a requirement of any spec: the profile's upstream tool must reach the recording API, or the token-passthrough check below has nothing to judge. No sentence obliges an MCP server to call upstream at all ("If the MCP server makes requests to upstream APIs, it may act as an OAuth client to them").
      """
    And check "mcp.upstream.no-passthrough" MUST (MCP 2025-06-18 Security Best Practices, Token Passthrough; MCP 2025-06-18 Authorization §Access Token Privilege Restriction): the upstream API never received alice's token
      """
      The MCP server MUST NOT pass through the token it received from the MCP client.
      """

  @must
  Scenario: A token without the server's read scope is refused with the scope to ask for
    Given a token for alice for the MCP server without its read scope
    When alice initializes an MCP session
    Then check "mcp.scope.read-refused" MUST (RFC 6749 §7; MCP 2025-06-18 Authorization §Error Handling): the resource server refuses the request
      """
      The resource server MUST validate the access token and ensure that it has not expired and that its scope covers the requested resource.
      """
    And check "mcp.scope.read-403" SHOULD (RFC 6750 §3.1; MCP 2025-11-25 Authorization, Scope Challenge Handling): the response is 403 insufficient_scope naming the scope
      """
      The resource server SHOULD respond with the HTTP 403 (Forbidden) status code and MAY include the "scope" attribute with the scope necessary to access the protected resource.
      """

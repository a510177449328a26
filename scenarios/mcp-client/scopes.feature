@mcp-client
Feature: MCP client: which scope to ask for, and step-up
  MCP 2025-11-25 (Authorization, Scope Selection Strategy): a client SHOULD ask for the scope of
  the 401 challenge, else every scope in the protected resource metadata's scopes_supported,
  else no scope. On 403 insufficient_scope a client acting for a user SHOULD re-authorize for
  the scope the challenge names (Scope Challenge Handling, Step-Up Authorization Flow), and
  SHOULD limit its retries; that it then reports the failure is this suite's policy.

  @should
  Scenario: The client asks for the scope the challenge names
    When the MCP client under test connects (conformance scenario "auth/scope-from-www-authenticate")
    Then check "mcp-client.scope.from-challenge.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the client used the MCP server with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """
    And check "mcp-client.scope.from-challenge" SHOULD (MCP 2025-11-25 Authorization, Scope Selection Strategy): the first authorization request asks for the challenge's scope
      """
      During the initial authorization handshake, MCP clients SHOULD follow this priority order for scope selection: 1. Use scope parameter from the initial WWW-Authenticate header in the 401 response, if provided
      """

  @should
  Scenario: Without a scope in the challenge, the client asks for every scope the metadata supports
    Given the MCP server's challenge names no scope
    When the MCP client under test connects (conformance scenario "auth/scope-from-scopes-supported")
    Then check "mcp-client.scope.from-metadata.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the client used the MCP server with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """
    And check "mcp-client.scope.from-metadata" SHOULD (MCP 2025-11-25 Authorization, Scope Selection Strategy): the first authorization request asks for every scope the metadata supports
      """
      During the initial authorization handshake, MCP clients SHOULD follow this priority order for scope selection: ... 2. If scope is not available, use all scopes defined in scopes_supported from the Protected Resource Metadata document, omitting the scope parameter if scopes_supported is undefined.
      """

  @should
  Scenario: With no scope anywhere, the client asks for none
    Given the MCP server's challenge names no scope
    And the protected resource metadata lists no scopes
    When the MCP client under test connects (conformance scenario "auth/scope-omitted-when-undefined")
    Then check "mcp-client.scope.omitted" SHOULD (MCP 2025-11-25 Authorization, Scope Selection Strategy): the first authorization request carries no scope
      """
      During the initial authorization handshake, MCP clients SHOULD follow this priority order for scope selection: ... 2. If scope is not available, use all scopes defined in scopes_supported from the Protected Resource Metadata document, omitting the scope parameter if scopes_supported is undefined.
      """

  @should
  Scenario: On 403 insufficient_scope the client steps up to the scope it names
    Given every tool needs the write scope
    When the MCP client under test connects (conformance scenario "auth/scope-step-up")
    Then check "mcp-client.step-up.scope" SHOULD (MCP 2025-11-25 Authorization, Step-Up Authorization Flow): after the 403 the client asked for the scope it named
      """
      Clients acting on behalf of a user SHOULD attempt the step-up authorization flow.
      """
    And check "mcp-client.step-up.completes" SHOULD (MCP 2025-11-25 Authorization, Step-Up Authorization Flow): the client called a tool with a token the server accepted
      """
      Clients SHOULD respond to these errors by requesting a new access token with an increased set of scopes via a step-up authorization flow or handle the errors in other, appropriate ways.
      """

  @should
  Scenario: A step-up that never satisfies the server is given up after a few attempts
    Given the MCP server refuses every tool call for want of scope, whatever the token
    When the MCP client under test connects (conformance scenario "auth/scope-retry-limit")
    Then check "mcp-client.step-up.bounded" SHOULD (MCP 2025-11-25 Authorization, Step-Up Authorization Flow): the client made at most 3 step-up attempts
      """
      Clients SHOULD implement retry limits and SHOULD track scope upgrade attempts to avoid repeated failures for the same resource and operation combination.
      """
    And check "mcp-client.step-up.reported" POLICY (MCP 2025-11-25 Authorization, Step-Up Authorization Flow: retry limits): the client reported the failure
      """
      POLICY: a client that gives up stepping up says so rather than ending silently. The closest sentence, step 4 of the Step-Up Authorization Flow, has no keyword: "Retry the original request with the new authorization no more than a few times and treat this as a permanent authorization failure".
      """

@mcp-server
Feature: MCP server: Origin and protocol version
  MCP Streamable HTTP (2025-06-18, Transports): servers MUST validate the Origin header to
  prevent DNS rebinding, and answer an invalid Origin with 403 (2025-11-25); a request with an
  invalid or unsupported MCP-Protocol-Version MUST get 400 Bad Request. The deprecated HTTP+SSE
  transport (2024-11-05) carries no authorization of its own: a server that requires authorization
  refuses it or protects it equally, so no stream opens without a token (a policy check).

  @must
  Scenario: A request from a foreign Origin is refused with 403
    Given a token for alice for the MCP server
    When alice initializes an MCP session from the Origin "https://evil.example"
    Then check "mcp.origin.403" MUST (MCP 2025-06-18 Transports §Security Warning; MCP 2025-11-25 Transports): the response status is 403
      """
      Servers MUST validate the Origin header on all incoming connections to prevent DNS rebinding attacks ... If the Origin header is present and invalid, servers MUST respond with HTTP 403 Forbidden.
      """

  @must
  Scenario: An unsupported MCP-Protocol-Version is refused with 400
    Given a token for alice for the MCP server
    When alice initializes an MCP session
    And alice calls the read tool in her session with MCP-Protocol-Version "1999-01-01"
    Then check "mcp.protocol-version.400" MUST (MCP 2025-06-18 Transports §Protocol Version Header): the response status is 400
      """
      If the server receives a request with an invalid or unsupported MCP-Protocol-Version, it MUST respond with 400 Bad Request.
      """

  @policy
  Scenario: The legacy HTTP+SSE endpoint opens no stream without a token
    When the client opens the legacy SSE endpoint without credentials
    Then check "mcp.legacy-sse.no-stream" POLICY (MCP 2025-06-18 Authorization §Token Handling; authconform: the deprecated HTTP+SSE transport carries no authorization, so a server requiring it refuses the transport or protects it equally): no event stream was opened
      """
      POLICY: the deprecated HTTP+SSE transport (2024-11-05) has no authorization in any MCP revision, so no sentence speaks of protecting it; a server that requires authorization should refuse it or protect it like its MCP endpoint. The closest sentence is MCP 2025-06-18 Security Best Practices, Session Hijacking: "MCP servers that implement authorization MUST verify all inbound requests."
      """
    And check "mcp.legacy-sse.401" POLICY (RFC 6750 §3; RFC 9110 §15.5.2): the response status is 401
      """
      POLICY: which status refuses the legacy endpoint is this suite's choice (a server may as well not serve it: 404, 405). The closest sentence is MCP 2025-06-18 Authorization, Error Handling: "Servers MUST return appropriate HTTP status codes for authorization errors", 401 meaning "Authorization required or token invalid".
      """

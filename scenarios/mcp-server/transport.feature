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

  @must
  Scenario: An unsupported MCP-Protocol-Version is refused with 400
    Given a token for alice for the MCP server
    When alice initializes an MCP session with MCP-Protocol-Version "1999-01-01"
    Then check "mcp.protocol-version.400" MUST (MCP 2025-06-18 Transports §Protocol Version Header): the response status is 400

  @policy
  Scenario: The legacy HTTP+SSE endpoint opens no stream without a token
    When the client opens the legacy SSE endpoint without credentials
    Then check "mcp.legacy-sse.no-stream" POLICY (MCP 2025-06-18 Authorization §Token Handling; authconform: the deprecated HTTP+SSE transport carries no authorization, so a server requiring it refuses the transport or protects it equally): no event stream was opened
    And check "mcp.legacy-sse.401" POLICY (RFC 6750 §3; RFC 9110 §15.5.2): the response status is 401

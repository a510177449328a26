@mcp-client
Feature: MCP client: where the token goes, and what happens when it expires
  MCP clients MUST send the access token in the Authorization header of every request to the
  MCP server and never in the URI query string (MCP 2025-11-25 Authorization, Access Token
  Usage; OAuth 2.1 §5.2; RFC 6750 §2.1, §5.3), and keep it for the resource it was issued for
  (RFC 8707 §2; MCP Security Best Practices, Token Passthrough). An expired token is renewed
  with the refresh token, naming the resource again (OAuth 2.1 §4.3; RFC 8707 §2.2); a refused
  refresh token (invalid_grant, OAuth 2.1 §3.2.4) leads to one clean re-authorization, not a
  loop. After a 401 the client authorizes; it never falls back to the legacy HTTP+SSE transport
  without a token.

  @must
  Scenario: The token travels in the Authorization header to the MCP server, never in a URL
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.token.header" MUST (MCP 2025-11-25 Authorization, Access Token Usage; OAuth 2.1 §5.2): every MCP request after the first token carries it in the Authorization header
    And check "mcp-client.token.not-in-url" MUST (MCP 2025-11-25 Authorization, Access Token Usage; RFC 6750 §2.3, §5.3): the access token never appears in a URL
    And check "mcp-client.token.only-to-mcp" POLICY (RFC 8707 §1; RFC 9700 §4.9; MCP Security Best Practices, Token Passthrough): the access token is sent to the MCP server only

  @must
  Scenario: After a 401 the client authorizes instead of trying the legacy SSE transport
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.transport.no-sse-fallback" MUST (MCP 2025-11-25 Authorization, Access Token Usage: authorization in every HTTP request; MCP 2025-11-25 Transports, Backwards Compatibility): the client never used the legacy SSE transport

  @must @refresh
  Scenario: An access token that expires mid-session is refreshed with the resource
    Given the access token expires once the client has listed the tools
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.refresh.completes" MUST (OAuth 2.1 §4.3; MCP 2025-11-25 Authorization, Token Handling): the client called a tool with a token the server accepted
    And check "mcp-client.refresh.used" SHOULD (OAuth 2.1 §4.3, §1.3.2): the client refreshed its token with the refresh_token grant
    And check "mcp-client.refresh.resource" MUST (RFC 8707 §2.2; MCP 2025-11-25 Authorization, Resource Parameter Implementation): every refresh request names the MCP server as its resource
    And check "mcp-client.refresh.token-only-to-mcp" POLICY (RFC 8707 §1; MCP Security Best Practices, Token Passthrough): the access token is sent to the MCP server only

  @policy @refresh
  Scenario: A refused refresh token leads to one clean re-authorization
    Given the access token expires once the client has listed the tools
    And the refresh token expires with it
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.refresh.invalid-grant.reauthorized-once" POLICY (OAuth 2.1 §3.2.4, §4.3): after invalid_grant the client authorized exactly once more
    And check "mcp-client.refresh.invalid-grant.completes" POLICY (OAuth 2.1 §4.3): the client called a tool with a token the server accepted

  @must @refresh
  Scenario: A rotated refresh token replaces the old one
    Given the access token expires twice: after the client's first notification and after it lists the tools
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.refresh.rotation.newest" MUST (RFC 6749 §6; OAuth 2.1 §4.3.1; RFC 9700 §4.14.2): every refresh request presents the newest refresh token
    And check "mcp-client.refresh.rotation.completes" MUST (OAuth 2.1 §4.3): the client called a tool with a token the server accepted

  @policy @refresh
  Scenario: With the MCP server on its own origin, the token never goes to the authorization server's
    Given the MCP server is published at an origin of its own, apart from its authorization server
    And the access token expires once the client has listed the tools
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.cross-origin.completes" MUST (MCP 2025-11-25 Authorization, Authorization Server Location; RFC 9728 §2): the client called a tool with a token the server accepted
    And check "mcp-client.cross-origin.resource" MUST (MCP 2025-11-25 Authorization, Resource Parameter Implementation; RFC 8707 §2): every authorization request names the MCP server as its resource
    And check "mcp-client.cross-origin.token-stays" POLICY (RFC 6750 §5.1; RFC 8707 §1; MCP Security Best Practices, Token Passthrough): the access token never goes to another origin than the MCP server's

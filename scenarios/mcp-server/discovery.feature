@mcp-server
Feature: MCP server: the 401 challenge and protected resource metadata
  An MCP server is an OAuth 2.1 resource server (MCP 2025-06-18 and 2025-11-25, Authorization).
  A request without a token gets 401 with a Bearer challenge (RFC 6750 §3); the challenge names
  the protected resource metadata (RFC 9728 §5.1: a MUST in MCP 2025-06-18; in 2025-11-25 the
  header or the well-known URL) and SHOULD carry the scope to ask for (MCP 2025-11-25, Scope
  Challenge Handling). The metadata (RFC 9728 §3) names the server itself as `resource`
  (§3.3: identical to the URL the client is protecting) and at least one authorization server
  (MCP: MUST).

  @must @rfc9728
  Scenario: A request without a token is challenged toward the protected resource metadata
    When the client initializes an MCP session without credentials
    Then check "mcp.no-credentials.401" MUST (MCP 2025-06-18 Authorization §Token Handling; RFC 6750 §3): the response status is 401
    And check "mcp.no-credentials.challenge" MUST (RFC 9110 §11.6.1; RFC 6750 §3): the response carries a Bearer challenge
    And check "mcp.no-credentials.no-error" SHOULD (RFC 6750 §3.1): the challenge has no error attribute
    And check "mcp.challenge.resource-metadata" SHOULD (RFC 9728 §5.1; MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery): the challenge names the resource metadata
    And check "mcp.challenge.scope" SHOULD (MCP 2025-11-25 Authorization, Scope Challenge Handling): the challenge carries a scope
    When the client fetches the protected resource metadata
    Then check "mcp.prm.found" MUST (MCP 2025-06-18 Authorization §Authorization Server Location; RFC 9728 §3.1): the protected resource metadata was found
    And check "mcp.prm.resource" MUST (RFC 9728 §3.3; RFC 8707 §2): the protected resource metadata names the MCP server as its resource
    And check "mcp.prm.authorization-servers" MUST (MCP 2025-06-18 Authorization §Authorization Server Location; RFC 9728 §2): the protected resource metadata lists an authorization server

@mcp-client @backcompat
Feature: Servers of MCP 2025-03-26
  MCP 2025-03-26 had no protected resource metadata: a client that meets a 401 without
  resource_metadata takes the MCP server's origin as the authorization base URL, asks for its
  RFC 8414 metadata there, and, when the server has none (404), uses the default endpoints
  /authorize, /token and /register at that origin (MCP 2025-03-26 Authorization, Server Metadata
  Discovery; Fallbacks for Servers without Metadata Discovery). Later revisions removed this, so
  a client is held to it only when its profile lists 2025-03-26 in mcp_client.earlier_versions;
  the severities are that revision's words, for such a client. The conformance suite's
  counterparts are auth/2025-03-26-oauth-metadata-backcompat and
  auth/2025-03-26-oauth-endpoint-fallback.

  @must
  Scenario: Without protected resource metadata, the client finds the authorization server metadata at the MCP server's origin
    Given the MCP server follows MCP 2025-03-26 with authorization server metadata at its origin
    When the MCP client under test connects (conformance scenario "auth/2025-03-26-oauth-metadata-backcompat")
    Then check "mcp-client.2025-03-26.metadata.completes" MUST (MCP 2025-03-26 Authorization, Server Metadata Discovery): the client used the MCP server with a token the server accepted
      """
      MCP clients MUST follow the OAuth 2.0 Authorization Server Metadata protocol defined in
      RFC8414.
      """
    And check "mcp-client.2025-03-26.metadata.at-origin" MUST (MCP 2025-03-26 Authorization, Authorization Base URL): the client fetched the authorization server metadata at the MCP server's origin before its authorization request
      """
      The authorization base URL MUST be determined from the MCP server URL by discarding any
      existing path component.
      """

  @must
  Scenario: Without any metadata, the client uses the default endpoints at the MCP server's origin
    Given the MCP server follows MCP 2025-03-26 with no metadata at all
    When the MCP client under test connects (conformance scenario "auth/2025-03-26-oauth-endpoint-fallback")
    Then check "mcp-client.2025-03-26.fallback.completes" MUST (MCP 2025-03-26 Authorization, Fallbacks for Servers without Metadata Discovery): the client used the MCP server with a token the server accepted
      """
      For servers that do not implement OAuth 2.0 Authorization Server Metadata, clients MUST use
      the following default endpoint paths relative to the authorization base URL
      """
    And check "mcp-client.2025-03-26.fallback.metadata-first" MUST (MCP 2025-03-26 Authorization, Fallbacks for Servers without Metadata Discovery): the client asked for the authorization server metadata before using any default endpoint
      """
      Clients MUST first attempt to discover endpoints via the metadata document before falling
      back to default paths.
      """
    And check "mcp-client.2025-03-26.fallback.default-paths" MUST (MCP 2025-03-26 Authorization, Fallbacks for Servers without Metadata Discovery): the client registered at /register, authorized at /authorize and redeemed at /token of the MCP server's origin
      """
      For servers that do not implement OAuth 2.0 Authorization Server Metadata, clients MUST use
      the following default endpoint paths relative to the authorization base URL
      """

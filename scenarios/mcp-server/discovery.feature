@mcp-server
Feature: MCP server: the 401 challenge and protected resource metadata
  An MCP server is an OAuth 2.1 resource server (MCP 2025-06-18 and 2025-11-25, Authorization).
  A request without a token gets 401 with a Bearer challenge (RFC 6750 §3); the challenge names
  the protected resource metadata (RFC 9728 §5.1: a MUST in MCP 2025-06-18, but MCP 2025-11-25
  accepts the header or the well-known URL, so naming it in the header is a policy check here)
  and SHOULD carry the scope to ask for (MCP 2025-11-25, Protected Resource Metadata Discovery
  Requirements). The metadata (RFC 9728 §3) names the server itself as `resource` (§3.3:
  identical to the URL the client is protecting) and at least one authorization server (MCP:
  MUST).

  @must @rfc9728
  Scenario: A request without a token is challenged toward the protected resource metadata
    When the client initializes an MCP session without credentials
    Then check "mcp.no-credentials.401" MUST (MCP 2025-06-18 Authorization §Error Handling; RFC 6750 §3): the response status is 401
      """
      Servers MUST return appropriate HTTP status codes for authorization errors: ... 401 | Unauthorized | Authorization required or token invalid
      """
    And check "mcp.no-credentials.challenge" MUST (RFC 9110 §11.6.1; RFC 6750 §3): the response carries a Bearer challenge
      """
      If the protected resource request does not include authentication credentials or does not contain an access token that enables access to the protected resource, the resource server MUST include the HTTP "WWW-Authenticate" response header field; it MAY include it in response to other conditions as well.
      """
    And check "mcp.no-credentials.no-error" SHOULD (RFC 6750 §3.1): the challenge has no error attribute
      """
      If the request lacks any authentication information (e.g., the client was unaware that authentication is necessary or attempted using an unsupported authentication method), the resource server SHOULD NOT include an error code or other error information.
      """
    And check "mcp.challenge.resource-metadata" POLICY (RFC 9728 §5.1; MCP 2025-06-18 Authorization §Authorization Server Location; MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the challenge names the resource metadata
      """
      POLICY: naming the metadata in the 401 challenge; MCP 2025-06-18 made it a MUST, but MCP 2025-11-25 accepts the well-known URI instead ("MCP servers MUST implement one of the following discovery mechanisms"), and RFC 9728 §5 says a protected resource "MAY use the WWW-Authenticate HTTP response header field". That the metadata is found at all is mcp.prm.found.
      """
    And check "mcp.challenge.scope" SHOULD (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the challenge carries a scope
      """
      MCP servers SHOULD include a scope parameter in the WWW-Authenticate header as defined in RFC 6750 Section 3 to indicate the scopes required for accessing the resource.
      """
    When the client fetches the protected resource metadata
    Then check "mcp.prm.found" MUST (MCP 2025-06-18 Authorization §Authorization Server Location; RFC 9728 §3.1): the protected resource metadata was found
      """
      MCP servers MUST implement the OAuth 2.0 Protected Resource Metadata (RFC9728) specification to indicate the locations of authorization servers.
      """
    And check "mcp.prm.resource" MUST (RFC 9728 §3.3; RFC 8707 §2): the protected resource metadata names the MCP server as its resource
      """
      The resource value returned MUST be identical to the protected resource's resource identifier value into which the well-known URI path suffix was inserted to create the URL used to retrieve the metadata.
      """
    And check "mcp.prm.authorization-servers" MUST (MCP 2025-06-18 Authorization §Authorization Server Location; RFC 9728 §2): the protected resource metadata lists an authorization server
      """
      The Protected Resource Metadata document returned by the MCP server MUST include the authorization_servers field containing at least one authorization server.
      """

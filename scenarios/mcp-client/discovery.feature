@mcp-client
Feature: MCP client: finding the authorization server
  A client that meets a 401 from an MCP server finds the protected resource metadata from the
  challenge's resource_metadata, else at the path-inserted then the root well-known URL (MCP
  2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 9728 §3.1,
  §5.1), uses it only when it names the server it is talking to (RFC 9728 §3.3), then finds the
  authorization server's metadata at the URLs MCP lists, in its order (Authorization Server
  Metadata Discovery; RFC 8414 §3.1), and uses it only when its issuer is the one asked for
  (RFC 8414 §3.3). That a client refusing such metadata also says so is this suite's policy. The
  client runs on the MCP conformance client contract.

  @must @rfc9728
  Scenario: The client follows resource_metadata from the 401 challenge
    When the MCP client under test connects (conformance scenario "auth/metadata-default")
    Then check "mcp-client.discovery.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; Authorization Flow Steps): the client used the MCP server with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """
    And check "mcp-client.discovery.prm-from-challenge" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 9728 §5.1): the client fetched the protected resource metadata named in the challenge
      """
      MCP clients MUST support both discovery mechanisms and use the resource metadata URL from the parsed WWW-Authenticate headers when present; otherwise, they MUST fall back to constructing and requesting the well-known URIs in the order listed above.
      """

  @must @rfc9728
  Scenario: Without resource_metadata in the challenge, the client finds the metadata at the well-known URL
    Given the MCP server names its protected resource metadata only at the well-known URLs
    When the MCP client under test connects (conformance scenario "auth/metadata-var1")
    Then check "mcp-client.discovery.well-known.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the client used the MCP server with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """
    And check "mcp-client.discovery.well-known.path-inserted" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 9728 §3.1): the client fetched the protected resource metadata at the path-inserted well-known URL
      """
      MCP clients MUST support both discovery mechanisms and use the resource metadata URL from the parsed WWW-Authenticate headers when present; otherwise, they MUST fall back to constructing and requesting the well-known URIs in the order listed above.
      """

  @must @rfc9728
  Scenario: Metadata published only where the challenge points is found there
    Given the MCP server names its protected resource metadata only in the challenge
    When the MCP client under test connects (conformance scenario "auth/metadata-var3")
    Then check "mcp-client.discovery.challenge-only.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the client used the MCP server with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """
    And check "mcp-client.discovery.challenge-only.prm-from-challenge" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 9728 §5.1): the client fetched the protected resource metadata named in the challenge
      """
      MCP clients MUST support both discovery mechanisms and use the resource metadata URL from the parsed WWW-Authenticate headers when present; otherwise, they MUST fall back to constructing and requesting the well-known URIs in the order listed above.
      """

  @must @rfc8414
  Scenario: For an issuer with a path, the authorization server metadata is looked for in MCP's order
    Given the MCP server's authorization server is the path issuer of tenant "tenant1"
    When the MCP client under test connects (conformance scenario "auth/metadata-var2")
    Then check "mcp-client.discovery.path-issuer.completes" MUST (MCP 2025-11-25 Authorization, Authorization Server Metadata Discovery): the client used the MCP server with a token the server accepted
      """
      To handle different issuer URL formats and ensure interoperability with both OAuth 2.0 Authorization Server Metadata and OpenID Connect Discovery 1.0 specifications, MCP clients MUST attempt multiple well-known endpoints when discovering authorization server metadata.
      """
    And check "mcp-client.discovery.path-issuer.order" MUST (MCP 2025-11-25 Authorization, Authorization Server Metadata Discovery; RFC 8414 §3.1): the client looked for the authorization server metadata at the RFC 8414 path-inserted URL first
      """
      For issuer URLs with path components (e.g., https://auth.example.com/tenant1), clients MUST try endpoints in the following priority order: 1. OAuth 2.0 Authorization Server Metadata with path insertion: https://auth.example.com/.well-known/oauth-authorization-server/tenant1
      """

  @must @rfc9728
  Scenario: Protected resource metadata for another resource is not used
    Given the protected resource metadata names another resource
    When the MCP client under test connects (conformance scenario "auth/resource-mismatch")
    Then check "mcp-client.discovery.resource-mismatch.no-authorization" MUST (RFC 9728 §3.3; MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): no authorization request was sent
      """
      If the protected resource metadata was retrieved from a URL returned by the protected resource via the WWW-Authenticate resource_metadata parameter, then the resource value returned MUST be identical to the URL that the client used to make the request to the resource server. If these values are not identical, the data contained in the response MUST NOT be used.
      """
    And check "mcp-client.discovery.resource-mismatch.reported" POLICY (RFC 9728 §3.3; authconform: a refusal is reported): the client reported the failure
      """
      POLICY: a client that will not use the metadata should say so (exit non-zero, an error) rather than end silently; RFC 9728 §3.3 only says "the data contained in the response MUST NOT be used" and asks nothing of how the client reports it.
      """

  @must @rfc8414
  Scenario: Authorization server metadata naming another issuer is not used
    Given the authorization server metadata names an issuer other than the one it was fetched for
    When the MCP client under test connects (conformance scenario "auth/metadata-issuer-mismatch")
    Then check "mcp-client.discovery.issuer-mismatch.no-authorization" MUST (RFC 8414 §3.3): no authorization request was sent
      """
      The "issuer" value returned MUST be identical to the authorization server's issuer identifier value into which the well-known URI string was inserted to create the URL used to retrieve the metadata. If these values are not identical, the data contained in the response MUST NOT be used.
      """
    And check "mcp-client.discovery.issuer-mismatch.reported" POLICY (RFC 8414 §3.3; authconform: a refusal is reported): the client reported the failure
      """
      POLICY: a client that will not use the metadata should say so (exit non-zero, an error) rather than end silently; RFC 8414 §3.3 only says "the data contained in the response MUST NOT be used" and asks nothing of how the client reports it.
      """

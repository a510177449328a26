@mcp-client
Feature: MCP client: finding the authorization server
  A client that meets a 401 from an MCP server finds the protected resource metadata from the
  challenge's resource_metadata, else at the path-inserted then the root well-known URL (MCP
  2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 9728 §3.1,
  §5.1), uses it only when it names the server it is talking to (RFC 9728 §3.3), then finds the
  authorization server's metadata at the URLs MCP lists, in its order (Authorization Server
  Metadata Discovery; RFC 8414 §3.1), and uses it only when its issuer is the one asked for
  (RFC 8414 §3.3). The client runs on the MCP conformance client contract.

  @must @rfc9728
  Scenario: The client follows resource_metadata from the 401 challenge
    When the MCP client under test connects (conformance scenario "auth/metadata-default")
    Then check "mcp-client.discovery.completes" MUST (MCP 2025-11-25 Authorization, Authorization Flow Steps): the client called a tool with a token the server accepted
    And check "mcp-client.discovery.prm-from-challenge" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 9728 §5.1): the client fetched the protected resource metadata named in the challenge

  @must @rfc9728
  Scenario: Without resource_metadata in the challenge, the client finds the metadata at the well-known URL
    Given the MCP server names its protected resource metadata only at the well-known URLs
    When the MCP client under test connects (conformance scenario "auth/metadata-var1")
    Then check "mcp-client.discovery.well-known.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the client called a tool with a token the server accepted
    And check "mcp-client.discovery.well-known.path-inserted" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 9728 §3.1): the client fetched the protected resource metadata at the path-inserted well-known URL

  @must @rfc9728
  Scenario: Metadata published only where the challenge points is found there
    Given the MCP server names its protected resource metadata only in the challenge
    When the MCP client under test connects (conformance scenario "auth/metadata-var3")
    Then check "mcp-client.discovery.challenge-only.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the client called a tool with a token the server accepted
    And check "mcp-client.discovery.challenge-only.prm-from-challenge" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 9728 §5.1): the client fetched the protected resource metadata named in the challenge

  @must @rfc8414
  Scenario: For an issuer with a path, the authorization server metadata is looked for in MCP's order
    Given the MCP server's authorization server is the path issuer of tenant "tenant1"
    When the MCP client under test connects (conformance scenario "auth/metadata-var2")
    Then check "mcp-client.discovery.path-issuer.completes" MUST (MCP 2025-11-25 Authorization, Authorization Server Metadata Discovery): the client called a tool with a token the server accepted
    And check "mcp-client.discovery.path-issuer.order" MUST (MCP 2025-11-25 Authorization, Authorization Server Metadata Discovery; RFC 8414 §3.1): the client looked for the authorization server metadata at the RFC 8414 path-inserted URL first

  @must @rfc9728
  Scenario: Protected resource metadata for another resource is not used
    Given the protected resource metadata names another resource
    When the MCP client under test connects (conformance scenario "auth/resource-mismatch")
    Then check "mcp-client.discovery.resource-mismatch.no-authorization" MUST (RFC 9728 §3.3; MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): no authorization request was sent
    And check "mcp-client.discovery.resource-mismatch.reported" SHOULD (RFC 9728 §3.3): the client reported the failure

  @must @rfc8414
  Scenario: Authorization server metadata naming another issuer is not used
    Given the authorization server metadata names an issuer other than the one it was fetched for
    When the MCP client under test connects (conformance scenario "auth/metadata-issuer-mismatch")
    Then check "mcp-client.discovery.issuer-mismatch.no-authorization" MUST (RFC 8414 §3.3): no authorization request was sent
    And check "mcp-client.discovery.issuer-mismatch.reported" SHOULD (RFC 8414 §3.3): the client reported the failure

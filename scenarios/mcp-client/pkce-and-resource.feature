@mcp-client
Feature: MCP client: PKCE and resource indicators
  MCP clients MUST use PKCE with S256 and MUST refuse to proceed when the authorization server's
  metadata does not list code_challenge_methods_supported (MCP 2025-11-25 Authorization,
  Authorization Code Protection; OAuth 2.1 §4.1.1; RFC 7636 §4.2-§4.5). They MUST send the
  resource parameter, the canonical URI of the MCP server, in both authorization and token
  requests (Resource Parameter Implementation; RFC 8707 §2).

  @must @rfc7636
  Scenario: The client uses PKCE with S256
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.pkce.s256" MUST (MCP 2025-11-25 Authorization, Authorization Code Protection; OAuth 2.1 §4.1.1): every authorization request carries a PKCE S256 challenge
    And check "mcp-client.pkce.verifier" MUST (RFC 7636 §4.5; OAuth 2.1 §4.1.3): every code exchange carries a code_verifier

  @must @rfc7636
  Scenario: The client refuses an authorization server that does not advertise PKCE
    Given the authorization server metadata does not list code_challenge_methods_supported
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.pkce.methods-missing.no-authorization" MUST (MCP 2025-11-25 Authorization, Authorization Code Protection): no authorization request was sent
    And check "mcp-client.pkce.methods-missing.reported" SHOULD (MCP 2025-11-25 Authorization, Authorization Code Protection): the client reported the failure

  @must @rfc8707
  Scenario: The client names the MCP server as the resource in authorization and token requests
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.resource.authorize" MUST (MCP 2025-11-25 Authorization, Resource Parameter Implementation; RFC 8707 §2): every authorization request names the MCP server as its resource
    And check "mcp-client.resource.token" MUST (MCP 2025-11-25 Authorization, Resource Parameter Implementation; RFC 8707 §2.2): every token request names the MCP server as its resource

  # No spec line forbids it in so many words (hence POLICY): a client that hands a URL from
  # metadata to the system's opener runs whatever the authorization server names.
  @policy
  Scenario Outline: An authorization endpoint with a <scheme>: URL is never opened
    Given the authorization server metadata names a <scheme>: authorization endpoint
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.authorization-url.<scheme>.not-opened" POLICY (MCP 2025-11-25 Authorization Security Considerations; the mcp-remote flaw CVE-2025-6514): the client opened no URL but an http(s) one in the browser
    And check "mcp-client.authorization-url.<scheme>.reported" POLICY (MCP 2025-11-25 Authorization Security Considerations): the client reported the failure

    Examples:
      | scheme     |
      | javascript |
      | data       |
      | file       |

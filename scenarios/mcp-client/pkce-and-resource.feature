@mcp-client
Feature: MCP client: PKCE and resource indicators
  MCP clients MUST use PKCE with S256 and MUST refuse to proceed when the authorization server's
  metadata does not list code_challenge_methods_supported (MCP 2025-11-25 Authorization,
  Authorization Code Protection; OAuth 2.1 §4.1.1; RFC 7636 §4.2-§4.5). They MUST send the
  resource parameter, the canonical URI of the MCP server, in both authorization and token
  requests (Resource Parameter Implementation; RFC 8707 §2). That a client refusing to proceed
  also says so is this suite's policy.

  @must @rfc7636
  Scenario: The client uses PKCE with S256
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.pkce.s256" MUST (MCP 2025-11-25 Authorization, Authorization Code Protection; OAuth 2.1 §4.1.1): every authorization request carries a PKCE S256 challenge
      """
      MCP clients MUST use the S256 code challenge method when technically capable, as required by OAuth 2.1 Section 4.1.1.
      """
    And check "mcp-client.pkce.verifier" MUST (RFC 7636 §4.5; OAuth 2.1 §4.1.3): every code exchange carries a code_verifier
      """
      "code_verifier": REQUIRED, if the code_challenge parameter was included in the authorization request. MUST NOT be used otherwise. The original code verifier string.
      """

  @must @rfc7636
  Scenario: The client refuses an authorization server that does not advertise PKCE
    Given the authorization server metadata does not list code_challenge_methods_supported
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.pkce.methods-missing.no-authorization" MUST (MCP 2025-11-25 Authorization, Authorization Code Protection): no authorization request was sent
      """
      OAuth 2.0 Authorization Server Metadata: If code_challenge_methods_supported is absent, the authorization server does not support PKCE and MCP clients MUST refuse to proceed.
      """
    And check "mcp-client.pkce.methods-missing.reported" POLICY (MCP 2025-11-25 Authorization, Authorization Code Protection; authconform: a refusal is reported): the client reported the failure
      """
      POLICY: a client that refuses to proceed should say so (exit non-zero, an error) rather than end silently; MCP says only that "MCP clients MUST refuse to proceed", not how the refusal is reported.
      """

  @must @rfc8707
  Scenario: The client names the MCP server as the resource in authorization and token requests
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.resource.authorize" MUST (MCP 2025-11-25 Authorization, Resource Parameter Implementation; RFC 8707 §2): every authorization request names the MCP server as its resource
      """
      The resource parameter: 1. MUST be included in both authorization requests and token requests. 2. MUST identify the MCP server that the client intends to use the token with.
      """
    And check "mcp-client.resource.token" MUST (MCP 2025-11-25 Authorization, Resource Parameter Implementation; RFC 8707 §2.2): every token request names the MCP server as its resource
      """
      The resource parameter: 1. MUST be included in both authorization requests and token requests. 2. MUST identify the MCP server that the client intends to use the token with.
      """

  # No spec line forbids it in so many words (hence POLICY): a client that hands a URL from
  # metadata to the system's opener runs whatever the authorization server names.
  @policy
  Scenario Outline: An authorization endpoint with a <scheme>: URL is never opened
    Given the authorization server metadata names a <scheme>: authorization endpoint
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.authorization-url.<scheme>.not-opened" POLICY (MCP 2025-11-25 Authorization Security Considerations; the mcp-remote flaw CVE-2025-6514): the client opened no URL but an http(s) one in the browser
      """
      POLICY: a client never hands a non-http(s) authorization endpoint from metadata to the system's opener (mcp-remote's CVE-2025-6514 ran one). No sentence forbids it in so many words; the closest, MCP 2025-11-25 Authorization, Communication Security, binds the server: "All authorization server endpoints MUST be served over HTTPS."
      """
    And check "mcp-client.authorization-url.<scheme>.reported" POLICY (MCP 2025-11-25 Authorization Security Considerations): the client reported the failure
      """
      POLICY: a client that will not open the authorization endpoint should say so rather than end silently or hang. No sentence asks it; the closest, MCP 2025-11-25 Authorization, Communication Security: "All authorization server endpoints MUST be served over HTTPS."
      """

    Examples:
      | scheme     |
      | javascript |
      | data       |
      | file       |

@as
Feature: Authorization server metadata
  RFC 8414 and OpenID Connect Discovery: the metadata document describes the server, and its
  issuer is identical to the issuer the client expects, at every well-known URL.

  @must @rfc8414
  Scenario: Metadata names the issuer, the required endpoints and PKCE S256
    Given the authorization server's metadata
    Then check "as.metadata.issuer" MUST (RFC 8414 §3.3): the metadata issuer is the issuer
    And check "as.metadata.required-fields" MUST (RFC 8414 §2): the metadata has the required fields
    And check "as.metadata.pkce-s256" MUST (RFC 9700 §2.1.1; MCP 2025-11-25 Authorization Server Metadata): the metadata lists S256 in code_challenge_methods_supported
    And check "as.metadata.same-issuer" MUST (RFC 8414 §3.3; OIDC Discovery §4.3): every metadata URL names the same issuer

  @policy @rfc8414
  Scenario: The issuer does not follow a forged Host header
    Given the authorization server's metadata
    Then check "as.metadata.host-header" POLICY (RFC 8414 §3.3; RFC 9700 §4.4): the metadata fetched with a forged Host header names the issuer

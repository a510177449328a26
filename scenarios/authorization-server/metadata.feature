@as
Feature: Authorization server metadata
  RFC 8414 and OpenID Connect Discovery: the metadata document describes the server, and its
  issuer is identical to the issuer the client expects, at every well-known URL. Publishing
  code_challenge_methods_supported is RECOMMENDED (RFC 9700 §2.1.1).

  @must @rfc8414
  Scenario: Metadata names the issuer, the required endpoints and PKCE S256
    Given the authorization server's metadata
    Then check "as.metadata.issuer" MUST (RFC 8414 §3.3): the metadata issuer is the issuer
      """
      The "issuer" value returned MUST be identical to the authorization server's issuer identifier
      value into which the well-known URI string was inserted to create the URL used to retrieve the
      metadata.
      """
    And check "as.metadata.required-fields" MUST (RFC 8414 §2): the metadata has the required fields
      """
      issuer REQUIRED. The authorization server's issuer identifier, which is a URL that uses the
      "https" scheme and has no query or fragment components. ... authorization_endpoint URL of the
      authorization server's authorization endpoint [RFC6749]. This is REQUIRED unless no grant types
      are supported that use the authorization endpoint. token_endpoint URL of the authorization
      server's token endpoint [RFC6749]. This is REQUIRED unless only the implicit grant type is
      supported. ... response_types_supported REQUIRED. JSON array containing a list of the OAuth 2.0
      "response_type" values that this authorization server supports.
      """
    And check "as.metadata.pkce-s256" SHOULD (RFC 9700 §2.1.1; RFC 8414 §2): the metadata lists S256 in code_challenge_methods_supported
      """
      Authorization servers MUST provide a way to detect their support for PKCE. It is RECOMMENDED for
      authorization servers to publish the element code_challenge_methods_supported in their
      Authorization Server Metadata [RFC8414] containing the supported PKCE challenge methods (which
      can be used by the client to detect PKCE support). Authorization servers MAY instead provide a
      deployment-specific way to ensure or determine PKCE support by the authorization server.
      """
    And check "as.metadata.same-issuer" MUST (RFC 8414 §3.3; OIDC Discovery §4.3): every metadata URL names the same issuer
      """
      RFC 8414 §3.3: "The "issuer" value returned MUST be identical to the authorization server's
      issuer identifier value into which the well-known URI string was inserted to create the URL used
      to retrieve the metadata." OIDC Discovery §4.3: "The issuer value returned MUST be identical to
      the Issuer URL that was used as the prefix to /.well-known/openid-configuration to retrieve the
      configuration information."
      """

  @policy @rfc8414
  Scenario: The issuer does not follow a forged Host header
    Given the authorization server's metadata
    Then check "as.metadata.host-header" POLICY (RFC 8414 §3.3; RFC 9700 §4.4): the metadata fetched with a forged Host header names the issuer
      """
      POLICY: an issuer that does not follow a forged Host header is hardening this suite asks for; no
      sentence says what a server does with a Host header naming another host. RFC 8414 §3.3 ties the
      issuer only to the URL the document was fetched from: "The "issuer" value returned MUST be
      identical to the authorization server's issuer identifier value into which the well-known URI
      string was inserted to create the URL used to retrieve the metadata."
      """

@as
Feature: Client authentication and token endpoint errors
  RFC 6749 §2.3 and §5.2: a confidential client proves who it is; failures are invalid_client, with
  401 and a challenge when the client used the Authorization header; unknown grants and missing
  parameters have their own errors. Holding a client to the method it registered is this suite's
  policy: RFC 6749 §2.3.1 only makes credentials in the body NOT RECOMMENDED, and RFC 7591 §2 calls
  the registered method the "requested" one.

  @must @rfc6749
  Scenario: A wrong client secret is invalid_client with a Basic challenge
    Given the confidential client
    When the client authenticates with a wrong secret for grant_type "client_credentials"
    Then check "as.client-auth.wrong-secret" MUST (RFC 6749 §5.2): the token endpoint answers 401 "invalid_client"
      """
      invalid_client Client authentication failed (e.g., unknown client, no client authentication
      included, or unsupported authentication method). ... If the client attempted to authenticate via
      the "Authorization" request header field, the authorization server MUST respond with an HTTP 401
      (Unauthorized) status code
      """
    And check "as.client-auth.basic-challenge" MUST (RFC 6749 §5.2): the response carries a Basic challenge
      """
      If the client attempted to authenticate via the "Authorization" request header field, the
      authorization server MUST respond with an HTTP 401 (Unauthorized) status code and include the
      "WWW-Authenticate" response header field matching the authentication scheme used by the client.
      """

  @policy @rfc6749 @rfc7591
  Scenario: The registered authentication method is enforced
    Given the confidential client
    When the client authenticates with the other method for grant_type "client_credentials"
    Then check "as.client-auth.method-enforced" POLICY (RFC 7591 §2; RFC 6749 §2.3.1): the token endpoint answers 401 "invalid_client"
      """
      POLICY: refusing a secret sent by another method than the registered one is mock-idp's practice;
      RFC 6749 §2.3.1 only says "Including the client credentials in the request-body using the two
      parameters is NOT RECOMMENDED and SHOULD be limited to clients unable to directly utilize the
      HTTP Basic authentication scheme", and RFC 7591 §2 calls token_endpoint_auth_method the
      "requested authentication method for the token endpoint".
      """

  @must @rfc6749
  Scenario: An unknown grant_type is unsupported_grant_type
    Given the service client
    When the client posts to the token endpoint: grant_type=urn:example:unknown
    Then check "as.token.unsupported-grant" MUST (RFC 6749 §5.2): the token endpoint answers 400 "unsupported_grant_type"
      """
      error REQUIRED. A single ASCII [USASCII] error code from the following: ...
      unsupported_grant_type The authorization grant type is not supported by the authorization
      server.
      """

  @must @rfc6749
  Scenario: A missing grant_type is invalid_request
    Given the service client
    When the client posts to the token endpoint: scope=read
    Then check "as.token.missing-grant-type" MUST (RFC 6749 §5.2): the token endpoint answers 400 "invalid_request"
      """
      error REQUIRED. A single ASCII [USASCII] error code from the following: invalid_request The
      request is missing a required parameter,
      """

  @must @rfc6749 @rfc9068
  Scenario: client_credentials issues a verifiable JWT access token without caching
    Given the service client
    When the client authenticates with its own secret for grant_type "client_credentials"
    Then check "as.token.bearer" MUST (RFC 6749 §5.1): the token response carries a Bearer access token
      """
      access_token REQUIRED. The access token issued by the authorization server.
      token_type REQUIRED. The type of the token issued as described in Section 7.1. Value is case
      insensitive.
      """
    And check "as.token.no-store" MUST (RFC 6749 §5.1): the token response is JSON and not cacheable
      """
      The authorization server MUST include the HTTP "Cache-Control" response header field [RFC2616]
      with a value of "no-store" in any response containing tokens, credentials, or other sensitive
      information,
      """
    And check "as.token.jwt-claims" MUST (RFC 9068 §2.1; RFC 9068 §2.2): the access token is an RFC 9068 JWT that verifies against the JWKS
      """
      JWT access tokens MUST be signed. ... JWT access tokens MUST include this media type in the "typ"
      header parameter to explicitly declare that the JWT represents an access token complying with
      this profile. ... iss REQUIRED - as defined in Section 4.1.1 of [RFC7519]. exp REQUIRED - as
      defined in Section 4.1.4 of [RFC7519]. aud REQUIRED - as defined in Section 4.1.3 of [RFC7519].
      """

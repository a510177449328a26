@as
Feature: Client authentication and token endpoint errors
  RFC 6749 §2.3 and §5.2: a confidential client proves who it is with the method it registered;
  failures are 401 invalid_client; unknown grants and missing parameters have their own errors.

  @must @rfc6749
  Scenario: A wrong client secret is invalid_client with a Basic challenge
    Given the confidential client
    When the client authenticates with a wrong secret for grant_type "client_credentials"
    Then check "as.client-auth.wrong-secret" MUST (RFC 6749 §5.2): the token endpoint answers 401 "invalid_client"
    And check "as.client-auth.basic-challenge" MUST (RFC 6749 §5.2): the response carries a Basic challenge

  @must @rfc6749 @rfc7591
  Scenario: The registered authentication method is enforced
    Given the confidential client
    When the client authenticates with the other method for grant_type "client_credentials"
    Then check "as.client-auth.method-enforced" MUST (RFC 7591 §2; RFC 6749 §2.3): the token endpoint answers 401 "invalid_client"

  @must @rfc6749
  Scenario: An unknown grant_type is unsupported_grant_type
    Given the service client
    When the client posts to the token endpoint: grant_type=urn:example:unknown
    Then check "as.token.unsupported-grant" MUST (RFC 6749 §5.2): the token endpoint answers 400 "unsupported_grant_type"

  @must @rfc6749
  Scenario: A missing grant_type is invalid_request
    Given the service client
    When the client posts to the token endpoint: scope=read
    Then check "as.token.missing-grant-type" MUST (RFC 6749 §5.2): the token endpoint answers 400 "invalid_request"

  @must @rfc6749 @rfc9068
  Scenario: client_credentials issues a verifiable JWT access token without caching
    Given the service client
    When the client authenticates with its own secret for grant_type "client_credentials"
    Then check "as.token.bearer" MUST (RFC 6749 §5.1): the token response carries a Bearer access token
    And check "as.token.no-store" MUST (RFC 6749 §5.1): the token response is JSON and not cacheable
    And check "as.token.jwt-claims" MUST (RFC 9068 §2.1; RFC 9068 §2.2): the access token is an RFC 9068 JWT that verifies against the JWKS

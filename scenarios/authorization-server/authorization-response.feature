@as
Feature: The authorization response
  RFC 6749 §4.1.2 and §4.1.2.1: success and errors go back to the verified redirect URI with the
  original state; RFC 9207 §2: with iss when the server advertises it.

  @must @rfc6749 @rfc9207
  Scenario: The code comes back with the original state and iss
    Given the confidential client
    When the user approves the authorization request
    Then check "as.authz-response.code" MUST (RFC 6749 §4.1.2): the client receives a code
    And check "as.authz-response.state" MUST (RFC 6749 §4.1.2): the callback carries the original state
    And check "as.authz-response.iss" MUST (RFC 9207 §2): the callback carries iss equal to the issuer

  @must @rfc6749
  Scenario: A denied request returns access_denied with the original state
    Given the confidential client
    When the user denies the authorization request
    Then check "as.authz-response.denied" MUST (RFC 6749 §4.1.2.1): the client receives the error "access_denied"
    And check "as.authz-response.denied-state" MUST (RFC 6749 §4.1.2.1): the callback carries the original state
    And check "as.authz-response.denied-iss" MUST (RFC 9207 §2): the callback carries iss equal to the issuer

  @must @rfc6749
  Scenario: An unsupported response_type is reported to the client
    Given the confidential client
    When the client sends an authorization request with response_type set to "token"
    Then check "as.authz-response.unsupported-response-type" MUST (RFC 6749 §4.1.2.1; OAuth 2.1 §4.1.2.1): the client receives the error "unsupported_response_type" or "unauthorized_client"
    And check "as.authz-response.error-state" MUST (RFC 6749 §4.1.2.1): the callback carries the original state

  @must @rfc8707
  Scenario: A resource the client may not ask for is invalid_target
    Given the confidential client
    When the client sends an authorization request with resource set to "https://attacker.example/api"
    Then check "as.resource.unknown" MUST (RFC 8707 §2): the client receives the error "invalid_target"

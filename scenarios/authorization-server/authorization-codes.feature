@as
Feature: Authorization codes
  RFC 6749 §4.1.2, §4.1.3 and §10.5: a code is short-lived, single use, and bound to the client
  and the redirect URI it was issued for.

  @must @rfc6749
  Scenario: A code can be redeemed once, and a replay revokes what it issued
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    Then check "as.code.first-use" MUST (RFC 6749 §4.1.3): the token response carries a Bearer access token
    When the client redeems the code again
    Then check "as.code.reuse-refused" MUST (RFC 6749 §4.1.2): the token endpoint answers 400 "invalid_grant"
    And check "as.code.reuse-revokes" SHOULD (RFC 6749 §4.1.2; RFC 9700 §4.2.4): the first access token is no longer active

  @must @rfc6749
  Scenario: A code is bound to the client it was issued to
    Given the confidential client
    When the user approves the authorization request
    And the other confidential client redeems the code
    Then check "as.code.client-binding" MUST (RFC 6749 §4.1.3): the token endpoint answers 400 "invalid_grant"

  @must @rfc6749
  Scenario: redirect_uri at the token endpoint must equal the authorization request's
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code and redirect_uri "https://attacker.example/cb"
    Then check "as.code.redirect-uri-binding" MUST (RFC 6749 §4.1.3): the token endpoint answers 400 "invalid_grant"

  @must @rfc6749 @clock
  Scenario: An expired code is refused
    Given the confidential client
    And the target's clock can be moved
    When the user approves the authorization request
    And the clock advances by 600 seconds
    And the client redeems the code
    Then check "as.code.expiry" MUST (RFC 6749 §4.1.2; RFC 6749 §10.5): the token endpoint answers 400 "invalid_grant"

  @must @rfc6749
  Scenario: A code the server never issued is refused
    Given the confidential client
    When the client redeems a code the server never issued
    Then check "as.code.never-issued" MUST (RFC 6749 §4.1.3; RFC 6749 §5.2): the token endpoint answers 400 "invalid_grant"
      """
      The authorization server MUST: ... verify that the authorization code is valid
      """

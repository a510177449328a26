@as
Feature: Authorization codes
  RFC 6749 §4.1.2, §4.1.3 and §10.5: a code is short-lived, single use, and bound to the client
  and the redirect URI it was issued for. A lifetime of at most 10 minutes is RECOMMENDED
  (RFC 6749 §4.1.2), so a code still accepted after 10 minutes is a warning, not a failure.

  @must @rfc6749
  Scenario: A code can be redeemed once, and a replay revokes what it issued
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    Then check "as.code.first-use" MUST (RFC 6749 §4.1.4; RFC 6749 §5.1): the token response carries a Bearer access token
      """
      access_token REQUIRED. The access token issued by the authorization server.
      token_type REQUIRED. The type of the token issued as described in Section 7.1. Value is case
      insensitive.
      """
    When the client redeems the code again
    Then check "as.code.reuse-refused" MUST (RFC 6749 §4.1.2): the token endpoint answers 400 "invalid_grant"
      """
      If an authorization code is used more than once, the authorization server MUST deny the request
      and SHOULD revoke (when possible) all tokens previously issued based on that authorization code.
      """
    And check "as.code.reuse-revokes" SHOULD (RFC 6749 §4.1.2; RFC 9700 §4.2.4): the first access token is no longer active
      """
      If an authorization code is used more than once, the authorization server MUST deny the request
      and SHOULD revoke (when possible) all tokens previously issued based on that authorization code.
      """

  @must @rfc6749
  Scenario: A code is bound to the client it was issued to
    Given the confidential client
    When the user approves the authorization request
    And the other confidential client redeems the code
    Then check "as.code.client-binding" MUST (RFC 6749 §4.1.3): the token endpoint answers 400 "invalid_grant"
      """
      The authorization server MUST: ... ensure that the authorization code was issued to the
      authenticated confidential client, or if the client is public, ensure that the code was issued
      to "client_id" in the request,
      """

  @must @rfc6749
  Scenario: redirect_uri at the token endpoint must equal the authorization request's
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code and redirect_uri "https://attacker.example/cb"
    Then check "as.code.redirect-uri-binding" MUST (RFC 6749 §4.1.3): the token endpoint answers 400 "invalid_grant"
      """
      The authorization server MUST: ... ensure that the "redirect_uri" parameter is present if the
      "redirect_uri" parameter was included in the initial authorization request as described in
      Section 4.1.1, and if included ensure that their values are identical.
      """

  @should @rfc6749 @clock
  Scenario: An expired code is refused
    Given the confidential client
    And the target's clock can be moved
    When the user approves the authorization request
    And the clock advances by 600 seconds
    And the client redeems the code
    Then check "as.code.expiry" SHOULD (RFC 6749 §4.1.2; RFC 6749 §10.5): the token endpoint answers 400 "invalid_grant"
      """
      The authorization code MUST expire shortly after it is issued to mitigate the risk of leaks. A
      maximum authorization code lifetime of 10 minutes is RECOMMENDED.
      """

  @must @rfc6749
  Scenario: A code the server never issued is refused
    Given the confidential client
    When the client redeems a code the server never issued
    Then check "as.code.never-issued" MUST (RFC 6749 §4.1.3; RFC 6749 §5.2): the token endpoint answers 400 "invalid_grant"
      """
      The authorization server MUST: ... verify that the authorization code is valid
      """

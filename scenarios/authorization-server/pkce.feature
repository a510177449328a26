@as
Feature: PKCE
  RFC 7636 and RFC 9700 §2.1.1: the code_verifier proves the code is redeemed by the client that
  asked for it. A missing verifier is refused (invalid_request as a missing parameter, RFC 6749
  §5.2, or invalid_grant); a code presented with a wrong verifier has been used and may not be
  redeemed again (RFC 6749 §4.1.2); a verifier for a code issued without a challenge is
  a downgrade; plain is refused where S256 is required; public clients must use PKCE.

  @must @rfc7636
  Scenario: A wrong code_verifier is refused and burns the code
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code with a wrong code_verifier
    Then check "as.pkce.wrong-verifier" MUST (RFC 7636 §4.6): the token endpoint answers 400 "invalid_grant"
    When the client redeems the code again
    Then check "as.pkce.code-burned" MUST (RFC 6749 §4.1.2; RFC 6749 §10.5): the token endpoint answers 400 "invalid_grant"

  @must @rfc7636
  Scenario: A missing code_verifier is refused
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code without code_verifier
    Then check "as.pkce.missing-verifier" MUST (RFC 7636 §4.5; OAuth 2.1 §4.1.3; RFC 6749 §5.2): the token endpoint refuses the request

  @must @rfc9700
  Scenario: A code_verifier for a code issued without a challenge is refused
    Given the confidential client
    When the user approves an authorization request without PKCE
    And the client redeems the code with a code_verifier
    Then check "as.pkce.downgrade" MUST (RFC 9700 §2.1.1): the token endpoint answers 400 "invalid_grant"

  @must @rfc7636
  Scenario: code_challenge_method plain is refused where S256 is required
    Given the confidential client
    When the client sends an authorization request with code_challenge_method set to "plain"
    Then check "as.pkce.plain-refused" MUST (RFC 9700 §2.1.1; OAuth 2.1 §4.1.1): the client receives the error "invalid_request"

  @must @rfc7636
  Scenario: A code_challenge shorter than 43 characters is refused
    Given the confidential client
    When the client sends an authorization request with code_challenge set to "{42 a}"
    Then check "as.pkce.challenge-too-short" MUST (RFC 7636 §4.2): the client receives the error "invalid_request"

  @must @rfc7636
  Scenario: A code_challenge longer than 128 characters is refused
    Given the confidential client
    When the client sends an authorization request with code_challenge set to "{129 a}"
    Then check "as.pkce.challenge-too-long" MUST (RFC 7636 §4.2): the client receives the error "invalid_request"

  @must @rfc9700
  Scenario: A public client without PKCE is refused
    Given the public client
    When the client sends an authorization request with code_challenge removed
    Then check "as.pkce.public-client-required" MUST (RFC 9700 §2.1.1; OAuth 2.1 §4.1.1): the client receives the error "invalid_request"

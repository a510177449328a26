@as
Feature: PKCE
  RFC 7636 and RFC 9700 §2.1.1: the code_verifier proves the code is redeemed by the client that
  asked for it. A wrong verifier is invalid_grant (RFC 7636 §4.6); a missing verifier is refused
  (invalid_request as a missing parameter, RFC 6749 §5.2, or invalid_grant); a verifier for a code
  issued without a challenge is a downgrade; public clients must use PKCE (OAuth 2.1 §4.1.2.1).
  This suite's policy beyond that, which no sentence requires: a code presented with a wrong
  verifier is not redeemable afterwards, plain is refused, and a challenge outside 43 to 128
  characters is refused.

  @must @rfc7636
  Scenario: A wrong code_verifier is refused and burns the code
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code with a wrong code_verifier
    Then check "as.pkce.wrong-verifier" MUST (RFC 7636 §4.6): the token endpoint answers 400 "invalid_grant"
      """
      If the values are not equal, an error response indicating "invalid_grant" as described in
      Section 5.2 of [RFC6749] MUST be returned.
      """
    When the client redeems the code again
    Then check "as.pkce.code-burned" POLICY (RFC 6749 §4.1.2; RFC 9700 §4.2.4): the token endpoint answers 400 "invalid_grant"
      """
      POLICY: treating a redemption refused for its code_verifier as the code's one use is good
      practice that no sentence requires; the single-use rules count uses, and a refused request
      issued nothing: "If an authorization code is used more than once, the authorization server MUST
      deny the request" (RFC 6749 §4.1.2), "authorization codes MUST be invalidated by the
      authorization server after their first use at the token endpoint" (RFC 9700 §4.2.4).
      """

  @must @rfc7636
  Scenario: A missing code_verifier is refused
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code without code_verifier
    Then check "as.pkce.missing-verifier" MUST (RFC 9700 §2.1.1; OAuth 2.1 §4.1.3; RFC 6749 §5.2): the token endpoint refuses the request
      """
      If a client sends a valid PKCE code_challenge parameter in the authorization request, the
      authorization server MUST enforce the correct usage of code_verifier at the token endpoint.
      """

  @must @rfc9700
  Scenario: A code_verifier for a code issued without a challenge is refused
    Given the confidential client
    When the user approves an authorization request without PKCE
    And the client redeems the code with a code_verifier
    Then check "as.pkce.downgrade" MUST (RFC 9700 §2.1.1): the token endpoint answers 400 "invalid_grant"
      """
      Authorization servers MUST mitigate PKCE downgrade attacks by ensuring that a token request
      containing a code_verifier parameter is accepted only if a code_challenge parameter was present
      in the authorization request; see Section 4.8.2 for details.
      """

  @policy @rfc7636
  Scenario: code_challenge_method plain is refused where S256 is required
    Given the confidential client
    When the client sends an authorization request with code_challenge_method set to "plain"
    Then check "as.pkce.plain-refused" POLICY (RFC 7636 §4.4.1; RFC 9700 §2.1.1; OAuth 2.1 §4.1.1): the client receives the error "invalid_request"
      """
      POLICY: refusing plain is mock-idp's choice; a server may support it, and only one that does not
      must say so: "If the server supporting PKCE does not support the requested transformation, the
      authorization endpoint MUST return the authorization error response with "error" value set to
      "invalid_request"." (RFC 7636 §4.4.1). RFC 9700 §2.1.1's SHOULD against plain binds the client.
      """

  @policy @rfc7636
  Scenario: A code_challenge shorter than 43 characters is refused
    Given the confidential client
    When the client sends an authorization request with code_challenge set to "{42 a}"
    Then check "as.pkce.challenge-too-short" POLICY (RFC 7636 §4.2; RFC 7636 §4.4.1): the client receives the error "invalid_request"
      """
      POLICY: checking the length of a code_challenge is input validation no sentence asks of the
      server; RFC 7636 §4.2 gives the client's syntax, "code-challenge = 43*128unreserved", and
      RFC 7636 §4.4.1 makes invalid_request a MUST only for a missing challenge or an unsupported
      method.
      """

  @policy @rfc7636
  Scenario: A code_challenge longer than 128 characters is refused
    Given the confidential client
    When the client sends an authorization request with code_challenge set to "{129 a}"
    Then check "as.pkce.challenge-too-long" POLICY (RFC 7636 §4.2; RFC 7636 §4.4.1): the client receives the error "invalid_request"
      """
      POLICY: checking the length of a code_challenge is input validation no sentence asks of the
      server; RFC 7636 §4.2 gives the client's syntax, "code-challenge = 43*128unreserved", and
      RFC 7636 §4.4.1 makes invalid_request a MUST only for a missing challenge or an unsupported
      method.
      """

  @must @rfc9700
  Scenario: A public client without PKCE is refused
    Given the public client
    When the client sends an authorization request with code_challenge removed
    Then check "as.pkce.public-client-required" MUST (OAuth 2.1 §4.1.2.1; RFC 7636 §4.4.1; RFC 9700 §2.1.1): the client receives the error "invalid_request"
      """
      OAuth 2.1 §4.1.2.1: "An authorization server MUST reject requests without a code_challenge from
      public clients" RFC 7636 §4.4.1: "If the server requires Proof Key for Code Exchange (PKCE) by
      OAuth public clients and the client does not send the "code_challenge" in the request, the
      authorization endpoint MUST return the authorization error response with the "error" value set
      to "invalid_request"."
      """

@client
Feature: OpenID Connect client: ID token validation
  A relying party validates the ID token before it believes it (OIDC Core 1.0 §3.1.3.7): iss,
  aud, exp and the nonce it sent (MUST), the algorithm (SHOULD, item 7) and the signature with the
  issuer's keys (POLICY here: for an ID token from the token endpoint over TLS, item 6 lets TLS
  server validation stand in for it). The mock-idp plays a provider whose ID token is wrong in one way.

  @must @oidc
  Scenario: A valid ID token is accepted
    Given the client under test is an OpenID Connect provider
    When alice signs in through the client under test
    Then check "client.id-token.valid.accepted" MUST (OIDC Core 1.0 §3.1.3.7): the client under test answered with credentials
      """
      Clients MUST validate the ID Token in the Token Response in the following manner:
      """

  @must @oidc
  Scenario Outline: An ID token that is <flaw> is refused
    Given the client under test is an OpenID Connect provider
    And the provider's ID token is <flaw>
    When alice signs in through the client under test
    Then check "client.id-token.<flaw>.refused" <severity> (<spec>): the client under test refused
      """
      <quote>
      """

    Examples:
      | flaw           | severity | spec                                                        | quote |
      | expired        | MUST     | OIDC Core 1.0 §3.1.3.7 item 9                               | The current time MUST be before the time represented by the exp Claim. |
      | wrong-issuer   | MUST     | OIDC Core 1.0 §3.1.3.7 item 2                               | The Issuer Identifier for the OpenID Provider (which is typically obtained during Discovery) MUST exactly match the value of the iss (issuer) Claim. |
      | wrong-audience | MUST     | OIDC Core 1.0 §3.1.3.7 item 3                               | The ID Token MUST be rejected if the ID Token does not list the Client as a valid audience, or if it contains additional audiences not trusted by the Client. |
      | bad-signature  | POLICY   | OIDC Core 1.0 §3.1.3.7 item 6: TLS MAY stand in for it in the code flow | POLICY: checking the signature of an ID token the client got from the token endpoint itself. OIDC Core §3.1.3.7 item 6 lets TLS stand in for it: "If the ID Token is received via direct communication between the Client and the Token Endpoint (which it is in this flow), the TLS server validation MAY be used to validate the issuer in place of checking the token signature." |
      | unknown-kid    | POLICY   | OIDC Core 1.0 §3.1.3.7 item 6; §10.1.1                      | POLICY: refusing an ID token signed by a key the issuer does not publish, when it came from the token endpoint itself. OIDC Core §3.1.3.7 item 6 lets TLS stand in for the signature check: "the TLS server validation MAY be used to validate the issuer in place of checking the token signature." |
      | alg-none       | SHOULD   | OIDC Core 1.0 §3.1.3.7 item 7; RFC 8725 §3.1                | The alg value SHOULD be the default of RS256 or the algorithm sent by the Client in the id_token_signed_response_alg parameter during Registration. |
      | wrong-nonce    | MUST     | OIDC Core 1.0 §3.1.3.7 item 11                              | If a nonce value was sent in the Authentication Request, a nonce Claim MUST be present and its value checked to verify that it is the same value as the one that was sent in the Authentication Request. |

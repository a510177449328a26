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

  @must @oidc
  Scenario Outline: An ID token that is <flaw> is refused
    Given the client under test is an OpenID Connect provider
    And the provider's ID token is <flaw>
    When alice signs in through the client under test
    Then check "client.id-token.<flaw>.refused" <severity> (<spec>): the client under test refused

    Examples:
      | flaw           | severity | spec                                                        |
      | expired        | MUST     | OIDC Core 1.0 §3.1.3.7 item 9                               |
      | wrong-issuer   | MUST     | OIDC Core 1.0 §3.1.3.7 item 2                               |
      | wrong-audience | MUST     | OIDC Core 1.0 §3.1.3.7 item 3                               |
      | bad-signature  | POLICY   | OIDC Core 1.0 §3.1.3.7 item 6: TLS MAY stand in for it in the code flow |
      | unknown-kid    | POLICY   | OIDC Core 1.0 §3.1.3.7 item 6; §10.1.1                      |
      | alg-none       | SHOULD   | OIDC Core 1.0 §3.1.3.7 item 7; RFC 8725 §3.1                |
      | wrong-nonce    | MUST     | OIDC Core 1.0 §3.1.3.7 item 11                              |

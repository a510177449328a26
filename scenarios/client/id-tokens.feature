@client
Feature: OpenID Connect client: ID token validation
  A relying party validates the ID token before it believes it (OIDC Core 1.0 §3.1.3.7): the
  signature with the issuer's keys and the algorithm they name (never none), iss, aud, exp and
  the nonce it sent. The mock-idp plays a provider whose ID token is wrong in one way.

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
    Then check "client.id-token.<flaw>.refused" MUST (<spec>): the client under test refused

    Examples:
      | flaw           | spec                                          |
      | expired        | OIDC Core 1.0 §3.1.3.7 item 9                 |
      | wrong-issuer   | OIDC Core 1.0 §3.1.3.7 item 2                 |
      | wrong-audience | OIDC Core 1.0 §3.1.3.7 item 3                 |
      | bad-signature  | OIDC Core 1.0 §3.1.3.7 item 6; RFC 7515 §5.2  |
      | unknown-kid    | OIDC Core 1.0 §3.1.3.7 item 6; §10.1.1        |
      | alg-none       | OIDC Core 1.0 §3.1.3.7 item 6-7; RFC 8725 §3.1 |
      | wrong-nonce    | OIDC Core 1.0 §3.1.3.7 item 11                |

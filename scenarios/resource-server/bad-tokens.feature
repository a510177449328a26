@rs
Feature: Resource server: every bad token is refused with invalid_token, never a server error
  RFC 9068 §4 and RFC 7519 §7.2: the resource server validates the signature with the issuer's
  keys, refuses alg none, checks iss, aud, exp and nbf; RFC 8725 §3.1: a key is used with its one
  algorithm (no HS256 keyed with a public key); RFC 6749 §7: the resource server must validate the
  token; RFC 9068 §4: it verifies that typ is at+jwt (an ID token or an untyped JWT is not an
  access token). RFC 6750 §3: a request whose token does not enable access MUST get a
  WWW-Authenticate challenge; §3.1: 401 with error="invalid_token". A malformed token is the
  client's error: the server must not fail on it (RFC 9110 §15.6).

  @must @rfc9068
  Scenario Outline: A token that is <flaw> is refused
    Given a token for alice with the flaw "<flaw>"
    When the client calls read_item in alice's workspace with the token
    Then check "rs.bad-token.<flaw>.refused" MUST (<spec>): the resource server refuses the request
    And check "rs.bad-token.<flaw>.no-5xx" MUST (RFC 9110 §15.6; RFC 6750 §3.1): the response is not a server error
    And check "rs.bad-token.<flaw>.challenge" MUST (RFC 6750 §3): the response carries a Bearer challenge
    And check "rs.bad-token.<flaw>.401" SHOULD (RFC 6750 §3.1): the response status is 401
    And check "rs.bad-token.<flaw>.invalid-token" SHOULD (RFC 6750 §3.1): the challenge says invalid_token

    Examples:
      | flaw               | spec                                  |
      | expired            | RFC 7519 §4.1.4; RFC 9068 §4          |
      | not-yet-valid      | RFC 7519 §4.1.5                       |
      | wrong-issuer       | RFC 9068 §4; RFC 7519 §4.1.1          |
      | wrong-audience     | RFC 9068 §4; RFC 7519 §4.1.3          |
      | bad-signature      | RFC 9068 §4; RFC 7515 §5.2            |
      | unknown-kid        | RFC 9068 §4; RFC 7515 §4.1.4          |
      | alg-none           | RFC 9068 §4; RFC 8725 §3.1            |
      | hs256-public-key   | RFC 8725 §3.1; RFC 9068 §4            |
      | missing-exp        | RFC 9068 §2.2; RFC 9068 §4            |
      | stripped-signature | RFC 9068 §4; RFC 7515 §5.2            |
      | wrong-typ          | RFC 9068 §4; RFC 8725 §3.11           |
      | missing-typ        | RFC 9068 §2.1; RFC 9068 §4            |
      | not-a-jwt          | RFC 9068 §4; RFC 6750 §3.1            |

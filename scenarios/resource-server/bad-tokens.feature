@rs
Feature: Resource server: every bad token is refused with invalid_token, never a server error
  RFC 9068 §4 and RFC 7519 §7.2: the resource server validates the signature with the issuer's
  keys, refuses alg none, checks iss, aud, exp and nbf; RFC 8725 §3.1: a key is used with its one
  algorithm (no HS256 keyed with a public key); RFC 6749 §7: the resource server must validate the
  token; RFC 9068 §4: it verifies that typ is at+jwt (an ID token or an untyped JWT is not an
  access token). RFC 6750 §3: a request whose token does not enable access MUST get a
  WWW-Authenticate challenge; §3.1: 401 with error="invalid_token" (both SHOULD). A malformed
  token is the client's error: the server MUST handle it as RFC 6750 §3.1 describes (RFC 9068 §4),
  not fail on it (RFC 9110 §15.6).

  @must @rfc9068
  Scenario Outline: A token that is <flaw> is refused
    Given a token for alice with the flaw "<flaw>"
    When the client calls read_item in alice's workspace with the token
    Then check "rs.bad-token.<flaw>.refused" MUST (<spec>): the resource server refuses the request
      """
      <quote>
      """
    And check "rs.bad-token.<flaw>.no-5xx" MUST (RFC 9068 §4; RFC 6750 §3.1; RFC 9110 §15.6): the response is not a server error
      """
      The resource server MUST handle errors as described in Section 3.1 of [RFC6750].
      """
    And check "rs.bad-token.<flaw>.challenge" MUST (RFC 6750 §3): the response carries a Bearer challenge
      """
      If the protected resource request does not include authentication credentials or does not
      contain an access token that enables access to the protected resource, the resource server MUST
      include the HTTP "WWW-Authenticate" response header field; it MAY include it in response to
      other conditions as well. ... All challenges defined by this specification MUST use the
      auth-scheme value "Bearer".
      """
    And check "rs.bad-token.<flaw>.401" SHOULD (RFC 6750 §3.1): the response status is 401
      """
      invalid_token The access token provided is expired, revoked, malformed, or invalid for other
      reasons. The resource SHOULD respond with the HTTP 401 (Unauthorized) status code.
      """
    And check "rs.bad-token.<flaw>.invalid-token" SHOULD (RFC 6750 §3; RFC 6750 §3.1): the challenge says invalid_token
      """
      If the protected resource request included an access token and failed authentication, the
      resource server SHOULD include the "error" attribute to provide the client with the reason why
      the access request was declined. ... invalid_token The access token provided is expired,
      revoked, malformed, or invalid for other reasons.
      """

    Examples:
      | flaw               | spec                                    | quote |
      | expired            | RFC 7519 §4.1.4; RFC 9068 §4            | The current time MUST be before the time represented by the "exp" claim. |
      | not-yet-valid      | RFC 7519 §4.1.5                         | The "nbf" (not before) claim identifies the time before which the JWT MUST NOT be accepted for processing. |
      | wrong-issuer       | RFC 9068 §4; RFC 7519 §4.1.1            | The issuer identifier for the authorization server (which is typically obtained during discovery) MUST exactly match the value of the "iss" claim. |
      | wrong-audience     | RFC 9068 §4; RFC 7519 §4.1.3            | The resource server MUST validate that the "aud" claim contains a resource indicator value corresponding to an identifier the resource server expects for itself. The JWT access token MUST be rejected if "aud" does not contain a resource indicator of the current resource server as a valid audience. |
      | bad-signature      | RFC 9068 §4; RFC 7515 §5.2              | The resource server MUST validate the signature of all incoming JWT access tokens according to [RFC7515] using the algorithm specified in the JWT "alg" Header Parameter. |
      | unknown-kid        | RFC 9068 §4; RFC 7515 §4.1.4            | The resource server MUST use the keys provided by the authorization server. |
      | alg-none           | RFC 9068 §4; RFC 8725 §3.1              | The resource server MUST reject any JWT in which the value of "alg" is "none". |
      | hs256-public-key   | RFC 8725 §3.1; RFC 9068 §4              | Moreover, each key MUST be used with exactly one algorithm, and this MUST be checked when the cryptographic operation is performed. |
      | missing-exp        | RFC 9068 §2.2; RFC 9068 §4              | exp REQUIRED - as defined in Section 4.1.4 of [RFC7519]. ... The current time MUST be before the time represented by the "exp" claim. |
      | stripped-signature | RFC 9068 §4; RFC 7515 §5.2              | The resource server MUST validate the signature of all incoming JWT access tokens according to [RFC7515] using the algorithm specified in the JWT "alg" Header Parameter. |
      | wrong-typ          | RFC 9068 §4; RFC 8725 §3.11             | The resource server MUST verify that the "typ" header value is "at+jwt" or "application/at+jwt" and reject tokens carrying any other value. |
      | missing-typ        | RFC 9068 §2.1; RFC 9068 §4              | The resource server MUST verify that the "typ" header value is "at+jwt" or "application/at+jwt" and reject tokens carrying any other value. |
      | not-a-jwt          | RFC 6749 §7; RFC 9068 §4; RFC 6750 §3.1 | The resource server MUST validate the access token and ensure that it has not expired and that its scope covers the requested resource. |

@rs
Feature: Resource server: clock skew is tolerated only up to its declared leeway
  RFC 7519 §4.1.4 and §4.1.5: a token must not be accepted on or after exp nor before nbf;
  implementers MAY allow a small leeway, "usually no more than a few minutes". The profile
  declares the leeway (resource_server.leeway_seconds); one second beyond it is a refusal.

  @must @rfc7519
  Scenario: A token expired just beyond the leeway is refused
    Given a token for alice that expired 1 second beyond the leeway
    When the client calls read_item in alice's workspace with the token
    Then check "rs.leeway.exp" MUST (RFC 7519 §4.1.4; RFC 9068 §4): the resource server refuses the request
      """
      The current time MUST be before the time represented by the "exp" claim. Implementers MAY
      provide for some small leeway, usually no more than a few minutes, to account for clock skew.
      """
    And check "rs.leeway.exp.invalid-token" SHOULD (RFC 6750 §3; RFC 6750 §3.1): the challenge says invalid_token
      """
      If the protected resource request included an access token and failed authentication, the
      resource server SHOULD include the "error" attribute to provide the client with the reason why
      the access request was declined. ... invalid_token The access token provided is expired,
      revoked, malformed, or invalid for other reasons.
      """

  @must @rfc7519
  Scenario: A token that becomes valid just beyond the leeway is refused
    Given a token for alice that becomes valid 1 second beyond the leeway
    When the client calls read_item in alice's workspace with the token
    Then check "rs.leeway.nbf" MUST (RFC 7519 §4.1.5): the resource server refuses the request
      """
      The "nbf" (not before) claim identifies the time before which the JWT MUST NOT be accepted for
      processing. The processing of the "nbf" claim requires that the current date/time MUST be after
      or equal to the not-before date/time listed in the "nbf" claim. Implementers MAY provide for
      some small leeway, usually no more than a few minutes, to account for clock skew.
      """

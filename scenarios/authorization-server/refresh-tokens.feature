@as
Feature: Refresh tokens
  RFC 6749 §6 and RFC 9700 §4.14: refresh tokens of public clients rotate, a replayed rotated-out
  token revokes the family, a refresh never widens the scope, and tokens are bound to their client.

  @must @rfc9700
  Scenario: A public client's refresh token rotates and a replay revokes the family
    Given the public client
    When the user approves the authorization request
    And the client redeems the code
    And the client refreshes with the latest refresh token
    Then check "as.refresh.works" MUST (RFC 6749 §6; RFC 6749 §5.1): the token response carries a Bearer access token
      """
      If valid and authorized, the authorization server issues an access token as described in
      Section 5.1. ... access_token REQUIRED. The access token issued by the authorization server.
      token_type REQUIRED. The type of the token issued as described in Section 7.1.
      """
    And check "as.refresh.rotated" MUST (RFC 9700 §4.14.2; OAuth 2.1 §4.3.1): the refresh token was rotated
      """
      Authorization servers MUST utilize one of these methods to detect refresh token replay by
      malicious actors for public clients: ... Refresh token rotation: the authorization server issues
      a new refresh token with every access token refresh response.
      """
    When the client refreshes with the first refresh token
    Then check "as.refresh.replay-refused" MUST (RFC 9700 §4.14.2): the token endpoint answers 400 "invalid_grant"
      """
      Authorization servers MUST utilize one of these methods to detect refresh token replay by
      malicious actors for public clients: ... Refresh token rotation: the authorization server issues
      a new refresh token with every access token refresh response. The previous refresh token is
      invalidated, but information about the relationship is retained by the authorization server.
      """
    When the client refreshes with the latest refresh token
    Then check "as.refresh.family-revoked" MUST (RFC 9700 §4.14.2): the token endpoint answers 400 "invalid_grant"
      """
      Authorization servers MUST utilize one of these methods to detect refresh token replay by
      malicious actors for public clients: ... If a refresh token is compromised and subsequently used
      by both the attacker and the legitimate client, one of them will present an invalidated refresh
      token, which will inform the authorization server of the breach. The authorization server cannot
      determine which party submitted the invalid refresh token, but it will revoke the active refresh
      token.
      """

  @must @rfc6749
  Scenario: A refresh cannot widen the scope
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client refreshes with the latest refresh token asking for scope "openid profile email"
    Then check "as.refresh.no-widening" MUST (RFC 9700 §4.14.2; RFC 6749 §6; RFC 6749 §5.2): the token endpoint answers 400 "invalid_scope"
      """
      RFC 9700 §4.14.2: "If refresh tokens are issued, those refresh tokens MUST be bound to the scope
      and resource servers as consented by the resource owner." RFC 6749 §5.2: "error REQUIRED. A
      single ASCII [USASCII] error code from the following: ... invalid_scope The requested scope is
      invalid, unknown, malformed, or exceeds the scope granted by the resource owner."
      """

  @must @rfc6749
  Scenario: Another client's refresh token is refused
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the other confidential client refreshes with the latest refresh token
    Then check "as.refresh.client-binding" MUST (RFC 6749 §6; RFC 9700 §4.14.2): the token endpoint answers 400 "invalid_grant"
      """
      The authorization server MUST: ... authenticate the client if client authentication is included
      and ensure that the refresh token was issued to the authenticated client,
      """

  @must @rfc6749
  Scenario: A confidential client must authenticate to refresh
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client refreshes with the latest refresh token without authenticating
    Then check "as.refresh.client-auth" MUST (RFC 6749 §6): the token endpoint answers 401 "invalid_client"
      """
      The authorization server MUST: require client authentication for confidential clients or for any
      client that was issued client credentials (or with other authentication requirements),
      """

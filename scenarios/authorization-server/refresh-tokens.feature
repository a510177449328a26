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
    Then check "as.refresh.works" MUST (RFC 6749 §6): the token response carries a Bearer access token
    And check "as.refresh.rotated" MUST (RFC 9700 §4.14.2; OAuth 2.1 §4.3.1): the refresh token was rotated
    When the client refreshes with the first refresh token
    Then check "as.refresh.replay-refused" MUST (RFC 9700 §4.14.2): the token endpoint answers 400 "invalid_grant"
    When the client refreshes with the latest refresh token
    Then check "as.refresh.family-revoked" MUST (RFC 9700 §4.14.2): the token endpoint answers 400 "invalid_grant"

  @must @rfc6749
  Scenario: A refresh cannot widen the scope
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client refreshes with the latest refresh token asking for scope "openid profile email"
    Then check "as.refresh.no-widening" MUST (RFC 6749 §6): the token endpoint answers 400 "invalid_scope"

  @must @rfc6749
  Scenario: Another client's refresh token is refused
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the other confidential client refreshes with the latest refresh token
    Then check "as.refresh.client-binding" MUST (RFC 6749 §6; RFC 9700 §4.14.2): the token endpoint answers 400 "invalid_grant"

  @must @rfc6749
  Scenario: A confidential client must authenticate to refresh
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client refreshes with the latest refresh token without authenticating
    Then check "as.refresh.client-auth" MUST (RFC 6749 §6): the token endpoint answers 401 "invalid_client"

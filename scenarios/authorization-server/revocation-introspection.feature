@as
Feature: Revocation and introspection
  RFC 7009: revoking an unknown token is not an error; a revoked refresh token (and, with it, its
  grant) stops working; the token_type_hint is only a hint. RFC 7662: only an authenticated caller
  may introspect, and an inactive token is described by exactly {"active": false}.

  @must @rfc7009
  Scenario: Revoking an unknown token answers 200
    Given the confidential client
    When the client revokes the unknown token
    Then check "as.revoke.unknown-token" MUST (RFC 7009 §2.2): the response status is 200

  @must @rfc7009
  Scenario: A revoked refresh token no longer refreshes
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client revokes the latest refresh token
    Then check "as.revoke.answers-200" MUST (RFC 7009 §2.2): the response status is 200
    When the client refreshes with the latest refresh token
    Then check "as.revoke.refresh-revoked" MUST (RFC 7009 §2.1): the token endpoint answers 400 "invalid_grant"

  @must @rfc7009
  Scenario: The token_type_hint is only a hint
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client revokes the latest refresh token with token_type_hint "access_token"
    And the client refreshes with the latest refresh token
    Then check "as.revoke.hint-is-a-hint" MUST (RFC 7009 §2.1): the token endpoint answers 400 "invalid_grant"

  @must @rfc7662
  Scenario: Introspection needs an authenticated caller
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And an unauthenticated caller introspects the latest access token
    Then check "as.introspect.needs-auth" MUST (RFC 7662 §2.1; RFC 7662 §2.3): the response status is 401

  @must @rfc7662
  Scenario: An active token is described, a revoked one is exactly inactive
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client introspects the latest access token
    Then check "as.introspect.active" MUST (RFC 7662 §2.2): the introspection answer says active
    When the client revokes the latest access token
    And the client introspects the latest access token
    Then check "as.introspect.revoked-inactive" MUST (RFC 7009 §2.1; RFC 7662 §2.2): the introspection answer is exactly active false

  @must @rfc7662
  Scenario: An unknown token is exactly inactive
    Given the confidential client
    When the client introspects the unknown token
    Then check "as.introspect.unknown-inactive" MUST (RFC 7662 §2.2): the introspection answer is exactly active false

@as
Feature: Revocation and introspection
  RFC 7009: revoking an unknown token answers 200, as §2.2 describes; a revoked refresh token
  stops working; the token_type_hint is only a hint; revoking access tokens is a SHOULD (§2).
  RFC 7662: only an authorized caller may introspect, and an inactive token is described by
  {"active": false} with nothing else (the "nothing else" is a SHOULD NOT, §2.2).

  @policy @rfc7009
  Scenario: Revoking an unknown token answers 200
    Given the confidential client
    When the client revokes the unknown token
    Then check "as.revoke.unknown-token" POLICY (RFC 7009 §2.2): the response status is 200
      """
      POLICY: the 200 for a token the server does not know is the answer RFC 7009 §2.2 describes, in
      prose without an RFC 2119 keyword: "The authorization server responds with HTTP status code 200
      if the token has been revoked successfully or if the client submitted an invalid token."
      """

  @must @rfc7009
  Scenario: A revoked refresh token no longer refreshes
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client revokes the latest refresh token
    Then check "as.revoke.answers-200" MUST (RFC 7009 §2; RFC 7009 §2.2): the response status is 200
      """
      Implementations MUST support the revocation of refresh tokens and SHOULD support the revocation
      of access tokens (see Implementation Note). ... The authorization server responds with HTTP
      status code 200 if the token has been revoked successfully or if the client submitted an invalid
      token.
      """
    When the client refreshes with the latest refresh token
    Then check "as.revoke.refresh-revoked" MUST (RFC 7009 §2; RFC 7009 §2.1): the token endpoint answers 400 "invalid_grant"
      """
      Implementations MUST support the revocation of refresh tokens and SHOULD support the revocation
      of access tokens (see Implementation Note). ... In the next step, the authorization server
      invalidates the token. The invalidation takes place immediately, and the token cannot be used
      again after the revocation.
      """

  @must @rfc7009
  Scenario: The token_type_hint is only a hint
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client revokes the latest refresh token with token_type_hint "access_token"
    And the client refreshes with the latest refresh token
    Then check "as.revoke.hint-is-a-hint" MUST (RFC 7009 §2.1): the token endpoint answers 400 "invalid_grant"
      """
      If the server is unable to locate the token using the given hint, it MUST extend its search
      across all of its supported token types.
      """

  @must @rfc7662
  Scenario: Introspection needs an authenticated caller
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And an unauthenticated caller introspects the latest access token
    Then check "as.introspect.needs-auth" MUST (RFC 7662 §2.1): the introspection endpoint refuses the caller and reveals nothing of the token
      """
      To prevent token scanning attacks, the endpoint MUST also require some form of authorization to
      access this endpoint, such as client authentication as described in OAuth 2.0 [RFC6749] or a
      separate OAuth 2.0 access token such as the bearer token described in OAuth 2.0 Bearer Token
      Usage [RFC6750].
      """
    And check "as.introspect.needs-auth.401" POLICY (RFC 7662 §2.3; RFC 6749 §5.2): the response status is 401
      """
      POLICY: RFC 7662 §2.3's 401 is for credentials that are invalid ("If the protected resource
      uses OAuth 2.0 client credentials to authenticate to the introspection endpoint and its
      credentials are invalid, the authorization server responds with an HTTP 401"); for a caller
      that sent none, RFC 6749 §5.2 says the server "MAY return an HTTP 401 (Unauthorized) status
      code", so a 400 is as conformant.
      """

  @must @rfc7662
  Scenario: An active token is described, a revoked one is exactly inactive
    Given the confidential client
    When the user approves the authorization request
    And the client redeems the code
    And the client introspects the latest access token
    Then check "as.introspect.active" MUST (RFC 7662 §2.2): the introspection answer says active
      """
      active REQUIRED. Boolean indicator of whether or not the presented token is currently active.
      """
    When the client revokes the latest access token
    And the client introspects the latest access token
    Then check "as.introspect.revoked-inactive" SHOULD (RFC 7009 §2; RFC 7009 §2.1; RFC 7662 §2.2): the introspection answer is exactly active false
      """
      RFC 7009 §2: "Implementations MUST support the revocation of refresh tokens and SHOULD support
      the revocation of access tokens (see Implementation Note)." RFC 7662 §2.2: "If the introspection
      call is properly authorized but the token is not active, does not exist on this server, or the
      protected resource is not allowed to introspect this particular token, then the authorization
      server MUST return an introspection response with the "active" field set to "false". Note that
      to avoid disclosing too much of the authorization server's state to a third party, the
      authorization server SHOULD NOT include any additional information about an inactive token,
      including why the token is inactive."
      """

  @must @rfc7662
  Scenario: An unknown token is exactly inactive
    Given the confidential client
    When the client introspects the unknown token
    Then check "as.introspect.unknown-inactive" MUST (RFC 7662 §2.2): the introspection answer is exactly active false
      """
      If the introspection call is properly authorized but the token is not active, does not exist on
      this server, or the protected resource is not allowed to introspect this particular token, then
      the authorization server MUST return an introspection response with the "active" field set to
      "false". Note that to avoid disclosing too much of the authorization server's state to a third
      party, the authorization server SHOULD NOT include any additional information about an inactive
      token, including why the token is inactive.
      """

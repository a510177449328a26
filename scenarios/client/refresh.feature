@client
Feature: OAuth client: refresh
  An expired access token is renewed, by a refresh (RFC 6749 §6; OAuth 2.1 §4.3: a practice no
  sentence requires over a new authorization); every token request authenticates as the client
  registered (RFC 6749 §6, §3.2.1: MUST), with HTTP Basic (§2.3.1: body credentials are NOT
  RECOMMENDED); a refresh token the server no longer accepts (invalid_grant, OAuth 2.1 §3.2.4)
  leads to one clean re-authorization, not a loop (policy).

  @must @refresh @clock
  Scenario: An expired access token is refreshed with the registered client authentication
    Given the client under test is an authorization-code provider registered for client_secret_basic
    And access tokens live 300 seconds
    When alice signs in through the client under test
    And 400 seconds pass for the client
    And the client under test is asked for alice's headers
    Then check "client.refresh.used" POLICY (RFC 6749 §6; OAuth 2.1 §4.3, §1.3.2): the client refreshed its token with the refresh_token grant
      """
      POLICY: renewing an expired access token with the refresh token rather than a new authorization. RFC 6749 §6 describes the request with no keyword ("If the authorization server issued a refresh token to the client, the client makes a refresh request to the token endpoint"), and nothing obliges the client to refresh.
      """
    And check "client.refresh.client-auth" MUST (RFC 6749 §6, §3.2.1; RFC 7591 §2 token_endpoint_auth_method): every token request authenticates with HTTP Basic as the registered client
      """
      If the client type is confidential or the client was issued client credentials (or assigned other authentication requirements), the client MUST authenticate with the authorization server as described in Section 3.2.1.
      """
    And check "client.refresh.credentials" POLICY (OAuth 2.1 §4.3, §1.3.2): the client under test answered with credentials
      """
      POLICY: once its access token expired, the provider still answers with credentials (refreshed, or from a new authorization) instead of failing. OAuth 2.1 §1.3.2 only describes the renewal, with no keyword: refresh tokens "are used to obtain a new access token when the current access token becomes invalid or expires".
      """

  @policy @refresh @clock
  Scenario: A refresh token the server refuses leads to one clean re-authorization
    Given the client under test is an authorization-code provider registered for client_secret_basic
    And access tokens live 300 seconds
    And refresh tokens live 300 seconds
    When alice signs in through the client under test
    And 400 seconds pass for the client
    And the client under test is asked for alice's headers
    Then check "client.refresh.invalid-grant.reauthorized-once" POLICY (OAuth 2.1 §3.2.4, §4.3): after invalid_grant the client authorized exactly once more
      """
      POLICY: after invalid_grant on refresh, one new authorization, not none and not a loop. OAuth 2.1 §1.3.2 says only, with no keyword: "Regardless of why or when the refresh token expires, the client has only one path to obtain new tokens, which is to start a new OAuth flow from the beginning."
      """
    And check "client.refresh.invalid-grant.credentials" POLICY (OAuth 2.1 §4.3): the client under test answered with credentials
      """
      POLICY: the provider recovers from a refused refresh token by itself and answers with credentials. OAuth 2.1 §1.3.2 says only, with no keyword: "This means the client already has to handle the case of a refresh token expiring at an arbitrary time."
      """

@client
Feature: OAuth client: refresh
  An expired access token is renewed with the refresh token, authenticating as the client
  registered (RFC 6749 §6, §2.3.1; OAuth 2.1 §4.3); a refresh token the server no longer accepts
  (invalid_grant, OAuth 2.1 §3.2.4) leads to one clean re-authorization, not a loop.

  @must @refresh
  Scenario: An expired access token is refreshed with the registered client authentication
    Given the client under test is an authorization-code provider registered for client_secret_basic
    And access tokens live 300 seconds
    When alice signs in through the client under test
    And 400 seconds pass for the client
    And the client under test is asked for alice's headers
    Then check "client.refresh.used" SHOULD (RFC 6749 §6; OAuth 2.1 §4.3): the client refreshed its token with the refresh_token grant
    And check "client.refresh.client-auth" MUST (RFC 6749 §6, §3.2.1; RFC 7591 §2 token_endpoint_auth_method): every token request authenticates with HTTP Basic as the registered client
    And check "client.refresh.credentials" MUST (OAuth 2.1 §4.3): the client under test answered with credentials

  @policy @refresh
  Scenario: A refresh token the server refuses leads to one clean re-authorization
    Given the client under test is an authorization-code provider registered for client_secret_basic
    And access tokens live 300 seconds
    And refresh tokens live 300 seconds
    When alice signs in through the client under test
    And 400 seconds pass for the client
    And the client under test is asked for alice's headers
    Then check "client.refresh.invalid-grant.reauthorized-once" POLICY (OAuth 2.1 §3.2.4, §4.3): after invalid_grant the client authorized exactly once more
    And check "client.refresh.invalid-grant.credentials" POLICY (OAuth 2.1 §4.3): the client under test answered with credentials

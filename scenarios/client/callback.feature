@client
Feature: OAuth client: the authorization response
  A client sends a fresh, unguessable state and redeems a code only from a callback that brings
  it back (RFC 6749 §10.12; OAuth 2.1 §7.5.1; RFC 9700 §4.7.1). A callback with error= or
  without a code ends the attempt: it never leads to a token request (RFC 6749 §4.1.2.1). A
  callback whose iss is not the authorization server's, or lacks it although the server advertises
  authorization_response_iss_parameter_supported, is rejected (RFC 9207 §2.4). The
  runner plays the browser and brings the callback back as the scenario says.

  @must
  Scenario: A signed-in user's client gets credentials through the authorization code flow
    Given the client under test is an authorization-code provider registered for client_secret_basic
    When alice signs in through the client under test
    Then check "client.auth-code.credentials" MUST (RFC 6749 §4.1; OAuth 2.1 §4.1): the client under test answered with credentials
    And check "client.auth-code.pkce" MUST (OAuth 2.1 §4.1.1; RFC 9700 §2.1.1): every authorization request carries a PKCE S256 challenge
    And check "client.auth-code.verifier" MUST (RFC 7636 §4.5; OAuth 2.1 §4.1.3): every code exchange carries a code_verifier
    And check "client.auth-code.client-auth" MUST (RFC 6749 §3.2.1; RFC 7591 §2 token_endpoint_auth_method; OAuth 2.1 §2.4.1): every token request authenticates with HTTP Basic as the registered client

  @must
  Scenario Outline: A callback with <damage> redeems no code
    Given the client under test is an authorization-code provider registered for client_secret_basic
    And the browser comes back with <damage>
    When alice signs in through the client under test
    Then check "client.callback.<id>.no-redemption" MUST (<spec>): no token was requested after the callback
    And check "client.callback.<id>.refused" MUST (<spec>): the client under test refused

    Examples:
      | damage              | id          | spec                                             |
      | a wrong state       | wrong-state | RFC 6749 §10.12; OAuth 2.1 §7.5.1; RFC 9700 §4.7.1 |
      | no state            | no-state    | RFC 6749 §10.12; OAuth 2.1 §7.5.1                |
      | error=access_denied | error       | RFC 6749 §4.1.2.1; OAuth 2.1 §4.1.2.1            |
      | no code             | no-code     | RFC 6749 §4.1.2; OAuth 2.1 §4.1.2                |

  @should
  Scenario Outline: A callback with <damage> redeems no code (RFC 9207)
    Given the client under test is an authorization-code provider registered for client_secret_basic
    And the browser comes back with <damage>
    When alice signs in through the client under test
    Then check "client.callback.<id>.no-redemption" SHOULD (<spec>): no token was requested after the callback
    And check "client.callback.<id>.refused" SHOULD (<spec>): the client under test refused

    Examples:
      | damage      | id        | spec                                                                      |
      | a wrong iss | wrong-iss | RFC 9207 §2.4, a MUST for clients that support it; RFC 9700 §4.4.2       |
      | no iss      | no-iss    | RFC 9207 §2.4, with authorization_response_iss_parameter_supported; RFC 9700 §4.4.2 |

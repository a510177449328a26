@client
Feature: OAuth client: the authorization response
  A client sends a fresh, unguessable state and redeems a code only from a callback that brings
  it back (RFC 6749 §4.1.1, §10.12: SHOULD, since a client that ensured PKCE support MAY rely on
  PKCE for its CSRF protection, OAuth 2.1 §2.3.3, RFC 9700 §2.1). A callback with error= or
  without a code ends the attempt: it never leads to a token request of any grant (a policy: RFC
  6749 §4.1.2.1 binds only the server). A callback whose iss is not the authorization server's,
  or lacks it although the server advertises authorization_response_iss_parameter_supported, is
  rejected (RFC 9207 §2.4, a MUST for clients that support it; RFC 9700 §2.1: SHOULD). The
  runner plays the browser and brings the callback back as the scenario says.

  @must
  Scenario: A signed-in user's client gets credentials through the authorization code flow
    Given the client under test is an authorization-code provider registered for client_secret_basic
    When alice signs in through the client under test
    Then check "client.auth-code.credentials" MUST (RFC 6749 §4.1, §4.1.3; OAuth 2.1 §4.1): the client under test answered with credentials
      """
      The client makes a request to the token endpoint by sending the following parameters ...: grant_type REQUIRED. Value MUST be set to "authorization_code". code REQUIRED. The authorization code received from the authorization server.
      """
    And check "client.auth-code.pkce" SHOULD (RFC 9700 §2.1.1; OAuth 2.1 §4.1.1, §7.5.2; RFC 7636 §4.2): every authorization request carries a PKCE S256 challenge
      """
      For confidential clients, the use of PKCE [RFC7636] is RECOMMENDED, as it provides strong protection against misuse and injection of authorization codes ... When using PKCE, clients SHOULD use PKCE code challenge methods that do not expose the PKCE verifier in the authorization request.
      """
    And check "client.auth-code.verifier" MUST (RFC 7636 §4.5; OAuth 2.1 §4.1.3): every code exchange carries a code_verifier
      """
      "code_verifier": REQUIRED, if the code_challenge parameter was included in the authorization request. MUST NOT be used otherwise. The original code verifier string.
      """
    And check "client.auth-code.client-auth" MUST (RFC 6749 §3.2.1, §4.1.3; RFC 7591 §2 token_endpoint_auth_method; OAuth 2.1 §2.4.1): every token request authenticates with HTTP Basic as the registered client
      """
      Confidential clients or other clients issued client credentials MUST authenticate with the authorization server as described in Section 2.3 when making requests to the token endpoint.
      """

  @must
  Scenario: A client registered for client_secret_post authenticates with it
    The authorization server accepts at its token endpoint only the method the client registered
    (RFC 7591 §2 token_endpoint_auth_method), as Okta, Keycloak and Entra ID do.
    Given the client under test is an authorization-code provider registered for client_secret_post
    When alice signs in through the client under test
    Then check "client.auth-code.post.credentials" MUST (RFC 6749 §4.1, §4.1.3; OAuth 2.1 §4.1): the client under test answered with credentials
      """
      The client makes a request to the token endpoint by sending the following parameters ...: grant_type REQUIRED. Value MUST be set to "authorization_code". code REQUIRED. The authorization code received from the authorization server.
      """
    And check "client.auth-code.post.client-auth" MUST (RFC 6749 §2.3.1, §3.2.1; RFC 7591 §2 token_endpoint_auth_method; OAuth 2.1 §2.4.1): every token request authenticates with client_secret_post as the registered client
      """
      Confidential clients or other clients issued client credentials MUST authenticate with the authorization server as described in Section 2.3 when making requests to the token endpoint.
      """

  @should
  Scenario Outline: A callback with <damage> redeems no code
    Given the client under test is an authorization-code provider registered for client_secret_basic
    And the browser comes back with <damage>
    When alice signs in through the client under test
    Then check "client.callback.<id>.no-redemption" <severity> (<spec>): no token was requested after the callback
      """
      <quote>
      """
    And check "client.callback.<id>.refused" <severity> (<spec>): the client under test refused
      """
      <quote>
      """

    Examples:
      | damage              | id          | severity | spec                                                                   | quote |
      | a wrong state       | wrong-state | SHOULD   | RFC 6749 §4.1.1, §10.12; OAuth 2.1 §2.3.3; RFC 9700 §2.1, §4.7.1       | The parameter SHOULD be used for preventing cross-site request forgery as described in Section 10.12. |
      | no state            | no-state    | SHOULD   | RFC 6749 §4.1.1, §10.12; OAuth 2.1 §2.3.3; RFC 9700 §2.1               | The parameter SHOULD be used for preventing cross-site request forgery as described in Section 10.12. |
      | error=access_denied | error       | POLICY   | RFC 6749 §4.1.2.1, §4.1.3; OAuth 2.1 §4.1.2.1                          | POLICY: an error response ends the attempt, and no token of any grant (client credentials say) is requested after it. RFC 6749 §4.1.2.1 binds only the server ("the authorization server informs the client"), and the client's MUST, RFC 6749 §4.1.3 "code REQUIRED. The authorization code received from the authorization server.", covers only an authorization_code request, while this check counts every grant. |
      | no code             | no-code     | POLICY   | RFC 6749 §4.1.2, §4.1.3; OAuth 2.1 §4.1.2                              | POLICY: a callback without a code ends the attempt, and no token of any grant (client credentials say) is requested after it. The client's MUST, RFC 6749 §4.1.3 "code REQUIRED. The authorization code received from the authorization server.", covers only an authorization_code request, while this check counts every grant. |

  @should
  Scenario Outline: A callback with <damage> redeems no code (RFC 9207)
    Given the client under test is an authorization-code provider registered for client_secret_basic
    And the browser comes back with <damage>
    When alice signs in through the client under test
    Then check "client.callback.<id>.no-redemption" SHOULD (<spec>): no token was requested after the callback
      """
      <quote>
      """
    And check "client.callback.<id>.refused" SHOULD (<spec>): the client under test refused
      """
      <quote>
      """

    Examples:
      | damage      | id        | spec                                                                                        | quote |
      | a wrong iss | wrong-iss | RFC 9207 §2.4, a MUST for clients that support it; RFC 9700 §2.1, §4.4.2                     | When an OAuth client can interact with more than one authorization server, a defense against mix-up attacks (see Section 4.4) is REQUIRED. To this end, clients SHOULD use the iss parameter as a countermeasure according to [RFC9207], or use an alternative countermeasure based on an iss value in the authorization response ... |
      | no iss      | no-iss    | RFC 9207 §2.4, with authorization_response_iss_parameter_supported; RFC 9700 §2.1, §4.4.2  | When an OAuth client can interact with more than one authorization server, a defense against mix-up attacks (see Section 4.4) is REQUIRED. To this end, clients SHOULD use the iss parameter as a countermeasure according to [RFC9207], or use an alternative countermeasure based on an iss value in the authorization response ... |

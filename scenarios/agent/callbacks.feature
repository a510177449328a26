@agent
Feature: Multi-user agent server: a tampered consent callback is not redeemed
  The consent callback comes back to the agent server through the user's browser, where an
  attacker can forge or swap it (RFC 6749 §10.12, cross-site request forgery; RFC 9700 §4.4,
  mix-up). Here alice's browser changes one thing in every callback it brings back; bob, who calls
  first, consents normally. Whatever the damage, alice's call must not be served with anybody's
  token or data, and bob's stays his. A callback whose state the server cannot match to a call may
  be ignored (the call goes on waiting for a genuine one); one it can match but must refuse ends
  the call with an error (POLICY `reported`). A call still waiting 15 seconds after its tampered
  callback is given up, not hung.

  @should
  Scenario Outline: A consent callback with <damage> is not redeemed, and nobody's token serves the call
    Given the agent server under test calls a protected API with each user's own token
    And alice's browser comes back from every consent prompt with <damage>
    When bob and alice connect with their own identity tokens
    And bob and alice each call the tool once, one after the other
    Then check "agent.callback.<id>.no-redemption" <severity> (<spec>): no token was requested after alice's tampered callback
      """
      <quote>
      """
    And check "agent.callback.<id>.no-token" MUST (RFC 6750 §5.3; RFC 6749 §1.4): no API request made for alice's call carried another person's token
      """
      Client implementations MUST ensure that bearer tokens are not leaked to unintended parties, as they will be able to use them to gain access to protected resources.
      """
    And check "agent.callback.<id>.no-data" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4): alice was not answered with another person's data
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """
    And check "agent.callback.<id>.others-served" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4): every call but alice's was answered with the API's answer for the person who made it
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """

    Examples:
      | damage               | id          | severity | spec                                                             | quote |
      | a forged state       | wrong-state | SHOULD   | RFC 6749 §4.1.1, §10.12; OAuth 2.1 §2.3.3; RFC 9700 §2.1, §4.7.1 | The parameter SHOULD be used for preventing cross-site request forgery as described in Section 10.12. |
      | no state             | no-state    | SHOULD   | RFC 6749 §4.1.1, §10.12; OAuth 2.1 §2.3.3; RFC 9700 §2.1         | The parameter SHOULD be used for preventing cross-site request forgery as described in Section 10.12. |

  @should
  Scenario Outline: A consent callback with <damage> ends the call with an error, and nobody's token serves it
    Given the agent server under test calls a protected API with each user's own token
    And alice's browser comes back from every consent prompt with <damage>
    When bob and alice connect with their own identity tokens
    And bob and alice each call the tool once, one after the other
    Then check "agent.callback.<id>.no-redemption" <severity> (<spec>): no token was requested after alice's tampered callback
      """
      <quote>
      """
    And check "agent.callback.<id>.no-token" MUST (RFC 6750 §5.3; RFC 6749 §1.4): no API request made for alice's call carried another person's token
      """
      Client implementations MUST ensure that bearer tokens are not leaked to unintended parties, as they will be able to use them to gain access to protected resources.
      """
    And check "agent.callback.<id>.no-data" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4): alice was not answered with another person's data
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """
    And check "agent.callback.<id>.others-served" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4): every call but alice's was answered with the API's answer for the person who made it
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """
    And check "agent.callback.<id>.reported" POLICY (<spec>; authconform: a refusal is reported): alice's call was answered with an error
      """
      POLICY: a callback the server matched to alice's call but must refuse ends that call with an error within 15 seconds, rather than leaving it waiting. <spec> asks only that the response not be used.
      """

    Examples:
      | damage               | id        | severity | spec                                                                       | quote |
      | no code              | no-code   | POLICY   | RFC 6749 §4.1.2, §4.1.3; OAuth 2.1 §4.1.2                                  | POLICY: a callback without a code ends the attempt, and no token of any grant is requested after it. The client's MUST, RFC 6749 §4.1.3 "code REQUIRED. The authorization code received from the authorization server.", covers only an authorization_code request, while this check counts every grant. |
      | another issuer's iss | wrong-iss | SHOULD   | RFC 9207 §2.4, a MUST for clients that support it; RFC 9700 §2.1           | When an OAuth client can interact with more than one authorization server, a defense against mix-up attacks (see Section 4.4) is REQUIRED. To this end, clients SHOULD use the iss parameter as a countermeasure according to [RFC9207], or use an alternative countermeasure based on an iss value in the authorization response ... (RFC 9207 §2.4, for a client that supports it: "If the value does not match the expected issuer identifier, clients MUST reject the authorization response and MUST NOT proceed with the authorization grant.") |
      | no iss               | no-iss    | SHOULD   | RFC 9207 §2.4, with authorization_response_iss_parameter_supported; RFC 9700 §2.1 | When an OAuth client can interact with more than one authorization server, a defense against mix-up attacks (see Section 4.4) is REQUIRED. To this end, clients SHOULD use the iss parameter as a countermeasure according to [RFC9207] ... (RFC 9207 §2.4, for a client that supports it: "Clients MUST reject authorization responses without the iss parameter from authorization servers that do support the parameter according to the client's configuration.") |

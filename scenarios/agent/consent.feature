@agent
Feature: Multi-user agent server: the consent prompt reaches the right user
  When a call needs its user's consent, the prompt goes to the connection that made the call and
  to no other: whoever answers a prompt binds their own account to it, so a prompt shown to
  another connected user lets that user's grant serve the caller (RFC 6749 §10.12: the client,
  here the agent server, MUST bind the authorization request and response to the user-agent
  that started them).

  @must
  Scenario: With several users connected, the consent prompt reaches the caller's connection
    Given the agent server under test calls a protected API with each user's own token
    When alice connects with her own identity token
    And hatter connects with his own identity token
    And alice calls the tool
    Then check "agent.consent.routing" MUST (RFC 6749 §10.12): every consent prompt reached the connection whose call needed it
      """
      The client MUST implement CSRF protection for its redirection URI. This is typically accomplished by requiring any request sent to the redirection URI endpoint to include a value that binds the request to the user-agent's authenticated state (e.g., a hash of the session cookie used to authenticate the user-agent).
      """
    And check "agent.consent.own-token" MUST (RFC 6749 §10.12; RFC 6749 §1.4): no API request made for alice's call carried another person's token
      """
      A CSRF attack against the client's redirection URI allows an attacker to inject its own authorization code or access token, which can result in the client using an access token associated with the attacker's protected resources rather than the victim's ... The client MUST implement CSRF protection for its redirection URI.
      """
    And check "agent.consent.answered" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4): every call was answered with the API's answer for the person who made it
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """

  @must
  Scenario: Callbacks that come back in another order still land with the calls that asked for them
    Given the agent server under test calls a protected API with each user's own token
    When alice, hatter and bob connect with their own identity tokens
    And alice, hatter and bob call the tool at once and answer the consent prompts in the reverse order
    Then check "agent.consent.order.own-token" MUST (RFC 6749 §10.12: the response is bound to the request by its state): every API request carried the token of a person whose call it served
      """
      The client MUST implement CSRF protection for its redirection URI. This is typically accomplished by requiring any request sent to the redirection URI endpoint to include a value that binds the request to the user-agent's authenticated state (e.g., a hash of the session cookie used to authenticate the user-agent).
      """
    And check "agent.consent.order.answered" MUST (RFC 6749 §10.12; RFC 9700 §4.7.1; MCP 2025-11-25 Authorization, Access Token Privilege Restriction): every call was answered with the API's answer for the person who made it
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """

  @must
  Scenario: A user who denies consent gets an error, and nobody's token serves that call
    The authorization server answers alice's consent prompt with error=access_denied (RFC 6749
    §4.1.2.1), with her state and iss; bob, who calls first, consents.
    Given the agent server under test calls a protected API with each user's own token
    And alice denies every consent prompt
    When bob and alice connect with their own identity tokens
    And bob and alice each call the tool once, one after the other
    Then check "agent.consent.denied.no-token" MUST (RFC 6750 §5.3; RFC 6749 §1.4, §4.1.2.1): no API request made for alice's call carried another person's token
      """
      Client implementations MUST ensure that bearer tokens are not leaked to unintended parties, as they will be able to use them to gain access to protected resources.
      """
    And check "agent.consent.denied.no-data" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4): alice was not answered with another person's data
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """
    And check "agent.consent.denied.others-served" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4): every call but alice's was answered with the API's answer for the person who made it
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """
    And check "agent.consent.denied.reported" POLICY (RFC 6749 §4.1.2.1): alice's call was answered with an error
      """
      POLICY: a denied consent ends the call that needed it with an error, in bounded time, rather than leaving it waiting. RFC 6749 §4.1.2.1 only says what the server sends: "If the resource owner denies the access request or if the request fails for reasons other than a missing or invalid redirection URI, the authorization server informs the client by adding the following parameters to the query component of the redirection URI".
      """

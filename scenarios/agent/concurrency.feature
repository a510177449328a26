@agent
Feature: Multi-user agent server: many users at once
  Fifty users call the tool at the same moment, each through their own connection, each with a
  consent still to give. Every consent must land with the call that asked for it (RFC 6749
  §10.12: the client, here the agent server, MUST protect its redirection URI so that the
  authorization response is bound to the user-agent that started the request) and every call
  must act with its own user's token (RFC 6750 §5.3: a client MUST NOT let a bearer token serve
  an unintended party; RFC 6749 §1.4): no token crosses over, and no data reaches another user
  (MCP 2025-11-25 Authorization, Access Token Privilege Restriction), however the server
  interleaves its work. That each user is asked exactly once is this suite's policy.

  @must
  Scenario: Fifty users at once: no cross-user token use, no lost or duplicated consent
    Given the agent server under test calls a protected API with each user's own token
    And 50 more users
    When the 50 users connect with their own identity tokens
    And the 50 users call the tool at once
    Then check "agent.concurrency.own-token" MUST (RFC 6750 §5.3; derived from RFC 6749 §1.4 and §10.3: a token is its owner's grant to the client, for that owner): every API request carried the token of a person whose call it served
      """
      Client implementations MUST ensure that bearer tokens are not leaked to unintended parties, as they will be able to use them to gain access to protected resources.
      """
    And check "agent.concurrency.answered" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §10.12; RFC 6749 §1.4): every call was answered with the API's answer for the person who made it
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """
    And check "agent.concurrency.consent-once" POLICY (authconform: a grant is kept per user and refreshed, RFC 6749 §1.5, §6; no spec sentence bounds the prompts): each user was asked for consent exactly once
      """
      POLICY: each user is asked for consent once, and the grant is then kept for that user, not lost to a concurrent call and not asked for twice. No sentence bounds the prompts; RFC 6749 §1.5 only describes keeping the grant: refresh tokens "are used to obtain a new access token when the current access token becomes invalid or expires".
      """
    And check "agent.concurrency.consent-routing" MUST (RFC 6749 §10.12): every consent prompt reached the connection whose call needed it
      """
      The client MUST implement CSRF protection for its redirection URI. This is typically accomplished by requiring any request sent to the redirection URI endpoint to include a value that binds the request to the user-agent's authenticated state (e.g., a hash of the session cookie used to authenticate the user-agent).
      """

@agent
Feature: Multi-user agent server: each user's own consent and tokens
  A server whose tool calls a protected API for many users acts, for each call, with the
  authorization the calling user granted and nobody else's: an access token is one resource
  owner's grant to the client (RFC 6749 §1.4, §10.3), and a client MUST NOT let a bearer token
  serve an unintended party (RFC 6750 §5.3), so a server that uses it for another user lets that
  user act as its owner. Each user is asked once; the grant is then kept for that user (RFC 6749
  §1.5, §6: the client reuses and refreshes it; a policy, no sentence bounds the prompts). The
  mock-idp's API answers with the user of the token it got, so whose token served whose call is
  seen, request by request.

  @must
  Scenario: Three users each consent once and get their own downstream tokens
    Given the agent server under test calls a protected API with each user's own token
    When alice, hatter and bob connect with their own identity tokens
    And alice, hatter and bob each call the tool twice, one after the other
    Then check "agent.isolation.own-token" MUST (RFC 6750 §5.3; derived from RFC 6749 §1.4 and §10.3: a token is its owner's grant to the client, for that owner): every API request carried the token of a person whose call it served
      """
      Client implementations MUST ensure that bearer tokens are not leaked to unintended parties, as they will be able to use them to gain access to protected resources.
      """
    And check "agent.isolation.answered" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4; MCP 2025-11-25 Security Best Practices, Session Hijacking): every call was answered with the API's answer for the person who made it
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """
    And check "agent.isolation.consent-once" POLICY (authconform: a grant is kept per user and refreshed, RFC 6749 §1.5, §6; no spec sentence bounds the prompts): each user was asked for consent exactly once
      """
      POLICY: each user is asked for consent once, and the grant is then kept for that user and reused. No sentence bounds the prompts; RFC 6749 §1.5 only describes keeping the grant: refresh tokens "are used to obtain a new access token when the current access token becomes invalid or expires".
      """

@agent
Feature: Multi-user agent server: many users at once
  Fifty users call the tool at the same moment, each through their own connection, each with a
  consent still to give. Every consent must land with the call that asked for it (RFC 6749
  §10.12: the authorization response is bound to the user-agent that started the request) and
  every call must act with its own user's token (RFC 6749 §1.4): no token crosses over, no
  consent is lost or given twice, however the server interleaves its work.

  @must
  Scenario: Fifty users at once: no cross-user token use, no lost or duplicated consent
    Given the agent server under test calls a protected API with each user's own token
    And 50 more users
    When the 50 users connect with their own identity tokens
    And the 50 users call the tool at once
    Then check "agent.concurrency.own-token" MUST (derived from RFC 6749 §1.4 and §10.3: a token is its owner's grant to the client, for that owner): every API request carried the token of a person whose call it served
    And check "agent.concurrency.answered" MUST (RFC 6749 §10.12; RFC 6749 §1.4): every call was answered with the API's answer for the person who made it
    And check "agent.concurrency.consent-once" POLICY (authconform: a grant is kept per user and refreshed, RFC 6749 §1.5, §6; no spec sentence bounds the prompts): each user was asked for consent exactly once
    And check "agent.concurrency.consent-routing" MUST (RFC 6749 §10.12): every consent prompt reached the connection whose call needed it

@rs
Feature: Resource server: scopes
  RFC 6749 §7: the resource server must ensure the token's scope covers the requested resource.
  RFC 6750 §3: a token that does not enable access MUST get a WWW-Authenticate challenge; §3.1:
  403 with error="insufficient_scope", which MAY carry the scope needed (MCP 2025-11-25 makes it a
  SHOULD, for step-up authorization).

  @must @rfc6750
  Scenario Outline: A token without the scope <op> needs cannot <op>
    Given a token for alice as admin of her workspace without the scope <op> needs
    When the client calls <op> in alice's workspace with the token
    Then check "rs.scope.<op>.refused" MUST (RFC 6749 §7; RFC 6750 §3.1): the resource server refuses the request
    And check "rs.scope.<op>.challenge" MUST (RFC 6750 §3): the response carries a Bearer challenge
    And check "rs.scope.<op>.insufficient-scope" SHOULD (RFC 6750 §3.1; MCP 2025-11-25 Authorization, Scope Challenge Handling): the response is 403 insufficient_scope naming the scope

    Examples:
      | op             |
      | read_item      |
      | create_item    |
      | manage_members |

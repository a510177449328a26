@rs
Feature: Resource server: scopes
  RFC 6749 §7: the resource server must ensure the token's scope covers the requested resource.
  RFC 6750 §3: a token that does not enable access MUST get a WWW-Authenticate challenge; §3.1:
  403 with error="insufficient_scope" (a SHOULD), which MAY carry the scope needed (MCP 2025-11-25
  makes it a SHOULD for MCP servers, for step-up authorization).

  @must @rfc6750
  Scenario Outline: A token without the scope <op> needs cannot <op>
    Given a token for alice as admin of her workspace without the scope <op> needs
    When the client calls <op> in alice's workspace with the token
    Then check "rs.scope.<op>.refused" MUST (RFC 6749 §7; RFC 6750 §3.1): the resource server refuses the request
      """
      The resource server MUST validate the access token and ensure that it has not expired and that
      its scope covers the requested resource.
      """
    And check "rs.scope.<op>.challenge" MUST (RFC 6750 §3): the response carries a Bearer challenge
      """
      If the protected resource request does not include authentication credentials or does not
      contain an access token that enables access to the protected resource, the resource server MUST
      include the HTTP "WWW-Authenticate" response header field; it MAY include it in response to
      other conditions as well. ... All challenges defined by this specification MUST use the
      auth-scheme value "Bearer".
      """
    And check "rs.scope.<op>.insufficient-scope" SHOULD (RFC 6750 §3.1; MCP 2025-11-25 Authorization, Scope Challenge Handling): the response is 403 insufficient_scope naming the scope
      """
      RFC 6750 §3.1: "insufficient_scope The request requires higher privileges than provided by the
      access token. The resource server SHOULD respond with the HTTP 403 (Forbidden) status code and
      MAY include the "scope" attribute with the scope necessary to access the protected resource."
      MCP 2025-11-25, Scope Challenge Handling: "When responding with insufficient scope errors,
      servers SHOULD include the scopes needed to satisfy the current request in the scope parameter."
      """

    Examples:
      | op             |
      | read_item      |
      | create_item    |
      | manage_members |

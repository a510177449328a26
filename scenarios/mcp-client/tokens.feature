@mcp-client
Feature: MCP client: where the token goes, and what happens when it expires
  MCP clients MUST send the access token in the Authorization header of every request to the
  MCP server and never in the URI query string (MCP 2025-11-25 Authorization, Access Token
  Usage; OAuth 2.1 §5.1; RFC 6750 §2.1, §5.3); keeping it to the MCP server alone (RFC 8707 §2;
  MCP Security Best Practices, Token Passthrough) is this suite's policy. An expired token is
  renewed, and every refresh request names the resource again (MCP 2025-11-25 Authorization,
  Resource Parameter Implementation: MUST; RFC 8707 §2.2) and presents the newest refresh token
  (RFC 6749 §6: MUST); that the client refreshes rather than authorizes anew, and that a refused
  refresh token (invalid_grant, OAuth 2.1 §3.2.4) leads to one clean re-authorization, not a
  loop, are practices no sentence requires. After a 401 the client authorizes; it never falls
  back to the legacy HTTP+SSE transport without a token.

  The authorization server rotates the refresh token on every use. A replaced refresh token
  presented again within 60 seconds (two refreshes the client sent at once) is answered with the
  token that replaced it, the grace FAPI 2.0 Security Profile asks of rotating servers ("shall
  not use refresh token rotation unless, in the case a response with a new refresh token is not
  received and stored by the client, retrying the request (with the previous refresh token) will
  succeed"); later, a replay revokes the whole family (RFC 9700 §4.14.2). Every expiry a scenario
  stages is later than that minute.

  @must
  Scenario: The token travels in the Authorization header to the MCP server, never in a URL
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.token.header" MUST (MCP 2025-11-25 Authorization, Access Token Usage; OAuth 2.1 §5.1.1): every MCP request after the first token carries it in the Authorization header
      """
      MCP client MUST use the Authorization request header field defined in OAuth 2.1 Section 5.1.1: ... Note that authorization MUST be included in every HTTP request from client to server, even if they are part of the same logical session.
      """
    And check "mcp-client.token.not-in-url" MUST (MCP 2025-11-25 Authorization, Access Token Usage; OAuth 2.1 §5.1; RFC 6750 §2.3, §5.3): the access token never appears in a URL
      """
      Access tokens MUST NOT be included in the URI query string
      """
    And check "mcp-client.token.only-to-mcp" POLICY (RFC 8707 §1; RFC 9700 §4.9; RFC 6750 §5.3; MCP Security Best Practices, Token Passthrough): the access token is sent to the MCP server only
      """
      POLICY: the access token goes to the MCP server it was issued for and to nobody else, not even its own authorization server. The closest sentence, RFC 6750 §5.3, "Client implementations MUST ensure that bearer tokens are not leaked to unintended parties", does not make the issuing authorization server an unintended party.
      """

  @must
  Scenario: After a 401 the client authorizes instead of trying the legacy SSE transport
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.transport.no-sse-fallback" MUST (MCP 2025-11-25 Authorization, Access Token Usage: authorization in every HTTP request; MCP 2025-11-25 Transports, Backwards Compatibility): the client never used the legacy SSE transport
      """
      Note that authorization MUST be included in every HTTP request from client to server, even if they are part of the same logical session.
      """

  @must @refresh
  Scenario: An access token that expires mid-session is refreshed with the resource
    Given the access token expires once the client has listed the tools
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.refresh.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; OAuth 2.1 §4.3): the client called a tool with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """
    And check "mcp-client.refresh.used" POLICY (OAuth 2.1 §4.3, §1.3.2): the client refreshed its token with the refresh_token grant
      """
      POLICY: renewing an expired access token with the refresh token rather than a new authorization. OAuth 2.1 §1.3.2 only describes it, with no keyword: refresh tokens "are used to obtain a new access token when the current access token becomes invalid or expires".
      """
    And check "mcp-client.refresh.client-auth" MUST (RFC 6749 §6; OAuth 2.1 §3.2.2, §4.3.1; RFC 7591 §2 token_endpoint_auth_method): every refresh request authenticates as the registered client, with its registered method
      """
      If the client type is confidential or the client was issued client credentials (or assigned other authentication requirements), the client MUST authenticate with the authorization server as described in Section 3.2.1.
      """
    And check "mcp-client.refresh.resource" MUST (RFC 8707 §2.2; MCP 2025-11-25 Authorization, Resource Parameter Implementation): every refresh request names the MCP server as its resource
      """
      The resource parameter: 1. MUST be included in both authorization requests and token requests. 2. MUST identify the MCP server that the client intends to use the token with.
      """
    And check "mcp-client.refresh.token-only-to-mcp" POLICY (RFC 8707 §1; RFC 6750 §5.3; MCP Security Best Practices, Token Passthrough): the access token is sent to the MCP server only
      """
      POLICY: the renewed access token, too, goes to the MCP server alone. The closest sentence, RFC 6750 §5.3, "Client implementations MUST ensure that bearer tokens are not leaked to unintended parties", does not make the issuing authorization server an unintended party.
      """

  @must @refresh
  Scenario: An access token the MCP server refuses while the client's clock says it is good is replaced
    # A clock skew (or a revoked token): the client's clock says the token is good, the MCP
    # server answers 401 invalid_token; only the answer can tell the client, and its refresh
    # token is still good. A client whose clock the runner moves (capabilities.clock) meets this
    # 401 here and nowhere else: in the expiry scenarios its own clock renews the token first.
    Given the MCP server's clock passes the access token's expiry once the client has listed the tools, the client's does not
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.revoked.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; RFC 6750 §3.1): the client called a tool with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """

  @policy @refresh
  Scenario: A refused refresh token leads to one clean re-authorization
    Given the access token expires once the client has listed the tools
    And the refresh token expires with it
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.refresh.invalid-grant.reauthorized-once" POLICY (OAuth 2.1 §3.2.4, §4.3): after invalid_grant the client authorized exactly once more
      """
      POLICY: after invalid_grant on refresh, one new authorization, not none and not a loop. OAuth 2.1 §1.3.2 says only, with no keyword: "Regardless of why or when the refresh token expires, the client has only one path to obtain new tokens, which is to start a new OAuth flow from the beginning."
      """
    And check "mcp-client.refresh.invalid-grant.completes" POLICY (OAuth 2.1 §4.3): the client called a tool with a token the server accepted
      """
      POLICY: the client recovers from a refused refresh token by itself. OAuth 2.1 §1.3.2 says only, with no keyword: "This means the client already has to handle the case of a refresh token expiring at an arbitrary time."
      """

  @must @refresh
  Scenario: A rotated refresh token replaces the old one
    Given the access token expires twice: after the client's first notification and after it lists the tools
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.refresh.rotation.newest" MUST (RFC 6749 §6; OAuth 2.1 §4.3.2; RFC 9700 §4.14.2): every refresh request presents the newest refresh token
      """
      The authorization server MAY issue a new refresh token, in which case the client MUST discard the old refresh token and replace it with the new refresh token.
      """
    And check "mcp-client.refresh.rotation.completes" MUST (OAuth 2.1 §4.3; MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements): the client called a tool with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """
    And check "mcp-client.refresh.rotation.one-at-a-time" POLICY (RFC 6819 §5.2.2.3; RFC 9700 §4.14.2): the client never sent a refresh while another with the same refresh token was unanswered
      """
      POLICY: one refresh in flight per refresh token. No sentence requires it; under rotation, an authorization server without a grace reads the second one as theft: "Refresh token rotation is intended to automatically detect and prevent attempts to use the same refresh token in parallel from different apps/devices."
      """

  @policy @refresh
  Scenario: With the MCP server on its own origin, the token never goes to the authorization server's
    Given the MCP server is published at an origin of its own, apart from its authorization server
    And the access token expires once the client has listed the tools
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.cross-origin.completes" MUST (MCP 2025-11-25 Authorization, Protected Resource Metadata Discovery Requirements; Authorization Server Location; RFC 9728 §2): the client called a tool with a token the server accepted
      """
      MCP clients MUST be able to parse WWW-Authenticate headers and respond appropriately to HTTP 401 Unauthorized responses from the MCP server.
      """
    And check "mcp-client.cross-origin.resource" MUST (MCP 2025-11-25 Authorization, Resource Parameter Implementation; RFC 8707 §2): every authorization request names the MCP server as its resource
      """
      The resource parameter: 1. MUST be included in both authorization requests and token requests. 2. MUST identify the MCP server that the client intends to use the token with.
      """
    And check "mcp-client.cross-origin.token-stays" POLICY (RFC 6750 §5.1, §5.3; RFC 8707 §1; MCP Security Best Practices, Token Passthrough): the access token never goes to another origin than the MCP server's
      """
      POLICY: the access token never goes to another origin than the MCP server's, its authorization server's included. The closest sentence, RFC 6750 §5.3, "Client implementations MUST ensure that bearer tokens are not leaked to unintended parties", does not make the issuing authorization server an unintended party.
      """

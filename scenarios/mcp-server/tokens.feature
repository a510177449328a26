@mcp-server
Feature: MCP server: tokens
  MCP servers MUST validate access tokens as OAuth 2.1 §5.2 describes, and MUST only accept
  tokens issued for themselves: a token for another resource, even of the same issuer, is
  refused (MCP 2025-06-18 Authorization §Token Handling, Security Best Practices "Token
  Passthrough"; RFC 8707 §2). Invalid or expired tokens get 401 (MCP: MUST), never a server
  error. A token in the query string is not authentication: OAuth 2.1 §5.1, which MCP servers
  follow as resource servers, says resource servers MUST ignore it.

  @must
  Scenario: A valid token reaches the tool as its own user
    Given a token for alice for the MCP server
    When alice initializes an MCP session
    Then check "mcp.valid-token.initialize" MUST (MCP 2025-06-18 Authorization §Token Handling; OAuth 2.1 §5.1.1): the resource server serves the request
      """
      Clients SHOULD make authenticated requests with a bearer token using the Authorization request header field with the Bearer HTTP authorization scheme. Resource servers MUST support this method.
      """
    When alice calls the read tool in alice's session
    Then check "mcp.valid-token.identity" MUST (MCP 2025-06-18 Authorization §Access Token Privilege Restriction; Security Best Practices, Token Passthrough): the tool answered for alice
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """

  @must @rfc8707
  Scenario: A token issued for another resource of the same issuer is refused
    Given a token for alice issued for another resource of the same issuer
    When alice initializes an MCP session
    Then check "mcp.audience.refused" MUST (MCP 2025-06-18 Authorization §Token Handling; RFC 8707 §2; RFC 9068 §4): the resource server refuses the request
      """
      MCP servers MUST validate that access tokens were issued specifically for them as the intended audience, according to RFC 8707 Section 2.
      """
    And check "mcp.audience.401" MUST (MCP 2025-06-18 Authorization §Token Handling): the response status is 401
      """
      If validation fails, servers MUST respond according to OAuth 2.1 Section 5.3 error handling requirements. Invalid or expired tokens MUST receive a HTTP 401 response.
      """

  @must
  Scenario Outline: A token that is <flaw> is refused with 401
    Given a token for alice for the MCP server with the flaw "<flaw>"
    When alice initializes an MCP session
    Then check "mcp.bad-token.<flaw>.401" MUST (MCP 2025-06-18 Authorization §Token Handling; RFC 9068 §4): the response status is 401
      """
      If validation fails, servers MUST respond according to OAuth 2.1 Section 5.3 error handling requirements. Invalid or expired tokens MUST receive a HTTP 401 response.
      """
    And check "mcp.bad-token.<flaw>.challenge" MUST (RFC 6750 §3): the response carries a Bearer challenge
      """
      If the protected resource request does not include authentication credentials or does not contain an access token that enables access to the protected resource, the resource server MUST include the HTTP "WWW-Authenticate" response header field; it MAY include it in response to other conditions as well.
      """

    Examples:
      | flaw          |
      | expired       |
      | bad-signature |
      | unknown-kid   |
      | alg-none      |
      | wrong-issuer  |
      | not-a-jwt     |

  @must
  Scenario: The MCP server does not accept a token in the query string
    Given a token for alice for the MCP server
    When alice initializes an MCP session with her token in the query string
    Then check "mcp.query-token.refused" MUST (OAuth 2.1 §5.1; MCP 2025-06-18 Authorization §Token Handling): the resource server refuses the request
      """
      In particular, clients MUST NOT send the access token in a URI query parameter, and resource servers MUST ignore access tokens in a URI query parameter.
      """

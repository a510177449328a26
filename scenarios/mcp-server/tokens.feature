@mcp-server
Feature: MCP server: tokens
  MCP servers MUST validate access tokens as OAuth 2.1 §5.2 describes, and MUST only accept
  tokens issued for themselves: a token for another resource, even of the same issuer, is
  refused (MCP 2025-06-18 Authorization §Token Handling, Security Best Practices "Token
  Passthrough"; RFC 8707 §2). Invalid or expired tokens get 401 (MCP: MUST), never a server
  error. A token in the query string is not authentication (MCP: MUST NOT).

  @must
  Scenario: A valid token reaches the tool as its own user
    Given a token for alice for the MCP server
    When alice initializes an MCP session
    Then check "mcp.valid-token.initialize" MUST (MCP 2025-06-18 Authorization §Token Handling): the resource server serves the request
    When alice calls the read tool in alice's session
    Then check "mcp.valid-token.identity" MUST (MCP 2025-06-18 Security Best Practices, Token Passthrough): the tool answered for alice

  @must @rfc8707
  Scenario: A token issued for another resource of the same issuer is refused
    Given a token for alice issued for another resource of the same issuer
    When alice initializes an MCP session
    Then check "mcp.audience.refused" MUST (MCP 2025-06-18 Authorization §Token Handling; RFC 8707 §2; RFC 9068 §4): the resource server refuses the request
    And check "mcp.audience.401" MUST (MCP 2025-06-18 Authorization §Error Handling): the response status is 401

  @must
  Scenario Outline: A token that is <flaw> is refused with 401
    Given a token for alice for the MCP server with the flaw "<flaw>"
    When alice initializes an MCP session
    Then check "mcp.bad-token.<flaw>.401" MUST (MCP 2025-06-18 Authorization §Error Handling; RFC 9068 §4): the response status is 401
    And check "mcp.bad-token.<flaw>.challenge" MUST (RFC 6750 §3): the response carries a Bearer challenge

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
    Then check "mcp.query-token.refused" MUST (MCP 2025-06-18 Authorization §Access Token Usage): the resource server refuses the request

@mcp-client
Feature: MCP client: which scope to ask for, and step-up
  MCP 2025-11-25 (Authorization, Scope Selection Strategy): a client SHOULD ask for the scope of
  the 401 challenge, else every scope in the protected resource metadata's scopes_supported,
  else no scope. On 403 insufficient_scope it re-authorizes for the scope the challenge names
  (Scope Challenge Handling, Step-Up Authorization Flow), a bounded number of times.

  @should
  Scenario: The client asks for the scope the challenge names
    When the MCP client under test connects (conformance scenario "auth/scope-from-www-authenticate")
    Then check "mcp-client.scope.from-challenge.completes" MUST (MCP 2025-11-25 Authorization, Authorization Flow Steps): the client called a tool with a token the server accepted
    And check "mcp-client.scope.from-challenge" SHOULD (MCP 2025-11-25 Authorization, Scope Selection Strategy): the first authorization request asks for the challenge's scope

  @should
  Scenario: Without a scope in the challenge, the client asks for every scope the metadata supports
    Given the MCP server's challenge names no scope
    When the MCP client under test connects (conformance scenario "auth/scope-from-scopes-supported")
    Then check "mcp-client.scope.from-metadata.completes" MUST (MCP 2025-11-25 Authorization, Authorization Flow Steps): the client called a tool with a token the server accepted
    And check "mcp-client.scope.from-metadata" SHOULD (MCP 2025-11-25 Authorization, Scope Selection Strategy): the first authorization request asks for every scope the metadata supports

  @should
  Scenario: With no scope anywhere, the client asks for none
    Given the MCP server's challenge names no scope
    And the protected resource metadata lists no scopes
    When the MCP client under test connects (conformance scenario "auth/scope-omitted-when-undefined")
    Then check "mcp-client.scope.omitted" SHOULD (MCP 2025-11-25 Authorization, Scope Selection Strategy): the first authorization request carries no scope

  @should
  Scenario: On 403 insufficient_scope the client steps up to the scope it names
    Given every tool needs the write scope
    When the MCP client under test connects (conformance scenario "auth/scope-step-up")
    Then check "mcp-client.step-up.scope" SHOULD (MCP 2025-11-25 Authorization, Step-Up Authorization Flow): after the 403 the client asked for the scope it named
    And check "mcp-client.step-up.completes" SHOULD (MCP 2025-11-25 Authorization, Step-Up Authorization Flow): the client called a tool with a token the server accepted

  @should
  Scenario: A step-up that never satisfies the server is given up after a few attempts
    Given the MCP server refuses every tool call for want of scope, whatever the token
    When the MCP client under test connects (conformance scenario "auth/scope-retry-limit")
    Then check "mcp-client.step-up.bounded" SHOULD (MCP 2025-11-25 Authorization, Step-Up Authorization Flow): the client made at most 3 step-up attempts
    And check "mcp-client.step-up.reported" POLICY (MCP 2025-11-25 Authorization, Step-Up Authorization Flow: retry limits): the client reported the failure

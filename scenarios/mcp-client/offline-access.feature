@mcp-client @sep-2207
Feature: Refresh tokens and offline_access (SEP-2207)
  MCP's SEP-2207 (OIDC-flavored refresh token guidance, final): a client that intends to use
  refresh tokens says so in its client metadata (grant_types with refresh_token), and may add the
  offline_access scope when the authorization server lists it in scopes_supported. The protected
  resource metadata never lists offline_access: it is a matter between the client and the
  authorization server. The conformance suite's counterparts are auth/offline-access-scope and
  auth/offline-access-not-supported.

  @should
  Scenario: A client that refreshes says so when it registers
    Given the authorization server lists offline_access
    When the MCP client under test connects (conformance scenario "auth/offline-access-scope")
    Then check "mcp-client.offline-access.grant-types" SHOULD (SEP-2207, MCP Client Requirements; RFC 7591 §2): the client's registration lists refresh_token in grant_types
      """
      MCP Clients that intend to use refresh tokens and are capable of storing them securely
      SHOULD follow these guidelines: 1. Advertise capability: Clients SHOULD include
      refresh_token in their grant_types client metadata to indicate they support refresh tokens.
      """

  @policy
  Scenario: A client does not ask for offline_access the authorization server does not list
    Given the authorization server does not list offline_access
    When the MCP client under test connects (conformance scenario "auth/offline-access-not-supported")
    Then check "mcp-client.offline-access.not-listed" POLICY (SEP-2207, MCP Client Requirements; RFC 6749 §3.3): no authorization request asks for offline_access
      """
      POLICY: SEP-2207 lets a client add offline_access only on a condition: "When the client
      desires a refresh token and the Authorization Server metadata contains offline_access in its
      scopes_supported field, the client MAY add the offline_access scope". No sentence forbids it
      otherwise (the conformance suite fails it as a MUST NOT); an authorization server may refuse
      a scope it does not know (RFC 6749 §3.3), so asking for one is a risk the client need not
      take.
      """

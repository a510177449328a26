@mcp-client
Feature: MCP client: registration
  MCP 2025-11-25 (Authorization, Client Registration Approaches) lets a client use credentials
  it was given (pre-registration), a client ID metadata document, or dynamic client registration
  (RFC 7591), preferring pre-registered credentials when it has them.

  @must @rfc7591
  Scenario: A client without credentials registers dynamically and uses the client id it got
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.registration.dcr.completes" MUST (MCP 2025-11-25 Authorization, Dynamic Client Registration): the client called a tool with a token the server accepted
    And check "mcp-client.registration.dcr.client-id" MUST (RFC 7591 §3.2.1): the authorization request uses the client id the registration returned

  @must
  Scenario: A pre-registered client uses its credentials and does not register
    Given the client is pre-registered and registration is closed
    When the MCP client under test connects (conformance scenario "auth/pre-registration")
    Then check "mcp-client.registration.pre-registered.completes" MUST (MCP 2025-11-25 Authorization, Client Registration Approaches): the client called a tool with a token the server accepted
    And check "mcp-client.registration.pre-registered.credentials" MUST (RFC 6749 §2.3.1; OAuth 2.1 §2.4.1): the token requests authenticate as the pre-registered client
    And check "mcp-client.registration.pre-registered.no-dcr" SHOULD (MCP 2025-11-25 Authorization, Client Registration Approaches): the client did not register dynamically

  @policy @refusal
  Scenario: A refused authorization request is surfaced in bounded time
    Given the client is pre-registered with another redirect URI and registration is closed
    When the MCP client under test connects (conformance scenario "auth/pre-registration")
    Then check "mcp-client.registration.refused.reported" POLICY (RFC 6749 §4.1.2.1 obliges the server; surfacing it in bounded time is this suite's rule): the client reported the failure

  @should
  Scenario: A client with a metadata document uses it where the server accepts them
    Given the authorization server accepts client ID metadata documents
    When the MCP client under test connects (conformance scenario "auth/basic-cimd")
    Then check "mcp-client.registration.cimd.completes" MUST (MCP 2025-11-25 Authorization, Client ID Metadata Documents): the client called a tool with a token the server accepted
    And check "mcp-client.registration.cimd.client-id" SHOULD (MCP 2025-11-25 Authorization, Client Registration Approaches): every authorization request uses a client ID metadata document URL as client_id
    And check "mcp-client.registration.cimd.no-dcr" SHOULD (MCP 2025-11-25 Authorization, Client Registration Approaches): the client did not register dynamically

@mcp-client
Feature: MCP client: registration
  MCP 2025-11-25 (Authorization, Client Registration Approaches) lets a client use credentials
  it was given (pre-registration), a client ID metadata document, or dynamic client registration
  (RFC 7591), and a client supporting all of them SHOULD prefer them in that order. Each approach
  is a SHOULD or a MAY for the client (pre-registration and metadata documents SHOULD be
  supported, dynamic registration MAY be), so completing the flow through one of them is a
  SHOULD; what the client then does with the credentials it has is a MUST.

  @must @rfc7591
  Scenario: A client without credentials registers dynamically and uses the client id it got
    When the MCP client under test connects (conformance scenario "auth/basic-dcr")
    Then check "mcp-client.registration.dcr.completes" SHOULD (MCP 2025-11-25 Authorization, Client Registration Approaches; Dynamic Client Registration): the client used the MCP server with a token the server accepted
      """
      Clients supporting all options SHOULD follow the following priority order: ... 3. Use Dynamic Client Registration as a fallback if the Authorization Server supports it (via registration_endpoint in OAuth Authorization Server Metadata)
      """
    And check "mcp-client.registration.dcr.client-id" MUST (RFC 7591 §3.2.1; RFC 6749 §2.2, §4.1.1): the authorization request uses the client id the registration returned
      """
      client_id REQUIRED. The client identifier as described in Section 2.2.
      """

  @must
  Scenario: A pre-registered client uses its credentials and does not register
    Given the client is pre-registered and registration is closed
    When the MCP client under test connects (conformance scenario "auth/pre-registration")
    Then check "mcp-client.registration.pre-registered.completes" SHOULD (MCP 2025-11-25 Authorization, Preregistration; Client Registration Approaches): the client used the MCP server with a token the server accepted
      """
      MCP clients SHOULD support an option for static client credentials such as those supplied by a preregistration flow.
      """
    And check "mcp-client.registration.pre-registered.credentials" MUST (RFC 6749 §3.2.1, §4.1.3; OAuth 2.1 §2.4.1): the token requests authenticate as the pre-registered client
      """
      Confidential clients or other clients issued client credentials MUST authenticate with the authorization server as described in Section 2.3 when making requests to the token endpoint.
      """
    And check "mcp-client.registration.pre-registered.no-dcr" SHOULD (MCP 2025-11-25 Authorization, Client Registration Approaches): the client did not register dynamically
      """
      Clients supporting all options SHOULD follow the following priority order: 1. Use pre-registered client information for the server if the client has it available
      """

  @policy @refusal
  Scenario: A refused authorization request is surfaced in bounded time
    Given the client is pre-registered with another redirect URI and registration is closed
    When the MCP client under test connects (conformance scenario "auth/pre-registration")
    Then check "mcp-client.registration.refused.reported" POLICY (RFC 6749 §4.1.2.1 obliges the server; surfacing it in bounded time is this suite's rule): the client reported the failure
      """
      POLICY: a client whose authorization request the server refuses (an error page, no redirect) says so within its time limit instead of waiting for ever. RFC 6749 §4.1.2.1 binds only the server: "the authorization server SHOULD inform the resource owner of the error and MUST NOT automatically redirect the user-agent to the invalid redirection URI."
      """

  @should
  Scenario: A client with a metadata document uses it where the server accepts them
    Given the authorization server accepts client ID metadata documents
    When the MCP client under test connects (conformance scenario "auth/basic-cimd")
    Then check "mcp-client.registration.cimd.completes" SHOULD (MCP 2025-11-25 Authorization, Client ID Metadata Documents): the client used the MCP server with a token the server accepted
      """
      MCP clients and authorization servers SHOULD support OAuth Client ID Metadata Documents as specified in OAuth Client ID Metadata Document.
      """
    And check "mcp-client.registration.cimd.client-id" SHOULD (MCP 2025-11-25 Authorization, Client Registration Approaches): every authorization request uses a client ID metadata document URL as client_id
      """
      Clients supporting all options SHOULD follow the following priority order: ... 2. Use Client ID Metadata Documents if the Authorization Server indicates if the server supports it (via client_id_metadata_document_supported in OAuth Authorization Server Metadata)
      """
    And check "mcp-client.registration.cimd.no-dcr" SHOULD (MCP 2025-11-25 Authorization, Client Registration Approaches): the client did not register dynamically
      """
      Clients supporting all options SHOULD follow the following priority order: ... 2. Use Client ID Metadata Documents if the Authorization Server indicates if the server supports it (via client_id_metadata_document_supported in OAuth Authorization Server Metadata) 3. Use Dynamic Client Registration as a fallback if the Authorization Server supports it
      """

  @must
  Scenario Outline: A client the authorization server registers for <method> authenticates with it on every token request
    # The metadata's token_endpoint_auth_methods_supported lists <method> alone, and the
    # registration answer names it whatever the client asked (RFC 7591 §3.2.1: the server "MAY
    # reject or replace any of the client's requested metadata values submitted during the
    # registration and substitute them with suitable values"). The token expires once, so the
    # refresh request is judged too. The MCP conformance suite's scenario of the same name.
    Given the authorization server supports only <method> at its token endpoint
    And the access token expires once the client has listed the tools
    When the MCP client under test connects (conformance scenario "auth/token-endpoint-auth-<suite>")
    Then check "mcp-client.token-auth.<suite>.completes" SHOULD (MCP 2025-11-25 Authorization, Client Registration Approaches; Dynamic Client Registration): the client used the MCP server with a token the server accepted
      """
      Clients supporting all options SHOULD follow the following priority order: ... 3. Use Dynamic Client Registration as a fallback if the Authorization Server supports it (via registration_endpoint in OAuth Authorization Server Metadata)
      """
    And check "mcp-client.token-auth.<suite>.registered-method" MUST (<spec>): every token request authenticates as the registered client, with its registered method
      """
      <quote>
      """
    And check "mcp-client.token-auth.<suite>.parameters-once" MUST (RFC 6749 §3.2; OAuth 2.1 §3.2): no token request repeats a parameter
      """
      Request and response parameters MUST NOT be included more than once.
      """

    Examples:
      | method              | suite | spec                                                                                 | quote |
      | client_secret_basic | basic | RFC 6749 §2.3.1, §3.2.1; RFC 7591 §2, §3.2.1; OAuth 2.1 §2.4.1                       | Confidential clients or other clients issued client credentials MUST authenticate with the authorization server as described in Section 2.3 when making requests to the token endpoint. |
      | client_secret_post  | post  | RFC 6749 §2.3.1, §3.2.1; RFC 7591 §2, §3.2.1; OAuth 2.1 §2.4.1                       | Confidential clients or other clients issued client credentials MUST authenticate with the authorization server as described in Section 2.3 when making requests to the token endpoint. |
      | none                | none  | RFC 6749 §4.1.3, §6; RFC 7591 §2 token_endpoint_auth_method none                     | client_id REQUIRED, if the client is not authenticating with the authorization server as described in Section 3.2.1. |

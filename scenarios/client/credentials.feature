@client
Feature: Auth providers: API keys, HTTP Basic and service accounts
  A provider configured with an API key sends exactly the header its scheme names, with exactly
  the configured value: Bearer as RFC 6750 §2.1 writes it (clients SHOULD use the Authorization
  header), Basic, X-API-Key and custom headers as configured (policy). HTTP Basic for a resource
  is user-id ":" password, base64 (RFC 7617 §2); RFC 7617 writes the construction with no
  keyword and leaves the character encoding undefined unless the server asks for UTF-8, so
  the exact UTF-8 header is a policy check here. A client-credentials token is reused until
  shortly before it expires, then renewed (RFC 6749 §4.4, §5.1 expires_in: policy), and every
  token request authenticates as the client (RFC 6749 §3.2.1: MUST), with HTTP Basic (RFC 6749
  §2.3.1: body credentials are NOT RECOMMENDED).

  Scenario Outline: An API key with scheme <scheme> travels in exactly its header
    Given the client under test is an API-key provider with scheme <scheme>
    When the client under test is asked for alice's headers
    Then check "client.api-key.<scheme>.header" <severity> (<spec>): the headers are exactly the ones the API-key scheme prescribes
      """
      <quote>
      """

    Examples:
      | scheme    | severity | spec                                 | quote |
      | bearer    | SHOULD   | RFC 6750 §2.1                        | Clients SHOULD make authenticated requests with a bearer token using the "Authorization" request header field with the "Bearer" HTTP authorization scheme. |
      | basic     | POLICY   | the provider's configured header; a raw key is not RFC 7617 user:password | POLICY: the provider sends the configured key under the scheme it was configured with. A raw API key is not RFC 7617's user-id ":" password, so no sentence of RFC 7617 §2 ("the client ... constructs the user-pass by concatenating the user-id, a single colon (":") character, and the password") says what it must look like. |
      | x_api_key | POLICY   | the provider's configured header     | POLICY: the provider sends the configured key in the X-API-Key header it was configured with; the header is no standard's, so no sentence requires it. |
      | custom    | POLICY   | the provider's configured header     | POLICY: the provider sends the configured key in the custom header, with the custom prefix, it was configured with; the header is no standard's, so no sentence requires it. |

  Scenario Outline: An API key with scheme <scheme> reaches an MCP server in exactly its header
    The same provider, used by the implementation's own MCP client (for an agent toolkit, the MCP
    client a workflow's tools use) to talk to a protected MCP server: what arrives is judged, not
    what the provider says it would send.
    Given the client under test is an API-key provider with scheme <scheme>
    When the client under test sends alice's request to the MCP server
    Then check "client.mcp.api-key.<scheme>.header" <severity> (<spec>): every request to the MCP server carried exactly the header the API-key scheme prescribes
      """
      <quote>
      """

    Examples:
      | scheme    | severity | spec                                 | quote |
      | bearer    | SHOULD   | RFC 6750 §2.1                        | Clients SHOULD make authenticated requests with a bearer token using the "Authorization" request header field with the "Bearer" HTTP authorization scheme. |
      | basic     | POLICY   | the provider's configured header; a raw key is not RFC 7617 user:password | POLICY: the provider sends the configured key under the scheme it was configured with. A raw API key is not RFC 7617's user-id ":" password, so no sentence of RFC 7617 §2 ("the client ... constructs the user-pass by concatenating the user-id, a single colon (":") character, and the password") says what it must look like. |
      | x_api_key | POLICY   | the provider's configured header     | POLICY: the provider sends the configured key in the X-API-Key header it was configured with; the header is no standard's, so no sentence requires it. |
      | custom    | POLICY   | the provider's configured header     | POLICY: the provider sends the configured key in the custom header, with the custom prefix, it was configured with; the header is no standard's, so no sentence requires it. |

  @policy
  Scenario: HTTP Basic credentials reach an MCP server as RFC 7617 encodes them
    Given the client under test is an HTTP Basic provider
    When the client under test sends alice's request to the MCP server
    Then check "client.mcp.basic.header" POLICY (RFC 7617 §2, §2.1): every request to the MCP server carried the Basic header RFC 7617 encodes
      """
      POLICY: Basic base64(user-id ":" password), the password's colon, space and non-ASCII letter kept, in UTF-8, on every request the implementation's MCP client sends. RFC 7617 §2 gives the construction without a keyword and, for the encoding, "continues to leave the default encoding undefined, as long as it is compatible with US-ASCII".
      """

  @policy
  Scenario: HTTP Basic credentials are encoded as RFC 7617 says
    Given the client under test is an HTTP Basic provider
    When the client under test is asked for alice's headers
    Then check "client.basic.header" POLICY (RFC 7617 §2, §2.1): the Authorization header is Basic with the user and password as RFC 7617 encodes them
      """
      POLICY: Basic base64(user-id ":" password), the password's colon, space and non-ASCII letter kept, in UTF-8. RFC 7617 §2 gives the construction without a keyword and, for the encoding, "continues to leave the default encoding undefined, as long as it is compatible with US-ASCII"; UTF-8 is what a server asks for with charset="UTF-8" (§2.1), and this provider sends its header unchallenged.
      """

  @policy
  Scenario: A service-account token is reused while it is fresh
    Given the client under test is a client-credentials provider
    When the client under test is asked for alice's headers
    And the client under test is asked for alice's headers
    Then check "client.service.credentials" MUST (RFC 6749 §4.4, §4.4.2): the client under test answered with credentials
      """
      The client makes a request to the token endpoint by adding the following parameters ...: grant_type REQUIRED. Value MUST be set to "client_credentials".
      """
    And check "client.service.cached" POLICY (RFC 6749 §5.1 expires_in): the client made exactly one client-credentials token request
      """
      POLICY: a client-credentials token is reused while it is fresh instead of fetched for every request. RFC 6749 §5.1 gives expires_in ("RECOMMENDED. The lifetime in seconds of the access token.") as the server's, and no sentence tells the client to cache.
      """

  @policy @clock
  Scenario: A service-account token is renewed once it expires
    Given the client under test is a client-credentials provider
    And access tokens live 300 seconds
    When the client under test is asked for alice's headers
    And 400 seconds pass for the client
    And the client under test is asked for alice's headers
    Then check "client.service.renewed" POLICY (RFC 6749 §4.4, §5.1 expires_in): the client made a second client-credentials token request
      """
      POLICY: an expired client-credentials token is renewed before it is used again. RFC 6749 §5.1's expires_in ("The lifetime in seconds of the access token.") tells the client when, and no sentence tells it to act on it.
      """
    And check "client.service.renewed.auth" MUST (RFC 6749 §3.2.1, §4.4.2; RFC 7591 §2 token_endpoint_auth_method): every token request authenticates with HTTP Basic as the registered client
      """
      The client MUST authenticate with the authorization server as described in Section 3.2.1.
      """

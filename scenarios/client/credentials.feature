@client
Feature: Auth providers: API keys, HTTP Basic and service accounts
  A provider configured with an API key sends exactly the header its scheme names, with exactly
  the configured value: Bearer as RFC 6750 §2.1 writes it, Basic as RFC 7617 §2, X-API-Key and
  custom headers as configured (policy). HTTP Basic for a resource is user-id ":" password in
  UTF-8, base64, nothing else (RFC 7617 §2, §2.1). A client-credentials token is reused until
  shortly before it expires, then renewed (RFC 6749 §4.4, §5.1 expires_in).

  Scenario Outline: An API key with scheme <scheme> travels in exactly its header
    Given the client under test is an API-key provider with scheme <scheme>
    When the client under test is asked for alice's headers
    Then check "client.api-key.<scheme>.header" <severity> (<spec>): the headers are exactly the ones the API-key scheme prescribes

    Examples:
      | scheme    | severity | spec                                 |
      | bearer    | MUST     | RFC 6750 §2.1                        |
      | basic     | POLICY   | the provider's configured header; a raw key is not RFC 7617 user:password |
      | x_api_key | POLICY   | the provider's configured header     |
      | custom    | POLICY   | the provider's configured header     |

  @must
  Scenario: HTTP Basic credentials are encoded as RFC 7617 says
    Given the client under test is an HTTP Basic provider
    When the client under test is asked for alice's headers
    Then check "client.basic.header" MUST (RFC 7617 §2, §2.1): the Authorization header is Basic with the user and password as RFC 7617 encodes them

  @policy
  Scenario: A service-account token is reused while it is fresh
    Given the client under test is a client-credentials provider
    When the client under test is asked for alice's headers
    And the client under test is asked for alice's headers
    Then check "client.service.credentials" MUST (RFC 6749 §4.4): the client under test answered with credentials
    And check "client.service.cached" POLICY (RFC 6749 §5.1 expires_in): the client made exactly one client-credentials token request

  @policy
  Scenario: A service-account token is renewed once it expires
    Given the client under test is a client-credentials provider
    And access tokens live 300 seconds
    When the client under test is asked for alice's headers
    And 400 seconds pass for the client
    And the client under test is asked for alice's headers
    Then check "client.service.renewed" POLICY (RFC 6749 §4.4, §5.1 expires_in): the client made a second client-credentials token request
    And check "client.service.renewed.auth" MUST (RFC 6749 §3.2.1, §4.4.2; RFC 7591 §2 token_endpoint_auth_method): every token request authenticates with HTTP Basic as the registered client

@as
Feature: Dynamic client registration
  RFC 7591 §3: a valid registration answers 201 with a client_id; bad redirect URIs are
  invalid_redirect_uri and other bad metadata invalid_client_metadata (§3.2.2); the server may
  instead replace requested values with consistent ones (§2).

  @must @rfc7591
  Scenario: A valid registration gets a client_id
    Given the confidential client
    When the client registers with metadata {"client_name": "authconform", "redirect_uris": ["https://client.example/registered"], "grant_types": ["authorization_code"], "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic"}
    Then check "as.register.success" MUST (RFC 7591 §3.2.1): the registration answers 201 with a client_id

  @must @rfc7591
  Scenario: A redirect URI with a fragment is invalid_redirect_uri
    Given the confidential client
    When the client registers with metadata {"redirect_uris": ["https://client.example/cb#fragment"], "grant_types": ["authorization_code"]}
    Then check "as.register.fragment" MUST (RFC 7591 §3.2.2; RFC 6749 §3.1.2): the registration endpoint answers 400 "invalid_redirect_uri"

  @must @rfc7591
  Scenario: A javascript: redirect URI is invalid_redirect_uri
    Given the confidential client
    When the client registers with metadata {"redirect_uris": ["javascript:alert(1)"], "grant_types": ["authorization_code"]}
    Then check "as.register.script-scheme" MUST (RFC 7591 §3.2.2; RFC 9700 §4.1): the registration endpoint answers 400 "invalid_redirect_uri"

  @must @rfc7591
  Scenario: Inconsistent grant and response types are refused or corrected
    Given the confidential client
    When the client registers with metadata {"redirect_uris": ["https://client.example/cb"], "grant_types": ["authorization_code"], "response_types": ["token"]}
    Then check "as.register.bad-metadata" MUST (RFC 7591 §2; RFC 7591 §2.1; RFC 7591 §3.2.2): the registration is refused with invalid_client_metadata or made consistent

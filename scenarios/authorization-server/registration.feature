@as
Feature: Dynamic client registration
  RFC 7591 §3: a valid registration answers 201 with a client_id; bad redirect URIs are
  invalid_redirect_uri (§3.2.2, §5); a server SHOULD keep a client from registering inconsistent
  grant and response types (§2.1), by refusing with invalid_client_metadata or by replacing
  requested values with consistent ones (§2).

  @must @rfc7591
  Scenario: A valid registration gets a client_id
    Given the confidential client
    When the client registers with metadata {"client_name": "authconform", "redirect_uris": ["https://client.example/registered"], "grant_types": ["authorization_code"], "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic"}
    Then check "as.register.success" MUST (RFC 7591 §3.2; RFC 7591 §3.2.1): the registration answers 201 with a client_id
      """
      The server responds with an HTTP 201 Created status code and a body of type "application/json"
      with content as described in Section 3.2.1. ... client_id REQUIRED. OAuth 2.0 client identifier
      string.
      """

  @must @rfc7591
  Scenario: A redirect URI with a fragment is invalid_redirect_uri
    Given the confidential client
    When the client registers with metadata {"redirect_uris": ["https://client.example/cb#fragment"], "grant_types": ["authorization_code"]}
    Then check "as.register.fragment" MUST (RFC 7591 §3.2.2; RFC 6749 §3.1.2): the registration endpoint answers 400 "invalid_redirect_uri"
      """
      RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component." RFC 7591 §3.2.2:
      "error REQUIRED. Single ASCII error code string. ... invalid_redirect_uri The value of one or more
      redirection URIs is invalid."
      """

  @must @rfc7591
  Scenario: A javascript: redirect URI is invalid_redirect_uri
    Given the confidential client
    When the client registers with metadata {"redirect_uris": ["javascript:alert(1)"], "grant_types": ["authorization_code"]}
    Then check "as.register.script-scheme" MUST (RFC 7591 §5; RFC 7591 §3.2.2): the registration endpoint answers 400 "invalid_redirect_uri"
      """
      RFC 7591 §5: "registered redirection URI values MUST be one of: A remote web site protected by
      TLS ... A web site hosted on the local machine using an HTTP URI ... A non-HTTP
      application-specific URL" RFC 7591 §3.2.2: "error REQUIRED. Single ASCII error code string. ...
      invalid_redirect_uri The value of one or more redirection URIs is invalid."
      """

  @should @rfc7591
  Scenario: Inconsistent grant and response types are refused or corrected
    Given the confidential client
    When the client registers with metadata {"redirect_uris": ["https://client.example/cb"], "grant_types": ["authorization_code"], "response_types": ["token"]}
    Then check "as.register.bad-metadata" SHOULD (RFC 7591 §2; RFC 7591 §2.1; RFC 7591 §3.2.2): the registration is refused with invalid_client_metadata or made consistent
      """
      As such, a server supporting these fields SHOULD take steps to ensure that a client cannot
      register itself into an inconsistent state, for example, by returning an
      "invalid_client_metadata" error response to an inconsistent registration request.
      """

@rs
Feature: Resource server: the bearer challenge and where a token may travel
  RFC 6750 §2.1 and §3: a bearer token travels in the Authorization header, whose scheme name is
  case-insensitive (RFC 9110 §11.1). A request without credentials gets a bare Bearer challenge
  (RFC 6750 §3), with 401 (a SHOULD, RFC 9110 §11.4) and no error code, since the client may not
  have known authentication was needed (RFC 6750 §3.1). A token in the query string is not
  authentication here: RFC 6750 §2.3 lets a resource server accept it (MAY), but OAuth 2.1 §5.1
  says resource servers MUST ignore it, and MCP (2025-06-18, Authorization, Access Token Usage)
  forbids sending it outright.

  @must @rfc6750
  Scenario: A request without credentials gets a bare Bearer challenge
    When the client calls read_item in alice's workspace without credentials
    Then check "rs.no-credentials.401" SHOULD (RFC 9110 §11.4; RFC 6750 §3): the response status is 401
      """
      Upon receipt of a request for a protected resource that omits credentials, contains invalid
      credentials (e.g., a bad password) or partial credentials (e.g., when the authentication scheme
      requires more than one round trip), an origin server SHOULD send a 401 (Unauthorized) response
      that contains a WWW-Authenticate header field with at least one (possibly new) challenge
      applicable to the requested resource.
      """
    And check "rs.no-credentials.challenge" MUST (RFC 9110 §11.6.1; RFC 6750 §3): the response carries a Bearer challenge
      """
      If the protected resource request does not include authentication credentials or does not
      contain an access token that enables access to the protected resource, the resource server MUST
      include the HTTP "WWW-Authenticate" response header field; it MAY include it in response to
      other conditions as well. ... All challenges defined by this specification MUST use the
      auth-scheme value "Bearer".
      """
    And check "rs.no-credentials.no-error" SHOULD (RFC 6750 §3.1): the challenge has no error attribute
      """
      If the request lacks any authentication information (e.g., the client was unaware that
      authentication is necessary or attempted using an unsupported authentication method), the
      resource server SHOULD NOT include an error code or other error information.
      """

  @must @rfc6750
  Scenario: The auth scheme name is case-insensitive
    Given a token for alice as viewer of her workspace with every workspace scope
    When the client calls read_item in alice's workspace with the token after "bearer "
    Then check "rs.bearer.case-insensitive" MUST (RFC 9110 §11.1; RFC 6750 §2.1): the resource server serves the request
      """
      RFC 6750 §2.1: "Clients SHOULD make authenticated requests with a bearer token using the
      "Authorization" request header field with the "Bearer" HTTP authorization scheme. Resource
      servers MUST support this method." RFC 9110 §11.1: "It uses a case-insensitive token to
      identify the authentication scheme"
      """

  @must @rfc6750 @mcp
  Scenario: A token in the query string is not accepted
    Given a token for alice as viewer of her workspace with every workspace scope
    When the client calls read_item in alice's workspace with the token in the query string
    Then check "rs.query-token.refused" MUST (OAuth 2.1 §5.1; RFC 6750 §5.3; MCP 2025-06-18 Authorization, Access Token Usage): the resource server refuses the request
      """
      In particular, clients MUST NOT send the access token in a URI query parameter, and resource
      servers MUST ignore access tokens in a URI query parameter.
      """
    And check "rs.query-token.401" SHOULD (RFC 9110 §11.4; OAuth 2.1 §5.1): the response status is 401
      """
      Upon receipt of a request for a protected resource that omits credentials, contains invalid
      credentials (e.g., a bad password) or partial credentials (e.g., when the authentication scheme
      requires more than one round trip), an origin server SHOULD send a 401 (Unauthorized) response
      that contains a WWW-Authenticate header field with at least one (possibly new) challenge
      applicable to the requested resource.
      """

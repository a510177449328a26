@rs
Feature: Resource server: the bearer challenge and where a token may travel
  RFC 6750 §2.1 and §3: a bearer token travels in the Authorization header, whose scheme name is
  case-insensitive (RFC 9110 §11.1). A request without credentials gets 401 with a bare Bearer
  challenge: no error code, since the client may not have known authentication was needed
  (RFC 6750 §3.1). A token in the query string is not authentication here: RFC 6750 §5.3 says not
  to pass bearer tokens in page URLs, and MCP (2025-06-18, Authorization, Access Token Usage)
  forbids it outright.

  @must @rfc6750
  Scenario: A request without credentials gets a bare Bearer challenge
    When the client calls read_item in alice's workspace without credentials
    Then check "rs.no-credentials.401" MUST (RFC 6750 §3; RFC 9110 §15.5.2): the response status is 401
    And check "rs.no-credentials.challenge" MUST (RFC 9110 §11.6.1; RFC 6750 §3): the response carries a Bearer challenge
    And check "rs.no-credentials.no-error" SHOULD (RFC 6750 §3.1): the challenge has no error attribute

  @must @rfc6750
  Scenario: The auth scheme name is case-insensitive
    Given a token for alice as viewer of her workspace with every workspace scope
    When the client calls read_item in alice's workspace with the token after "bearer "
    Then check "rs.bearer.case-insensitive" MUST (RFC 9110 §11.1; RFC 6750 §2.1): the resource server serves the request

  @must @rfc6750 @mcp
  Scenario: A token in the query string is not accepted
    Given a token for alice as viewer of her workspace with every workspace scope
    When the client calls read_item in alice's workspace with the token in the query string
    Then check "rs.query-token.refused" MUST (RFC 6750 §5.3; MCP 2025-06-18 Authorization, Access Token Usage): the resource server refuses the request
    And check "rs.query-token.401" SHOULD (RFC 6750 §3.1): the response status is 401

@rs
Feature: Resource server: unsigned tokens only in an explicitly insecure mode
  Some platforms offer a "quickstart" mode that trusts unsigned tokens. RFC 9068 §4: a resource
  server MUST reject a JWT whose alg is none; RFC 8725 §2.1 and §3.1. A server that is not
  declared to run in such a mode (resource_server.insecure_quickstart) must refuse them.

  @must @rfc9068
  Scenario: An unsigned quickstart-style token is refused
    Given the resource server is not in an insecure quickstart mode
    And a token for alice with the flaw "unsigned"
    When the client calls read_item in alice's workspace with the token
    Then check "rs.quickstart.unsigned-refused" MUST (RFC 9068 §4; RFC 8725 §3.1): the resource server refuses the request
      """
      The resource server MUST reject any JWT in which the value of "alg" is "none".
      """
    And check "rs.quickstart.no-5xx" MUST (RFC 9068 §4; RFC 9110 §15.6): the response is not a server error
      """
      The resource server MUST handle errors as described in Section 3.1 of [RFC6750].
      """

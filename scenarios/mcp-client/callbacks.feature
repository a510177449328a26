@mcp-client
Feature: MCP client: an authorization response that comes back tampered with is not redeemed
  The authorization response reaches the client through the user's browser, where an attacker
  can forge or swap it (RFC 6749 §10.12, cross-site request forgery; RFC 9700 §4.4, mix-up).
  Here the runner's browser changes one thing in the redirect back to the client, and the client
  must not redeem the code. State binds the response to the request (RFC 6749 §10.12); `iss`
  names the server that answered (RFC 9207 §2.4), compared as a plain string. A client may
  refuse loudly or go on waiting for a genuine response: after the tampered callback it has 15
  seconds to exit, then it is stopped (not hung); the POLICY check `reported` asks for an error
  its user can see. The suite's counterparts: the MCP conformance suite's `auth/iss-*` scenarios
  (docs/mcp-conformance-mapping.md).

  @should
  Scenario Outline: A callback with <damage> is not redeemed
    Given the browser brings the authorization response back with <damage>
    When the MCP client under test connects (conformance scenario "<suite>")
    Then check "mcp-client.callback.<id>.no-redemption" <severity> (<spec>): no token was requested after the tampered callback
      """
      <quote>
      """
    And check "mcp-client.callback.<id>.reported" POLICY (<spec>; authconform: a refusal is reported): the client reported the refused callback
      """
      POLICY: a client that will not redeem an authorization response says so (an error, exit non-zero) within 15 seconds rather than waiting silently. <spec> asks only that the response not be used.
      """

    Examples:
      | damage                       | id             | suite                     | severity | spec                                                              | quote |
      | a forged state               | wrong-state    | auth/basic-dcr            | SHOULD   | RFC 6749 §4.1.1, §10.12; OAuth 2.1 §2.3.3; RFC 9700 §2.1, §4.7.1  | The parameter SHOULD be used for preventing cross-site request forgery as described in Section 10.12. |
      | no state                     | no-state       | auth/basic-dcr            | SHOULD   | RFC 6749 §4.1.1, §10.12; OAuth 2.1 §2.3.3; RFC 9700 §2.1          | The parameter SHOULD be used for preventing cross-site request forgery as described in Section 10.12. |
      | no code                      | no-code        | auth/basic-dcr            | POLICY   | RFC 6749 §4.1.2, §4.1.3; OAuth 2.1 §4.1.2                         | POLICY: a response without a code ends the attempt, and no token of any grant is requested after it. The client's MUST, RFC 6749 §4.1.3 "code REQUIRED. The authorization code received from the authorization server.", covers only an authorization_code request, while this check counts every grant. |
      | another issuer's iss         | wrong-iss      | auth/iss-wrong-issuer     | SHOULD   | RFC 9207 §2.4, a MUST for clients that support it; RFC 9700 §2.1  | When an OAuth client can interact with more than one authorization server, a defense against mix-up attacks (see Section 4.4) is REQUIRED. To this end, clients SHOULD use the iss parameter as a countermeasure according to [RFC9207], or use an alternative countermeasure based on an iss value in the authorization response ... (RFC 9207 §2.4, for a client that supports it: "If the value does not match the expected issuer identifier, clients MUST reject the authorization response and MUST NOT proceed with the authorization grant.") |
      | no iss                       | no-iss         | auth/iss-supported-missing | SHOULD  | RFC 9207 §2.4, with authorization_response_iss_parameter_supported; RFC 9700 §2.1 | When an OAuth client can interact with more than one authorization server, a defense against mix-up attacks (see Section 4.4) is REQUIRED. To this end, clients SHOULD use the iss parameter as a countermeasure according to [RFC9207] ... (RFC 9207 §2.4, for a client that supports it: "Clients MUST reject authorization responses without the iss parameter from authorization servers that do support the parameter according to the client's configuration.") |
      | its iss followed by a slash  | normalized-iss | auth/iss-normalized       | SHOULD   | RFC 9207 §2.4, a MUST for clients that support it; RFC 3986 §6.2.1; RFC 9700 §2.1 | When an OAuth client can interact with more than one authorization server, a defense against mix-up attacks (see Section 4.4) is REQUIRED. To this end, clients SHOULD use the iss parameter as a countermeasure according to [RFC9207] ... (RFC 9207 §2.4, for a client that supports it: "This comparison MUST use simple string comparison as defined in Section 6.2.1 of [RFC3986].") |

  @should
  Scenario: A callback with an iss from a server that does not send one is not redeemed
    The authorization server neither advertises authorization_response_iss_parameter_supported nor
    sends iss; the response comes back with another issuer's iss all the same.
    Given the authorization server neither sends nor advertises the iss parameter (RFC 9207)
    And the browser brings the authorization response back with another issuer's iss
    When the MCP client under test connects (conformance scenario "auth/iss-unexpected")
    Then check "mcp-client.callback.unexpected-iss.no-redemption" SHOULD (RFC 9207 §2.4): no token was requested after the tampered callback
      """
      Clients SHOULD discard authorization responses with the iss parameter from authorization servers that do not indicate their support for the parameter.
      """
    And check "mcp-client.callback.unexpected-iss.reported" POLICY (RFC 9207 §2.4; authconform: a refusal is reported): the client reported the refused callback
      """
      POLICY: a client that will not redeem an authorization response says so (an error, exit non-zero) within 15 seconds rather than waiting silently. RFC 9207 §2.4 asks only that the response be discarded.
      """

  @policy
  Scenario: Without iss from a server that never promised it, the client still completes
    Given the authorization server neither sends nor advertises the iss parameter (RFC 9207)
    When the MCP client under test connects (conformance scenario "auth/iss-not-advertised")
    Then check "mcp-client.callback.iss-not-advertised.completes" POLICY (RFC 9207 §2.4; OAuth 2.1; MCP 2025-11-25 Authorization): the client called a tool with a token the server accepted
      """
      POLICY: an MCP client works with an OAuth 2.1 authorization server that does not implement RFC 9207, as the MCP conformance suite expects (auth/iss-not-advertised). RFC 9207 §2.4 leaves it open: "In general, clients that support this specification MAY accept authorization responses that do not contain the iss parameter or reject them and exclusively support authorization servers that provide the iss parameter in the authorization response."
      """

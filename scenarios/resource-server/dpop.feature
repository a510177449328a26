@rs @rfc9449
Feature: Resource server: DPoP-bound tokens only with a valid proof made with their key
  RFC 9449 §7: a DPoP-bound access token (cnf.jkt, §6.1) comes with Authorization: DPoP and a
  DPoP proof for this request and this token (ath), made with the key the token is bound to; a
  resource that takes both schemes MUST NOT take such a token as a bearer token (§7.2). The
  scenarios run when the profile says the resource server takes DPoP-bound tokens
  (resource_server.dpop); an RFC 6750-only server is not bound by them.

  @policy
  Scenario: A DPoP-bound token with a valid proof is served
    Given a DPoP-bound token for alice as admin of her workspace
    When the client calls read_item in alice's workspace with the token with a DPoP proof
    Then check "rs.dpop.accepted" POLICY (RFC 9449 §7.1): the resource server serves the request
      """
      POLICY: the profile says this server takes DPoP-bound tokens, so a request that passes every
      check of §7.1 ("check that a DPoP proof was also received in the DPoP header field of the HTTP
      request, check the DPoP proof according to the rules in Section 4.3, and check that the public
      key of the DPoP proof matches the public key to which the access token is bound") should be
      served. No sentence makes serving it a MUST.
      """

  @must
  Scenario: A DPoP-bound token sent as a bearer token is refused
    Given a DPoP-bound token for alice as admin of her workspace
    When the client calls read_item in alice's workspace with the token as a bearer token
    Then check "rs.dpop.as-bearer" MUST (RFC 9449 §7.2): the resource server refuses the request
      """
      Protected resources simultaneously supporting both the DPoP and Bearer schemes need to update
      how the evaluation process is performed for bearer tokens to prevent downgraded usage of a
      DPoP-bound access token. Specifically, such a protected resource MUST reject a DPoP-bound
      access token received as a bearer token per [RFC6750].
      """

  @must
  Scenario: The DPoP scheme without a proof is refused with a DPoP challenge
    Given a DPoP-bound token for alice as admin of her workspace
    When the client calls read_item in alice's workspace with the token with the DPoP scheme and no proof
    Then check "rs.dpop.no-proof" MUST (RFC 9449 §7.1): the resource server refuses the request
      """
      For such an access token, a resource server MUST check that a DPoP proof was also received in
      the DPoP header field of the HTTP request, check the DPoP proof according to the rules in
      Section 4.3, and check that the public key of the DPoP proof matches the public key to which
      the access token is bound per Section 6. The resource server MUST NOT grant access to the
      resource unless all checks are successful.
      """
    And check "rs.dpop.no-proof.challenge" SHOULD (RFC 9449 §7.1): the response carries a DPoP challenge naming the proof algorithms
      """
      In such challenges: The scheme name is DPoP. ... An algs parameter SHOULD be included to
      signal to the client the JWS algorithms that are acceptable for the DPoP proof JWT.
      """

  @must
  Scenario Outline: A DPoP proof <what> is refused
    Given a DPoP-bound token for alice as admin of her workspace
    When the client calls read_item in alice's workspace with the token with a DPoP proof <what>
    Then check "rs.dpop.<defect>" MUST (<spec>): the resource server refuses the request
      """
      <quote>
      """

    Examples:
      | what                            | defect    | spec                        | quote |
      | whose signature does not verify | signature | RFC 9449 §4.3; RFC 9449 §7.1 | To validate a DPoP proof, the receiving server MUST ensure the following: ... 6. The JWT signature verifies with the public key contained in the jwk JOSE Header Parameter. |
      | for another method              | htm       | RFC 9449 §4.3; RFC 9449 §7.1 | To validate a DPoP proof, the receiving server MUST ensure the following: ... 8. The htm claim matches the HTTP method of the current request. |
      | for another URI                 | htu       | RFC 9449 §4.3; RFC 9449 §7.1 | To validate a DPoP proof, the receiving server MUST ensure the following: ... 9. The htu claim matches the HTTP URI value for the HTTP request in which the JWT was received, ignoring any query and fragment parts. |
      | made a day ago                  | iat-old   | RFC 9449 §11.1; RFC 9449 §4.3 | To limit this, servers MUST only accept DPoP proofs for a limited time after their creation (preferably only for a relatively brief period on the order of seconds or minutes). |
      | for another access token        | ath       | RFC 9449 §4.3; RFC 9449 §7  | 12. If presented to a protected resource in conjunction with an access token, ensure that the value of the ath claim equals the hash of that access token ... The DPoP proof MUST include the ath claim with a valid hash of the associated access token. |
      | made with another key           | key       | RFC 9449 §6; RFC 9449 §7.1  | Resource servers supporting DPoP MUST ensure that the public key from the DPoP proof matches the one bound to the access token. |

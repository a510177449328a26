@as @id-jag
Feature: Identity Assertion JWT Authorization Grants on both sides
  draft-ietf-oauth-identity-assertion-authz-grant, the grant behind MCP's enterprise-managed
  authorization (SEP-990): an IdP trades the ID token it issued to a client for an ID-JAG by token
  exchange (RFC 8693), and a resource authorization server redeems the ID-JAG with the JWT-bearer
  grant (RFC 7523 §2.1). An authorization server is judged on the side it advertises:
  `authorization_grant_profiles_supported` with the ID-JAG profile for the resource side (the
  profile's id_jag.trusted_issuer names an issuer it trusts and the key the runner signs with),
  token exchange in `grant_types_supported` for the IdP side (id_jag.audience names an
  authorization server it issues ID-JAGs for). Without them these scenarios are skipped.

  @policy
  Scenario: A valid ID-JAG is redeemed for an access token and no refresh token
    Given the authorization server takes ID-JAGs from an issuer the runner signs for
    When the client presents an ID-JAG
    Then check "as.id-jag.accepted" POLICY (draft-ietf-oauth-identity-assertion-authz-grant §4.4; RFC 7523 §2.1): the token response carries a Bearer access token
      """
      POLICY: the server advertises the ID-JAG profile and trusts the issuer, so a valid ID-JAG
      should be redeemed; but "Inclusion of a profile identifier in
      authorization_grant_profiles_supported indicates only that the Resource Authorization Server
      implements the processing rules for that profile. It does not indicate that any particular
      issuer, tenant, client, subject, audience, or authorization request will be accepted." (§9.2)
      """
    And check "as.id-jag.no-refresh-token" SHOULD (draft-ietf-oauth-identity-assertion-authz-grant §4.4.3): the token response carries no refresh token
      """
      The Resource Authorization Server SHOULD NOT return a Refresh Token when an Identity
      Assertion JWT Authorization is exchanged for an Access Token per Section 5.2 of
      I-D.ietf-oauth-identity-chaining.
      """

  @must
  Scenario Outline: An ID-JAG <what> is refused with invalid_grant
    Given the authorization server takes ID-JAGs from an issuer the runner signs for
    When the client presents an ID-JAG <what>
    Then check "as.id-jag.<defect>" MUST (<basis>; RFC 7523 §3.1): the token endpoint answers 400 "invalid_grant"
      """
      <quote> RFC 7523 §3.1: "If the JWT is not valid, or the current time is not within the
      token's valid time window for use, the authorization server constructs an error response
      as defined in OAuth 2.0 [RFC6749]. The value of the "error" parameter MUST be the
      "invalid_grant" error code."
      """

    Examples:
      | what                                      | defect        | basis                                                    | quote |
      | signed with another key                   | other-key     | RFC 7523 §3                                              | RFC 7523 §3 item 9: "The authorization server MUST reject JWTs with an invalid signature or MAC." |
      | whose signature does not verify           | bad-signature | RFC 7523 §3                                              | RFC 7523 §3 item 9: "The authorization server MUST reject JWTs with an invalid signature or MAC." |
      | that is unsigned                          | alg-none      | RFC 7523 §3                                              | RFC 7523 §3 item 9: "The JWT MUST be digitally signed or have a Message Authentication Code (MAC) applied by the issuer." |
      | for another authorization server          | other-audience | draft-ietf-oauth-identity-assertion-authz-grant §4.4.1 | §4.4.1: "If the aud claim does not match the Resource Authorization Server's issuer identifier, the Resource Authorization Server MUST reject the JWT with an invalid_grant error as defined in Section 5.2 of RFC6749." |
      | for this and another authorization server | extra-audience | draft-ietf-oauth-identity-assertion-authz-grant §4.4.1 | §4.4.1: "If the aud claim is an array, it MUST contain exactly one element, and that element MUST be the issuer identifier of the Resource Authorization Server." An ID-JAG for two servers lets one of them replay it at the other (audience injection). |
      | that expired an hour ago                  | expired       | RFC 7523 §3                                              | RFC 7523 §3 item 4: "The authorization server MUST reject any JWT with an expiration time that has passed, subject to allowable clock skew between systems." |
      | issued for another client                 | other-client  | draft-ietf-oauth-identity-assertion-authz-grant §4.4.1 | §4.4.1: "The Resource Authorization Server MUST validate that the client_id claim in the ID-JAG matches the authenticated client making the request. If they do not match, the Resource Authorization Server MUST reject the request with an invalid_grant error." |

  @policy
  Scenario: A JWT of the trusted issuer that is not typed as an ID-JAG is refused
    Given the authorization server takes ID-JAGs from an issuer the runner signs for
    When the client presents an ID-JAG without its typ
    Then check "as.id-jag.untyped" POLICY (draft-ietf-oauth-identity-assertion-authz-grant §4.4.1; RFC 8725 §3.11): the token endpoint answers 400 "invalid_grant"
      """
      POLICY: §4.4.1 lists "Validate the JWT typ is oauth-id-jag+jwt (per Section 3.11 of
      RFC8725)" among the processing rules, without a BCP 14 keyword. Explicit typing is what
      keeps an ID token or another JWT of the same issuer from being taken as a grant.
      """

  @policy
  Scenario: An ID-JAG used twice is refused the second time
    Given the authorization server takes ID-JAGs from an issuer the runner signs for
    When the client presents an ID-JAG
    And the client presents the same ID-JAG again
    Then check "as.id-jag.replay" POLICY (RFC 7523 §3): the token endpoint answers 400 "invalid_grant"
      """
      POLICY: RFC 7523 §3 item 7: "The authorization server MAY ensure that JWTs are not replayed
      by maintaining the set of used "jti" values for the length of time for which the JWT would be
      considered valid based on the applicable "exp" instant." A MAY.
      """

  @must
  Scenario: Token exchange trades the client's ID token for a typed, signed ID-JAG
    Given the client holds an ID token of the user
    When the client exchanges the ID token for an ID-JAG
    Then check "as.token-exchange.response" MUST (draft-ietf-oauth-identity-assertion-authz-grant §4.3.2; RFC 8693 §2.2.1): the token exchange answers with an ID-JAG
      """
      issued_token_type: REQUIRED - urn:ietf:params:oauth:token-type:id-jag
      access_token: REQUIRED - The Identity Assertion JWT Authorization Grant.
      token_type: REQUIRED - N_A (because this is not an OAuth access token.)
      """
    And check "as.token-exchange.typ" MUST (draft-ietf-oauth-identity-assertion-authz-grant §3): the ID-JAG is typed oauth-id-jag+jwt
      """
      The typ of the JWT indicated in the JWT header MUST be oauth-id-jag+jwt.
      """
    And check "as.token-exchange.claims" MUST (draft-ietf-oauth-identity-assertion-authz-grant §3): the ID-JAG verifies against the JWKS and names the issuer, the user, the audience and the client
      """
      iss: REQUIRED - The issuer identifier of the IdP Authorization Server. sub: REQUIRED -
      Subject Identifier. aud: REQUIRED - The issuer identifier of the Resource Authorization
      Server. client_id: REQUIRED. jti: REQUIRED. exp: REQUIRED. iat: REQUIRED. (The audience is
      the one the client asked for, §4.3: "audience: REQUIRED - The identifier of the Resource
      Authorization Server ... as the intended audience for the ID-JAG"; the subject is the ID
      token's.)
      """
    And check "as.token-exchange.no-refresh-token" SHOULD (draft-ietf-oauth-identity-assertion-authz-grant §4.3.2): the token response carries no refresh token
      """
      refresh_token: OPTIONAL according to Section 2.2 of RFC8693. In the context of this
      specification, this parameter SHOULD NOT be used.
      """

  @must
  Scenario Outline: Token exchange refuses <what>
    Given the <holder> holds an ID token of the user
    When the client exchanges <which> ID token for an ID-JAG
    Then check "as.token-exchange.<defect>" MUST (draft-ietf-oauth-identity-assertion-authz-grant §4.3.1; RFC 8693 §2.2.2): the token exchange is refused
      """
      §4.3.1: "If the subject token is an Identity Assertion, the IdP MUST validate the assertion
      and MUST validate that the audience of the assertion (e.g. the aud claim of the ID Token or
      SAML Audience) matches the client_id of the client authentication of the request." RFC 8693
      §2.2.2 names the error ("If the request itself is not valid or if either the subject_token
      or actor_token are invalid for any reason ... the invalid_request error code MUST be used")
      and the draft's own example answers invalid_grant, so any token error passes; an ID-JAG
      does not.
      """

    Examples:
      | what                                   | holder                        | which     | defect       |
      | an ID token issued to another client   | other confidential client     | the       | other-client |
      | an ID token whose signature is forged  | client                        | a forged  | forged       |

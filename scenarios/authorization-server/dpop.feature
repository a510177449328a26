@as @rfc9449
Feature: DPoP at the token endpoint
  RFC 9449: a client proves possession of a key with a DPoP proof on its token request; the
  server checks the proof by every rule of §4.3, binds the tokens it issues to the key and says so
  (token_type DPoP, cnf.jkt), refuses an invalid proof with invalid_dpop_proof (§5), binds a
  public client's refresh token to the key (§5), and refuses a client registered to always use
  DPoP when it sends no proof (§5.2). Every scenario is skipped for a server whose metadata does
  not advertise dpop_signing_alg_values_supported with ES256 (the runner's proof algorithm). A
  server that asks for a nonce (use_dpop_nonce, §8) gets the request again with it, as a client
  would.

  @must
  Scenario: A token request with a valid DPoP proof gets a DPoP-bound access token
    Given the service client
    And the client uses DPoP with the authorization server
    When the client requests a token for grant_type "client_credentials" with a DPoP proof
    Then check "as.dpop.token-type" MUST (RFC 9449 §5): the token response says token_type DPoP
      """
      A token_type of DPoP MUST be included in the access token response to signal to the client
      that the access token was bound to its DPoP key and can be used as described in Section 7.1.
      """
    And check "as.dpop.jkt" MUST (RFC 9449 §6.1): the access token's cnf.jkt is the thumbprint of the proof's key
      """
      jkt: JWK SHA-256 Thumbprint confirmation method. The value of the jkt member MUST be the
      base64url encoding (as defined in [RFC7515]) of the JWK SHA-256 Thumbprint (according to
      [RFC7638]) of the DPoP public key (in JWK format) to which the access token is bound.
      """
    And check "as.dpop.bound-in-token" POLICY (RFC 9449 §6; RFC 9449 §6.1): a JWT access token carries cnf.jkt
      """
      POLICY: RFC 9449 §6 lets the binding reach a resource "such as embedding the JWK hash in the
      issued access token directly, using the syntax described in Section 6.1, or through token
      introspection as described in Section 6.2"; "Resource servers MUST be able to reliably
      identify whether an access token is DPoP-bound" binds the resource. This suite expects a JWT
      access token, which resources read without asking the server, to carry cnf.jkt.
      """

  @must
  Scenario Outline: A DPoP proof <what> is invalid_dpop_proof
    Given the service client
    And the client uses DPoP with the authorization server
    When the client requests a token for grant_type "client_credentials" with a DPoP proof <what>
    Then check "as.dpop.<defect>" MUST (RFC 9449 §4.3; RFC 9449 §5): the token endpoint answers 400 "invalid_dpop_proof"
      """
      §4.3: "To validate a DPoP proof, the receiving server MUST ensure the following: ... 4. The typ
      JOSE Header Parameter has the value dpop+jwt. ... 6. The JWT signature verifies with the public
      key contained in the jwk JOSE Header Parameter. 7. The jwk JOSE Header Parameter does not
      contain a private key. 8. The htm claim matches the HTTP method of the current request. 9. The
      htu claim matches the HTTP URI value for the HTTP request in which the JWT was received,
      ignoring any query and fragment parts. ... 11. The creation time of the JWT, as determined by
      either the iat claim or a server managed timestamp via the nonce claim, is within an acceptable
      window (see Section 11.1)." §11.1: "servers MUST only accept DPoP proofs for a limited time
      after their creation (preferably only for a relatively brief period on the order of seconds or
      minutes)." §5: "If the DPoP proof is invalid, the authorization server issues an error response
      per Section 5.2 of [RFC6749] with invalid_dpop_proof as the value of the error parameter."
      """

    Examples:
      | what                            | defect         |
      | whose signature does not verify | signature      |
      | typed JWT                       | typ            |
      | whose jwk holds the private key | private-key    |
      | for another method              | htm            |
      | for another URI                 | htu            |
      | made a day ago                  | iat-old        |
      | made a day ahead                | iat-future     |

  @policy
  Scenario: The same DPoP proof sent twice is refused the second time
    Given the service client
    And the client uses DPoP with the authorization server
    When the client requests a token for grant_type "client_credentials" with a DPoP proof
    And the client requests a token for grant_type "client_credentials" with the same DPoP proof again
    Then check "as.dpop.replay" POLICY (RFC 9449 §11.1): the token endpoint refuses the request with an error
      """
      POLICY: §11.1 "In the context of the target URI, servers can store the jti value of each DPoP
      proof for the time window in which the respective DPoP proof JWT would be accepted to prevent
      multiple uses of the same DPoP proof. HTTP requests to the same URI for which the jti value
      has been seen before would be declined. When strictly enforced, such a single-use check
      provides a very strong protection against DPoP proof replay, but it may not always be
      feasible in practice". A can, not a MUST; and no sentence names the error of a refused replay
      (oidc-provider answers invalid_grant "DPoP proof JWT Replay detected", mock-idp
      invalid_dpop_proof), so any error response passes.
      """

  @must @rfc7591
  Scenario: A client registered to always use DPoP is refused without a proof
    Given a client registered to always use DPoP
    When the client requests a token for grant_type "client_credentials" with no DPoP proof
    Then check "as.dpop.always-dpop-client" MUST (RFC 9449 §5.2): the token endpoint refuses the request with an error
      """
      dpop_bound_access_tokens: A boolean value specifying whether the client always uses DPoP for
      token requests. If omitted, the default value is false. If the value is true, the
      authorization server MUST reject token requests from the client that do not contain the DPoP
      header.
      """

  @must
  Scenario: A public client's refresh token works only with its DPoP key
    Given the public client
    And the client uses DPoP with the authorization server
    When the user approves the authorization request
    And the client redeems the code
    And the client refreshes with the latest refresh token without a DPoP proof
    Then check "as.dpop.refresh-without-proof" MUST (RFC 9449 §5): the token endpoint refuses the request with an error
      """
      When an authorization server supporting DPoP issues a refresh token to a public client that
      presents a valid DPoP proof at the token endpoint, the refresh token MUST be bound to the
      respective public key. The binding MUST be validated when the refresh token is later
      presented to get new access tokens.
      """
    When the client refreshes with the latest refresh token with a DPoP proof made with another key
    Then check "as.dpop.refresh-other-key" MUST (RFC 9449 §5): the token endpoint refuses the request with an error
      """
      As a result, such a client MUST present a DPoP proof for the same key that was used to obtain
      the refresh token each time that refresh token is used to obtain a new access token.
      """
    When the client refreshes with the latest refresh token
    Then check "as.dpop.refresh-same-key" MUST (RFC 9449 §5): the token response says token_type DPoP
      """
      As with all access token requests, the client makes it a DPoP request by including a DPoP
      proof ... A token_type of DPoP MUST be included in the access token response
      """

  @must
  Scenario: A code bound to the client's DPoP key by dpop_jkt is not redeemed with another key
    Given the public client
    And the client uses DPoP with the authorization server
    When the user approves an authorization request bound to the client's DPoP key
    And the client redeems the code with a DPoP proof made with another key
    Then check "as.dpop.code-other-key" MUST (RFC 9449 §10): the token endpoint refuses the request with an error
      """
      When a token request is received, the authorization server computes the JWK Thumbprint of the proof-of-possession public key in the DPoP proof and verifies that it matches the dpop_jkt parameter value in the authorization request. If they do not match, it MUST reject the request.
      """

  @must
  Scenario: A code bound to the client's DPoP key by dpop_jkt is redeemed with that key
    Given the public client
    And the client uses DPoP with the authorization server
    When the user approves an authorization request bound to the client's DPoP key
    And the client redeems the code
    Then check "as.dpop.code-same-key" MUST (RFC 9449 §5; RFC 9449 §10): the token response says token_type DPoP
      """
      A token_type of DPoP MUST be included in the access token response to signal to the client that the access token was bound to its DPoP key and can be used as described in Section 7.1.
      """
    And check "as.dpop.code-same-key-jkt" MUST (RFC 9449 §6.1): the access token's cnf.jkt is the thumbprint of the proof's key
      """
      jkt: JWK SHA-256 Thumbprint confirmation method. The value of the jkt member MUST be the
      base64url encoding (as defined in [RFC7515]) of the JWK SHA-256 Thumbprint (according to
      [RFC7638]) of the DPoP public key (in JWK format) to which the access token is bound.
      """

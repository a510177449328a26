@rs
Feature: Resource server: the issuer's key rotation
  The resource server validates signatures with the keys the issuer publishes (RFC 9068 §4;
  RFC 8414 jwks_uri). When the issuer rotates, a token signed by the newly published key works
  once the resource server refetches the JWKS on the unknown kid, the practice OIDC Core §10.1.1
  describes (without a keyword: this suite's policy); a key the issuer no longer publishes stops
  working once the resource server's JWKS cache expires.

  @policy @rfc9068
  Scenario: A token signed by a newly published key is accepted
    Given the resource server has accepted a token of the current key
    When the issuer publishes a new signing key
    And a token for alice signed by the new key
    And the client calls read_item in alice's workspace with the token
    Then check "rs.keys.new-key-accepted" POLICY (OIDC Core §10.1.1; RFC 9068 §4): the resource server serves the request
      """
      POLICY: refetching the JWKS on an unknown kid is the rotation practice OIDC Core §10.1.1
      describes, in prose: "The verifier knows to go back to the jwks_uri location to re-retrieve the
      keys when it sees an unfamiliar kid value." That section's SHOULD binds the signer, not the
      verifier.
      """

  @must @rfc9068
  Scenario: A token signed by a removed key is refused once the JWKS cache expires
    Given the resource server has accepted a token of the current key
    When the issuer publishes a new signing key
    And a token for alice signed by the previous key
    And the issuer removes the previous signing key
    And the resource server's JWKS cache lifetime passes
    And the client calls read_item in alice's workspace with the token
    Then check "rs.keys.removed-key-refused" MUST (RFC 9068 §4; RFC 7517 §5): the resource server refuses the request
      """
      The resource server MUST validate the signature of all incoming JWT access tokens according to
      [RFC7515] using the algorithm specified in the JWT "alg" Header Parameter. ... The resource
      server MUST use the keys provided by the authorization server.
      """

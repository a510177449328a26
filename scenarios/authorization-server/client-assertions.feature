@as @rfc7523
Feature: Client authentication with a JWT assertion
  RFC 7523 §2.2 and §3, OpenID Connect Core §9: a client registered for private_key_jwt signs an
  assertion with its key, one registered for client_secret_jwt MACs it with its secret; the
  server accepts the assertion only if it is the client's (iss and sub the client_id), for this
  server (aud), unexpired and correctly signed, and answers every other one with invalid_client
  (§3.2). The runner registers the client itself (RFC 7591, with its own ES256 key for
  private_key_jwt), so a server without dynamic registration, or that does not list the method in
  token_endpoint_auth_methods_supported, skips these scenarios.

  @policy
  Scenario Outline: A valid <method> assertion authenticates the client
    Given a client registered for <method>
    When the client requests a token for grant_type "client_credentials" with a client assertion
    Then check "as.client-assertion.<method>.accepted" POLICY (RFC 7523 §2.2; RFC 8414 §2): the token response carries a Bearer access token
      """
      POLICY: the server lists the method in token_endpoint_auth_methods_supported ("JSON array
      containing a list of client authentication methods supported by this token endpoint") and
      registered the client for it, so a valid assertion should authenticate it. No sentence makes
      that a MUST.
      """

    Examples:
      | method            |
      | private_key_jwt   |
      | client_secret_jwt |

  @must
  Scenario Outline: A <method> assertion <what> is invalid_client
    Given a client registered for <method>
    When the client requests a token for grant_type "client_credentials" with a client assertion <what>
    Then check "as.client-assertion.<method>.<defect>" MUST (RFC 7523 §3; RFC 7523 §3.2): the token endpoint refuses the client with invalid_client
      """
      <quote> §3.2: "If the client JWT is not valid, or its subject does not correspond to the
      client, the authorization server constructs an error response as defined in OAuth 2.0
      [RFC6749]. The value of the "error" parameter MUST be the "invalid_client" error code."
      """

    Examples:
      | method            | what                            | defect          | quote |
      | private_key_jwt   | signed with another key         | other-key       | §3 item 9: "The JWT MUST be digitally signed or have a Message Authentication Code (MAC) applied by the issuer. The authorization server MUST reject JWTs with an invalid signature or MAC." |
      | private_key_jwt   | whose signature does not verify | bad-signature   | §3 item 9: "The authorization server MUST reject JWTs with an invalid signature or MAC." |
      | private_key_jwt   | that is unsigned                | alg-none        | §3 item 9: "The JWT MUST be digitally signed or have a Message Authentication Code (MAC) applied by the issuer." |
      | private_key_jwt   | for another audience            | other-audience  | §3 item 3: "The JWT MUST contain an "aud" (audience) claim containing a value that identifies the authorization server as an intended audience. ... The authorization server MUST reject any JWT that does not contain its own identity as the intended audience." |
      | private_key_jwt   | that expired an hour ago        | expired         | §3 item 4: "The JWT MUST contain an "exp" (expiration time) claim that limits the time window during which the JWT can be used. The authorization server MUST reject any JWT with an expiration time that has passed, subject to allowable clock skew between systems." |
      | client_secret_jwt | signed with another key         | other-key       | §3 item 9: "The authorization server MUST reject JWTs with an invalid signature or MAC." |
      | client_secret_jwt | for another audience            | other-audience  | §3 item 3: "The authorization server MUST reject any JWT that does not contain its own identity as the intended audience." |
      | client_secret_jwt | that expired an hour ago        | expired         | §3 item 4: "The authorization server MUST reject any JWT with an expiration time that has passed, subject to allowable clock skew between systems." |

  @must
  Scenario: A private_key_jwt assertion about another client does not authenticate this one
    Given a client registered for private_key_jwt
    When the client requests a token for grant_type "client_credentials" with a client assertion about another client
    Then check "as.client-assertion.private_key_jwt.other-subject" MUST (RFC 7523 §3; RFC 7523 §3.2; RFC 6749 §5.2): the token endpoint refuses the client with invalid_client or invalid_request
      """
      RFC 7523 §3 item 2: "For client authentication, the subject MUST be the "client_id" of the
      OAuth client." §3.2: "If the client JWT is not valid, or its subject does not correspond to
      the client, ... The value of the "error" parameter MUST be the "invalid_client" error code."
      The request also names the client in client_id, which the assertion then contradicts:
      RFC 6749 §5.2 "invalid_request The request ... includes multiple credentials, utilizes more
      than one mechanism for authenticating the client, or is otherwise malformed." Both sentences
      apply, so either error passes (oidc-provider answers invalid_request "client_id mismatch");
      a token does not.
      """

  @policy
  Scenario: A private_key_jwt assertion used twice is refused the second time
    Given a client registered for private_key_jwt
    When the client requests a token for grant_type "client_credentials" with a client assertion
    And the client requests a token for grant_type "client_credentials" with the same client assertion again
    Then check "as.client-assertion.private_key_jwt.replay" POLICY (RFC 7523 §3; OIDC Core §9): the token endpoint refuses the client with invalid_client
      """
      POLICY: RFC 7523 §3 item 7: "The authorization server MAY ensure that JWTs are not replayed
      by maintaining the set of used "jti" values for the length of time for which the JWT would be
      considered valid based on the applicable "exp" instant." OIDC Core §9: "jti REQUIRED. JWT ID.
      A unique identifier for the token, which can be used to prevent reuse of the token." A MAY.
      """

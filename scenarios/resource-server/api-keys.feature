@rs
Feature: Resource server: API keys and HTTP Basic
  API keys travel in the header their scheme names: Authorization: Bearer, X-API-Key,
  Authorization: Basic, or a custom header with a custom prefix. No standard governs API keys:
  that the profile's key is served, and that a key counts only where its scheme puts it, is this
  suite's policy. A request with a wrong key or none SHOULD get 401 with a challenge (RFC 9110
  §11.4), and a 401 MUST carry one (§11.6.1). HTTP Basic (RFC 7617) is held to the same rules.

  @policy
  Scenario Outline: The <scheme> API key is accepted in its own header
    When the client calls the <scheme> API-key endpoint with its key
    Then check "rs.api-key.<scheme>.accepted" POLICY (RFC 9110 §11.6.2; authconform: the profile's key is served): the resource server serves the request
      """
      POLICY: serving a request that carries the key the profile declares is the baseline that makes
      the refusals below mean something; no sentence requires a server to accept a credential, and
      RFC 9110 §11.6.2 only describes the header: "The "Authorization" header field allows a user
      agent to authenticate itself with an origin server".
      """

    Examples:
      | scheme    |
      | bearer    |
      | x_api_key |
      | basic     |
      | custom    |

  @should
  Scenario Outline: A wrong <scheme> API key is refused
    When the client calls the <scheme> API-key endpoint with a wrong key
    Then check "rs.api-key.<scheme>.wrong-key" SHOULD (RFC 9110 §11.4): the response status is 401
      """
      Upon receipt of a request for a protected resource that omits credentials, contains invalid
      credentials (e.g., a bad password) or partial credentials (e.g., when the authentication scheme
      requires more than one round trip), an origin server SHOULD send a 401 (Unauthorized) response
      that contains a WWW-Authenticate header field with at least one (possibly new) challenge
      applicable to the requested resource.
      """
    When the client calls the <scheme> API-key endpoint with no key
    Then check "rs.api-key.<scheme>.no-key" SHOULD (RFC 9110 §11.4): the response status is 401
      """
      Upon receipt of a request for a protected resource that omits credentials, contains invalid
      credentials (e.g., a bad password) or partial credentials (e.g., when the authentication scheme
      requires more than one round trip), an origin server SHOULD send a 401 (Unauthorized) response
      that contains a WWW-Authenticate header field with at least one (possibly new) challenge
      applicable to the requested resource.
      """

    Examples:
      | scheme    |
      | bearer    |
      | x_api_key |
      | basic     |
      | custom    |

  @policy
  Scenario Outline: The <scheme> API key is refused in the <other> header
    When the client calls the <scheme> API-key endpoint with its key in the <other> header
    Then check "rs.api-key.<scheme>.not-in-<other>" POLICY (RFC 9110 §11.6.2; authconform: a key counts only where its scheme puts it): the resource server refuses the request
      """
      POLICY: a key counts only where its scheme puts it; no standard defines API-key schemes, and
      RFC 9110 §11.6.2 says only that "The "Authorization" header field allows a user agent to
      authenticate itself with an origin server", not which other headers a server may read.
      """

    Examples:
      | scheme    | other     |
      | bearer    | x_api_key |
      | x_api_key | bearer    |
      | x_api_key | custom    |
      | basic     | bearer    |
      | custom    | x_api_key |
      | custom    | bearer    |

  @must @rfc7617
  Scenario: HTTP Basic accepts the right password and refuses a wrong one
    When the client calls the Basic endpoint with the right password
    Then check "rs.basic.accepted" POLICY (RFC 7617 §2; authconform: the profile's password is served): the resource server serves the request
      """
      POLICY: serving a request with the password the profile declares is the baseline that makes the
      refusal below mean something; no sentence requires a server to accept a credential, and RFC 7617
      §2 only describes the model: "The Basic authentication scheme is based on the model that the
      client needs to authenticate itself with a user-id and a password for each protection space
      ("realm")."
      """
    When the client calls the Basic endpoint with a wrong password
    Then check "rs.basic.wrong-password" SHOULD (RFC 9110 §11.4; RFC 7617 §2): the response status is 401
      """
      Upon receipt of a request for a protected resource that omits credentials, contains invalid
      credentials (e.g., a bad password) or partial credentials (e.g., when the authentication scheme
      requires more than one round trip), an origin server SHOULD send a 401 (Unauthorized) response
      that contains a WWW-Authenticate header field with at least one (possibly new) challenge
      applicable to the requested resource.
      """
    And check "rs.basic.challenge" MUST (RFC 9110 §11.6.1; RFC 7617 §2): the response carries a Basic challenge
      """
      A server generating a 401 (Unauthorized) response MUST send a WWW-Authenticate header field
      containing at least one challenge.
      """

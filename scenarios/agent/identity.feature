@agent
Feature: Multi-user agent server: who the caller is
  The server must know who is calling before it uses anybody's tokens. A claim nobody can check
  (a session cookie or a query parameter naming a user, a JWT without a valid signature from the
  identity provider, an expired one) proves nothing: "MCP servers MUST NOT use sessions for
  authentication" and "MUST verify all inbound requests" (MCP 2025-11-25 Security Best Practices,
  Session Hijacking; the agent server acts as an MCP server or proxy toward its users); a JWT is
  accepted only after its signature, issuer, audience and lifetime check out (RFC 7519 §4.1.3,
  §4.1.4, §7.2, RFC 8725 §3.1-3.3, §3.8, §3.9: MUSTs of whoever processes the JWT). Alice gives
  her consent first, so there are tokens of hers to take; then bob, who is not alice, claims to
  be her; then alice calls again, and must still be served with her own token (a server that let
  bob's consent land under her name would now act for her as bob).

  @must
  Scenario Outline: Bob with <forgery> claiming to be alice never reaches alice's tokens
    Given the agent server under test calls a protected API with each user's own token
    When alice connects with her own identity token
    And alice calls the tool
    And bob connects with <forgery> claiming to be alice
    And bob calls the tool
    And alice calls the tool
    Then check "agent.identity.<id>.not-alices-token" MUST (<spec>): no API request made for bob's call carried alice's token
      """
      <quote>
      """
    And check "agent.identity.<id>.not-alices-data" MUST (<spec>): bob was not answered with alice's data
      """
      <quote>
      """
    And check "agent.identity.<id>.alice-unharmed" MUST (<spec>): no API request made for alice's calls carried another person's token
      """
      <quote>
      """

    Examples:
      | forgery                       | id             | spec                                                                                      | quote |
      | a session cookie              | cookie         | MCP 2025-11-25 Security Best Practices, Session Hijacking: MUST NOT use sessions for authentication | MCP Servers MUST NOT use sessions for authentication. |
      | a query parameter             | query          | MCP 2025-11-25 Security Best Practices, Session Hijacking: MUST verify all inbound requests | MCP servers that implement authorization MUST verify all inbound requests. |
      | an unsigned JWT               | unsigned       | MCP 2025-11-25 Security Best Practices, Session Hijacking; RFC 8725 §3.2                   | Therefore, applications MUST only allow the use of cryptographically current algorithms that meet the security requirements of the application. |
      | a JWT signed by another key   | foreign-key    | MCP 2025-11-25 Security Best Practices, Session Hijacking; RFC 7515 §5.2; RFC 7519 §7.2; RFC 8725 §3.3 | All cryptographic operations used in the JWT MUST be validated and the entire JWT MUST be rejected if any of them fail to validate. |
      | an expired identity token     | expired        | RFC 7519 §4.1.4: MUST NOT be accepted for processing                                       | The "exp" (expiration time) claim identifies the expiration time on or after which the JWT MUST NOT be accepted for processing. |
      | a JWT for another audience    | wrong-audience | RFC 7519 §4.1.3: MUST be rejected; RFC 8725 §3.9                                           | If the principal processing the claim does not identify itself with a value in the "aud" claim when this claim is present, then the JWT MUST be rejected. |
      | a JWT from another issuer     | wrong-issuer   | RFC 8725 §3.8; MCP 2025-11-25 Security Best Practices, Session Hijacking                   | When a JWT contains an "iss" (issuer) claim, the application MUST validate that the cryptographic keys used for the cryptographic operations in the JWT belong to the issuer. If they do not, the application MUST reject the JWT. |
      | a JWT signed with HS256 and the public key | hs256 | RFC 8725 §2.1, §3.1; MCP 2025-11-25 Security Best Practices, Session Hijacking      | Moreover, each key MUST be used with exactly one algorithm, and this MUST be checked when the cryptographic operation is performed. |

  @must
  Scenario: Anonymous callers never share a default identity's tokens
    Given the agent server under test calls a protected API with each user's own token
    When alice connects with her own identity token
    And alice calls the tool
    And bob connects anonymously
    And bob calls the tool
    And hatter connects anonymously
    And hatter calls the tool
    Then check "agent.anonymous.bob.not-others-token" MUST (RFC 6750 §5.3; MCP 2025-11-25 Security Best Practices, Session Hijacking; RFC 6749 §1.4): no API request made for bob's call carried another person's token
      """
      Client implementations MUST ensure that bearer tokens are not leaked to unintended parties, as they will be able to use them to gain access to protected resources.
      """
    And check "agent.anonymous.hatter.not-others-token" MUST (RFC 6750 §5.3; MCP 2025-11-25 Security Best Practices, Session Hijacking; RFC 6749 §1.4): no API request made for hatter's call carried another person's token
      """
      Client implementations MUST ensure that bearer tokens are not leaked to unintended parties, as they will be able to use them to gain access to protected resources.
      """
    And check "agent.anonymous.hatter.not-others-data" MUST (MCP 2025-11-25 Authorization, Access Token Privilege Restriction; RFC 6749 §1.4): hatter was not answered with another person's data
      """
      MCP servers MUST validate access tokens before processing the request, ensuring the access token is issued specifically for the MCP server, and take all necessary steps to ensure no data is returned to unauthorized parties.
      """

@rs
Feature: Resource server: API keys and HTTP Basic
  API keys travel in the header their scheme names: Authorization: Bearer, X-API-Key,
  Authorization: Basic, or a custom header with a custom prefix. A key is checked where its scheme
  puts it and nowhere else, and a wrong key is refused with 401 and a challenge (RFC 9110 §15.5.2,
  §11.6.1). HTTP Basic (RFC 7617) refuses a wrong password the same way.

  @must
  Scenario Outline: The <scheme> API key is accepted in its own header
    When the client calls the <scheme> API-key endpoint with its key
    Then check "rs.api-key.<scheme>.accepted" MUST (RFC 9110 §11.6.2): the resource server serves the request

    Examples:
      | scheme    |
      | bearer    |
      | x_api_key |
      | basic     |
      | custom    |

  @must
  Scenario Outline: A wrong <scheme> API key is refused
    When the client calls the <scheme> API-key endpoint with a wrong key
    Then check "rs.api-key.<scheme>.wrong-key" MUST (RFC 9110 §15.5.2): the response status is 401
    When the client calls the <scheme> API-key endpoint with no key
    Then check "rs.api-key.<scheme>.no-key" MUST (RFC 9110 §15.5.2): the response status is 401

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
    Then check "rs.basic.accepted" MUST (RFC 7617 §2): the resource server serves the request
    When the client calls the Basic endpoint with a wrong password
    Then check "rs.basic.wrong-password" MUST (RFC 7617 §2; RFC 9110 §15.5.2): the response status is 401
    And check "rs.basic.challenge" MUST (RFC 7617 §2; RFC 9110 §11.6.1): the response carries a Basic challenge

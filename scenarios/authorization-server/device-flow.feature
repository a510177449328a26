@as
Feature: The device authorization grant
  RFC 8628 §3.5: until the user answers, polling gets authorization_pending; a denial is
  access_denied; an approval yields tokens; an expired device code is expired_token. Answering a
  client that polls faster than the interval with slow_down is a code the server may use, and this
  suite's policy: the MUSTs of §3.5 about the interval bind the client.

  @must @rfc8628
  Scenario: Polling before the user answers is pending, polling too fast is slow_down
    Given the device client
    When the client requests device authorization
    And the client polls with the device code
    Then check "as.device.pending" MUST (RFC 8628 §3.5; RFC 6749 §5.2): the token endpoint answers 400 "authorization_pending"
      """
      RFC 8628 §3.5: "If the user has approved the grant, the token endpoint responds with a success
      response defined in Section 5.1 of [RFC6749]; otherwise, it responds with an error, as defined in
      Section 5.2 of [RFC6749]. In addition to the error codes defined in Section 5.2 of [RFC6749], the
      following error codes are specified for use with the device authorization grant in token
      endpoint responses: authorization_pending The authorization request is still pending as the end
      user hasn't yet completed the user-interaction steps (Section 3.3)." RFC 6749 §5.2: "error
      REQUIRED. A single ASCII [USASCII] error code from the following:"
      """
    When the client polls with the device code
    Then check "as.device.slow-down" POLICY (RFC 8628 §3.5): the token endpoint answers 400 "slow_down"
      """
      POLICY: detecting a client that polls too fast and answering slow_down is a code the server may
      use; the MUSTs of RFC 8628 §3.5 bind the client: "slow_down A variant of "authorization_pending",
      the authorization request is still pending and polling should continue, but the interval MUST be
      increased by 5 seconds for this and all subsequent requests."
      """

  @must @rfc8628
  Scenario: An approved device gets tokens, a denied one access_denied
    Given the device client
    When the client requests device authorization
    And the user approves the device
    And the client polls with the device code
    Then check "as.device.approved" MUST (RFC 8628 §3.5; RFC 6749 §5.1): the token response carries a Bearer access token
      """
      RFC 8628 §3.5: "If the user has approved the grant, the token endpoint responds with a success
      response defined in Section 5.1 of [RFC6749]" RFC 6749 §5.1: "access_token REQUIRED. The access
      token issued by the authorization server. token_type REQUIRED. The type of the token issued as
      described in Section 7.1."
      """
    When the client requests device authorization
    And the user denies the device
    And the client polls with the device code
    Then check "as.device.denied" MUST (RFC 8628 §3.5; RFC 6749 §5.2): the token endpoint answers 400 "access_denied"
      """
      RFC 8628 §3.5: "otherwise, it responds with an error, as defined in Section 5.2 of [RFC6749]. In
      addition to the error codes defined in Section 5.2 of [RFC6749], the following error codes are
      specified for use with the device authorization grant in token endpoint responses: ...
      access_denied The authorization request was denied." RFC 6749 §5.2: "error REQUIRED. A single
      ASCII [USASCII] error code from the following:"
      """

  @must @rfc8628 @clock
  Scenario: An expired device code is expired_token
    Given the device client
    And the target's clock can be moved
    When the client requests device authorization
    And the clock advances by 3600 seconds
    And the client polls with the device code
    Then check "as.device.expired" MUST (RFC 8628 §3.5; RFC 6749 §5.2): the token endpoint answers 400 "expired_token"
      """
      RFC 8628 §3.5: "otherwise, it responds with an error, as defined in Section 5.2 of [RFC6749]. In
      addition to the error codes defined in Section 5.2 of [RFC6749], the following error codes are
      specified for use with the device authorization grant in token endpoint responses: ...
      expired_token The "device_code" has expired, and the device authorization session has
      concluded." RFC 6749 §5.2: "error REQUIRED. A single ASCII [USASCII] error code from the
      following:"
      """

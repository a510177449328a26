@as
Feature: The device authorization grant
  RFC 8628 §3.5: until the user answers, polling gets authorization_pending; polling faster than
  the interval gets slow_down; a denial is access_denied; an approval yields tokens; an expired
  device code is expired_token.

  @must @rfc8628
  Scenario: Polling before the user answers is pending, polling too fast is slow_down
    Given the device client
    When the client requests device authorization
    And the client polls with the device code
    Then check "as.device.pending" MUST (RFC 8628 §3.5): the token endpoint answers 400 "authorization_pending"
    When the client polls with the device code
    Then check "as.device.slow-down" MUST (RFC 8628 §3.5): the token endpoint answers 400 "slow_down"

  @must @rfc8628
  Scenario: An approved device gets tokens, a denied one access_denied
    Given the device client
    When the client requests device authorization
    And the user approves the device
    And the client polls with the device code
    Then check "as.device.approved" MUST (RFC 8628 §3.5): the token response carries a Bearer access token
    When the client requests device authorization
    And the user denies the device
    And the client polls with the device code
    Then check "as.device.denied" MUST (RFC 8628 §3.5): the token endpoint answers 400 "access_denied"

  @must @rfc8628 @clock
  Scenario: An expired device code is expired_token
    Given the device client
    And the target's clock can be moved
    When the client requests device authorization
    And the clock advances by 3600 seconds
    And the client polls with the device code
    Then check "as.device.expired" MUST (RFC 8628 §3.5): the token endpoint answers 400 "expired_token"

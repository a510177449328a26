@as
Feature: redirect_uri is matched exactly
  RFC 6749 §3.1.2.3 and RFC 9700 §4.1.3: the authorization server compares the redirect URI with
  the registered one as strings. A mismatch must not redirect anywhere (RFC 6749 §4.1.2.1); the
  user should see an error page (a 4xx page is this suite's policy). The runner plays a user who
  signs in and approves whatever the server shows. Loopback IP redirects may change the port (RFC 8252 §7.3).

  @must @rfc6749 @rfc9700
  Scenario Outline: redirect_uri variant <variant> gets an error page, not a redirect
    Given the confidential client
    When the client sends an authorization request with redirect_uri variant "<variant>"
    Then check "as.redirect-uri.exact-match" MUST (RFC 6749 §3.1.2.3; RFC 9700 §4.1.3; RFC 6749 §4.1.2.1): the server does not redirect to the client
      """
      RFC 6749 §4.1.2.1: "If the request fails due to a missing, invalid, or mismatching redirection
      URI, or if the client identifier is missing or invalid, the authorization server SHOULD inform
      the resource owner of the error and MUST NOT automatically redirect the user-agent to the
      invalid redirection URI." RFC 9700 §4.1.3: "This means the authorization server MUST ensure that
      the two URIs are equal; see Section 6.2.1 of [RFC3986], Simple String Comparison, for details."
      """
    And check "as.redirect-uri.error-page" POLICY (RFC 6749 §4.1.2.1): the user sees an error page
      """
      POLICY: answering the refused request with a 4xx page is this suite's choice; RFC 6749 §4.1.2.1
      asks only that "the authorization server SHOULD inform the resource owner of the error", and no
      sentence sets the status of that page.
      """

    Examples:
      | variant            |
      | unregistered       |
      | prefix-extended    |
      | substring-embedded |
      | case-changed       |
      | trailing-slash     |
      | extra-query        |
      | fragment           |
      | userinfo-trick     |
      | encoded-traversal  |
      | dot-segment        |
      | suffix-host        |
      | default-port       |
      | percent-encoded    |

  @must @rfc8252
  Scenario: A loopback redirect on another port is accepted
    Given the public client
    When the client sends an authorization request with redirect_uri on another loopback port
    Then check "as.redirect-uri.loopback-port" MUST (RFC 8252 §7.3): the client receives a code
      """
      The authorization server MUST allow any port to be specified at the time of the request for
      loopback IP redirect URIs, to accommodate clients that obtain an available ephemeral port from
      the operating system at the time of the request.
      """

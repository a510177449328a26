@mcp-client @extension @rfc9449
Feature: DPoP-bound tokens (MCP extension)
  MCP's DPoP extension (io.modelcontextprotocol/auth/dpop, SEP-1932): a client proves possession
  of a key of its own with a DPoP proof (RFC 9449) on its token requests, gets tokens bound to
  that key, and presents them to the MCP server with the DPoP scheme and a fresh proof on every
  request. Here the MCP server takes only DPoP-bound tokens (its protected resource metadata says
  dpop_bound_access_tokens_required, RFC 9728 §2) and the authorization server lists ES256 in
  dpop_signing_alg_values_supported, as in the conformance suite's auth/dpop. The extension is
  OPTIONAL: this scenario runs only for a client whose profile lists it in mcp_client.extensions;
  the severities are RFC 9449's, for a client that requests and uses DPoP-bound tokens.

  @must
  Scenario: A client that uses DPoP proves its key on every token and MCP request
    Given the MCP server takes only DPoP-bound tokens
    When the MCP client under test connects (conformance scenario "auth/dpop")
    Then check "mcp-client.dpop.completes" POLICY (SEP-1932; RFC 9449 §7): the client used the MCP server with a token the server accepted
      """
      POLICY: finishing the flow is what a client that lists the extension is for; the extension
      is a draft (SEP-1932), and what this scenario holds a client to is RFC 9449's, judged below.
      """
    And check "mcp-client.dpop.token-request" MUST (RFC 9449 §5): every token request carries a valid DPoP proof for the token endpoint
      """
      To request an access token that is bound to a public key using DPoP, the client MUST provide
      a valid DPoP proof JWT in a DPoP header when making an access token request to the
      authorization server's token endpoint.
      """
    And check "mcp-client.dpop.resource-request" MUST (RFC 9449 §7, §7.1): every MCP request carries the token with the DPoP scheme and a proof for it made with the token's key
      """
      Requests to DPoP-protected resources MUST include both a DPoP proof as per Section 4 and the
      access token as described in Section 7.1. The DPoP proof MUST include the ath claim with a
      valid hash of the associated access token.
      """
    And check "mcp-client.dpop.fresh" MUST (RFC 9449 §4.2): no DPoP proof is sent twice
      """
      jti: Unique identifier for the DPoP proof JWT. The value MUST be assigned such that there is
      a negligible probability that the same value will be assigned to any other DPoP proof used
      in the same context during the time window of validity.
      """

  @must
  Scenario: A client that uses DPoP answers each server's nonce with that server's nonce
    Given the MCP server takes only DPoP-bound tokens
    And the authorization server and the MCP server ask for DPoP nonces
    When the MCP client under test connects (conformance scenario "auth/dpop-nonce")
    Then check "mcp-client.dpop.nonce.completes" POLICY (SEP-1932; RFC 9449 §8, §9): the client used the MCP server with a token the server accepted
      """
      POLICY: both servers ask for a nonce with use_dpop_nonce and DPoP-Nonce, which RFC 9449
      lets them do (§8, §9); a client that lists the extension is expected to finish, and what
      holds it to the nonces is §4.2, judged below.
      """
    And check "mcp-client.dpop.nonce.token-request" MUST (RFC 9449 §4.2, §8): after the authorization server's DPoP-Nonce, every token request's proof carries a nonce it gave
      """
      When the authentication server or resource server provides a DPoP-Nonce HTTP header in a
      response (see Sections 8 and 9), the DPoP proof MUST also contain the following claim:
      nonce: A recent nonce provided via the DPoP-Nonce HTTP header.
      """
    And check "mcp-client.dpop.nonce.resource-request" MUST (RFC 9449 §4.2, §9): after the MCP server's DPoP-Nonce, every MCP request's proof carries a nonce it gave
      """
      When the authentication server or resource server provides a DPoP-Nonce HTTP header in a
      response (see Sections 8 and 9), the DPoP proof MUST also contain the following claim:
      nonce: A recent nonce provided via the DPoP-Nonce HTTP header.
      """

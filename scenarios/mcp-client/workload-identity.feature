@mcp-client @extension
Feature: Workload identity federation (MCP extension)
  MCP's workload identity federation extension (io.modelcontextprotocol/auth/wif, SEP-1933): a
  client that runs as a workload trades the identity token its platform gave it for an access
  token with the JWT-bearer grant (RFC 7523 §2.1), with no user and no client secret. As in the
  conformance suite (auth/wif-jwt-bearer), the authorization server trusts the workload
  identity issuer, offers no registration, and the context gives the client its client_id and
  its workload JWT (valid_jwt; wrong_audience_jwt and expired_jwt too, which it must not need).
  The extension is OPTIONAL: these scenarios run only for a client whose profile lists it in
  mcp_client.extensions.

  @must
  Scenario: A workload trades its identity token for an access token
    Given the client runs as a workload with an identity token
    When the MCP client under test connects (conformance scenario "auth/wif-jwt-bearer")
    Then check "mcp-client.wif.completes" POLICY (SEP-1933; RFC 7523 §2.1): the client used the MCP server with a token the server accepted
      """
      POLICY: finishing the flow is what a client that lists the extension is for; the extension
      is a draft (SEP-1933), and the requirements this scenario holds a client to are RFC 7523's,
      judged below.
      """
    And check "mcp-client.wif.grant" MUST (RFC 7523 §2.1): every token request uses the JWT-bearer grant with the workload JWT and no authorization request was sent
      """
      The value of the "grant_type" is "urn:ietf:params:oauth:grant-type:jwt-bearer". The value
      of the "assertion" parameter MUST contain a single JWT.
      """
    And check "mcp-client.wif.resource" MUST (MCP 2025-11-25 Authorization, Resource Parameter Implementation; RFC 8707 §2): every token request names the MCP server as its resource
      """
      MCP clients MUST include the resource parameter in both authorization requests and token
      requests.
      """

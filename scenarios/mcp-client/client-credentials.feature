@mcp-client @extension
Feature: OAuth client credentials for machine clients (MCP extension)
  MCP's OAuth client credentials extension (io.modelcontextprotocol/oauth-client-credentials,
  SEP-1046) lets a client with no user get its token with the client_credentials grant, using
  credentials pre-registered out of band: a private_key_jwt assertion (RFC 7523 §2.2,
  RECOMMENDED) or a client secret. The extension is OPTIONAL: these scenarios run only for a
  client whose profile lists it in mcp_client.extensions. As in the conformance suite
  (auth/client-credentials-jwt, auth/client-credentials-basic), the authorization server lists
  only the one method, offers no registration, and the credentials come in the context.

  @must
  Scenario Outline: A machine client with a <method> credential gets its token without a user
    Given the client holds client credentials for <method>
    When the MCP client under test connects (conformance scenario "<suite>")
    Then check "mcp-client.client-credentials.<method>.completes" POLICY (MCP OAuth Client Credentials extension, Flow Steps): the client used the MCP server with a token the server accepted
      """
      POLICY: the extension's flow ends with "MCP request with access token ... MCP response";
      finishing it is what a client that lists the extension is for, but no sentence makes it a
      requirement beyond the MUSTs the checks below judge (the grant, the authentication, the
      resource).
      """
    And check "mcp-client.client-credentials.<method>.grant" MUST (MCP OAuth Client Credentials extension, Extension Requirements; RFC 6749 §4.4): the client got its token with the client_credentials grant and sent no authorization request
      """
      When adopted: Implementations MUST conform to all requirements specified in this extension
      ... The Client Credentials flow enables machine-to-machine authentication without user
      interaction. This flow requires pre-registered client credentials, which are typically
      established out-of-band through administrative channels.
      """
    And check "mcp-client.client-credentials.<method>.auth" MUST (MCP OAuth Client Credentials extension, Client Authentication Methods; <auth basis>): every token request authenticates as the pre-registered client with <how>
      """
      Clients MUST authenticate using one of these methods: JWT Authentication (RECOMMENDED):
      Clients use JWT Authentication as defined in RFC 7523 Section 2.2. Client Secret: Clients use
      a Client Secret transmitted in the request content as defined in OAuth 2.1 Section 2.4.1.
      """
    And check "mcp-client.client-credentials.<method>.resource" MUST (MCP 2025-11-25 Authorization, Resource Parameter Implementation; RFC 8707 §2): every token request names the MCP server as its resource
      """
      Implementations MUST also conform to the baseline authorization requirements (the
      extension). MCP clients MUST include the resource parameter in both authorization requests
      and token requests.
      """

    Examples:
      | method              | suite                         | how                        | auth basis                  |
      | private_key_jwt     | auth/client-credentials-jwt   | a private_key_jwt assertion | RFC 7523 §2.2, §3           |
      | client_secret_basic | auth/client-credentials-basic | its secret                 | OAuth 2.1 §2.4.1            |

//! Faults of the reference MCP client: named, deliberate deviations from the MCP authorization
//! spec that `authconform mutate` switches on one at a time, expecting an `@mcp-client` scenario
//! to notice. Each fault is checked exactly where the client's code bends.

use crate::named_faults::named_faults;

named_faults!(ClientFault, "reference MCP client", "mcp-client-", {
    SkipPkce = "mcp-client-skip-pkce":
        "the authorization request carries no code_challenge",
    PlainPkce = "mcp-client-plain-pkce":
        "PKCE with code_challenge_method=plain instead of S256",
    IgnoreMissingPkceMethods = "mcp-client-ignore-missing-pkce-methods":
        "goes on when the authorization server metadata has no code_challenge_methods_supported",
    NoResourceOnAuthorize = "mcp-client-no-resource-on-authorize":
        "the authorization request carries no resource parameter",
    NoResourceOnToken = "mcp-client-no-resource-on-token":
        "token requests (code and refresh) carry no resource parameter",
    IgnorePrmResource = "mcp-client-ignore-prm-resource":
        "authorizes even when the protected resource metadata names another resource",
    IgnoreChallengeMetadata = "mcp-client-ignore-challenge-metadata":
        "ignores resource_metadata in the 401 challenge and guesses the root well-known URL",
    IgnoreChallengeScope = "mcp-client-ignore-challenge-scope":
        "asks for every scope in scopes_supported instead of the challenge's scope",
    IgnoreMetadataDocuments = "mcp-client-ignore-metadata-documents":
        "registers dynamically even when the authorization server accepts its client ID metadata document",
    TokenInQuery = "mcp-client-token-in-query":
        "sends the access token in the URL query as well as in the header",
    TokenToAuthorizationServer = "mcp-client-token-to-authorization-server":
        "sends the MCP access token to the authorization server's endpoints too",
    SseFallback = "mcp-client-sse-fallback":
        "after a 401, tries the legacy HTTP+SSE transport (GET /sse) without a token",
    StepUpForever = "mcp-client-step-up-forever":
        "re-authorizes on every 403 insufficient_scope, without a limit",
    NoStepUp = "mcp-client-no-step-up":
        "gives up on a 403 insufficient_scope instead of re-authorizing with the wider scope",
    ResendRefusedToken = "mcp-client-resend-refused-token":
        "on a 401 for the token it holds, sends the same token again (three times) and gives up, never refreshing or authorizing again (NeMo Agent Toolkit 1.9.0's MCP client)",
    IgnoreRegisteredAuthMethod = "mcp-client-ignore-registered-auth-method":
        "authenticates with HTTP Basic whenever its registration gave it a secret, whatever token_endpoint_auth_method the registration answer names",
    RefreshWithOtherAuthMethod = "mcp-client-refresh-with-other-auth-method":
        "authenticates its refresh requests with the other secret method than the one registered and used for the code (Basic for post, post for Basic: NeMo Agent Toolkit 1.9.0's MCP client)",
    RepeatClientId = "mcp-client-repeat-client-id":
        "a public client's refresh request carries client_id twice (NeMo Agent Toolkit 1.9.0's MCP client)",
    NoRefresh = "mcp-client-no-refresh":
        "on an expired token, authorizes again instead of using its refresh token",
    KeepOldRefreshToken = "mcp-client-keep-old-refresh-token":
        "keeps using the first refresh token after the server rotated it",
    RefreshTwiceAtOnce = "mcp-client-refresh-twice-at-once":
        "sends each refresh twice with the same refresh token, the second before it has used the first answer (no single-flight refresh)",
    ReauthorizeLoop = "mcp-client-reauthorize-loop":
        "when refresh fails with invalid_grant, keeps re-authorizing instead of once",
    IgnoreIssuerMismatch = "mcp-client-ignore-issuer-mismatch":
        "uses authorization server metadata whose issuer is not the server it was fetched for",
    IgnoreCallbackState = "mcp-client-ignore-callback-state":
        "redeems the code of an authorization response whose state is not the one it sent, or has none",
    IgnoreCallbackIss = "mcp-client-ignore-callback-iss":
        "never looks at the authorization response's iss (RFC 9207): a wrong or missing one is redeemed",
    NormalizeCallbackIss = "mcp-client-normalize-callback-iss":
        "compares the authorization response's iss with the issuer after dropping a trailing slash, not as a plain string",
    NoRefreshGrantType = "mcp-client-no-refresh-grant-type":
        "registers with grant_types authorization_code alone, though it uses refresh tokens",
    AlwaysOfflineAccess = "mcp-client-always-offline-access":
        "adds offline_access to every authorization request's scope, listed by the server or not",
    MachineAsUser = "mcp-client-machine-as-user":
        "given client credentials for a machine flow (auth/client-credentials-*), runs the authorization code flow for a user instead",
    AssertionAboutOther = "mcp-client-assertion-about-other":
        "its private_key_jwt assertion names another client as sub",
    WorkloadJwtAsClientAssertion = "mcp-client-workload-jwt-as-client-assertion":
        "as a workload, presents its identity JWT as a client assertion with the client_credentials grant instead of as the JWT-bearer grant's assertion",
    NoLegacyDiscovery = "mcp-client-no-2025-03-26-discovery":
        "gives up on a server without protected resource metadata instead of looking for its authorization server at its origin, as MCP 2025-03-26 has it",
    DefaultEndpointsUnderPath = "mcp-client-default-endpoints-under-path":
        "without any metadata, uses /authorize, /token and /register under the MCP server's path instead of at its origin",
    DefaultEndpointsFirst = "mcp-client-default-endpoints-first":
        "without protected resource metadata, goes straight to the default endpoints, never asking for the authorization server metadata first",
    DpopAsBearer = "mcp-client-dpop-as-bearer":
        "gets a DPoP-bound token and presents it to the MCP server with the Bearer scheme",
    DpopReuseProof = "mcp-client-dpop-reuse-proof":
        "sends the same DPoP proof with every MCP request instead of a fresh one each",
    DpopIgnoreNonce = "mcp-client-dpop-ignore-nonce":
        "never puts a server's DPoP-Nonce in its proofs: a use_dpop_nonce answer ends the flow",
    DpopOneNonce = "mcp-client-dpop-one-nonce":
        "keeps one DPoP nonce for every server: the authorization server's goes to the MCP server too",
    HangOnRefusal = "mcp-client-hang-on-refusal":
        "when the authorization server refuses the request, waits forever instead of failing",
});

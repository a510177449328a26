//! Faults of the reference OAuth client (`@client` scenarios): named deviations that
//! `authconform mutate` switches on one at a time, each checked where the client's code bends.

use crate::named_faults::named_faults;

named_faults!(OAuthClientFault, "reference OAuth client", "client-", {
    IgnoreState = "client-ignore-state":
        "redeems the code of a callback whose state is wrong or missing",
    IgnoreIss = "client-ignore-iss":
        "redeems the code of a callback whose iss is not the authorization server's, or is missing though the server advertised it (RFC 9207)",
    RedeemWithoutCode = "client-grant-after-error":
        "a callback with error= (or without code) leads to another token request",
    SkipPkce = "client-skip-pkce":
        "authorization requests carry no PKCE challenge",
    WrongClientAuth = "client-wrong-client-auth":
        "authenticates at the token endpoint with client_secret_post when client_secret_basic is registered",
    AlwaysBasic = "client-always-basic":
        "authenticates with HTTP Basic whatever method it registered, as a provider that leaves the method to its HTTP library's default",
    McpAlwaysBearer = "client-mcp-always-bearer":
        "its MCP client sends every credential as Authorization: Bearer, whatever header and scheme the provider gave (as NAT 1.9.0's MCP client does)",
    MaskedSecretOnRefresh = "client-masked-secret-on-refresh":
        "refreshes with the client secret's masked form (**********) instead of the secret, as NAT 1.9.0 does",
    NoRefresh = "client-no-refresh":
        "keeps using an expired access token instead of refreshing it",
    ReauthorizeLoop = "client-reauthorize-loop":
        "after invalid_grant on refresh, starts several authorizations instead of one",
    SkipIdTokenValidation = "client-skip-id-token-validation":
        "accepts any ID token without checking signature, iss, aud, exp or nonce",
    NoTokenCache = "client-no-token-cache":
        "fetches a new client-credentials token for every request",
    NoRenewal = "client-no-renewal":
        "keeps using a cached client-credentials token after it expired",
    WrongApiKeyHeader = "client-wrong-api-key-header":
        "sends an X-API-Key key as Authorization: Bearer",
    BasicFormEncoded = "client-basic-form-encoded":
        "form-encodes HTTP Basic credentials (RFC 6749's client-auth rule) for resource requests",
});

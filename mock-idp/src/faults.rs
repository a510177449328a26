//! Faults: named, deliberate deviations from the specs, switched on by config, `--fault NAME` or
//! the admin API. The runner's mutation self-test turns each one on and expects a scenario to fail.
//!
//! This module owns the one table of faults (name and description). The code path that a fault
//! bends checks `FaultSet::has` exactly where it bends; there is no second implementation.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

protocol::fault_table! {
    #[repr(u8)]
    pub enum Fault, "mock-idp" {
        AcceptAnyRedirectUri = "accept-any-redirect-uri":
            "authorize accepts and redirects to any redirect_uri, registered or not",
        NormalizeRedirectUri = "normalize-redirect-uri":
            "authorize compares redirect URIs after normalizing them (case, default port, dot segments, percent-encoding, a trailing slash) and redirects to the URI as sent",
        PrefixMatchRedirectUri = "prefix-match-redirect-uri":
            "authorize accepts a redirect_uri that merely starts with a registered one",
        SkipPkceCheck = "skip-pkce-check":
            "the token endpoint does not verify code_verifier against the code_challenge",
        AllowPkceDowngrade = "allow-pkce-downgrade":
            "a code_verifier is accepted for a code that was issued without a code_challenge, and public clients may omit PKCE",
        AllowPlainPkce = "allow-plain-pkce":
            "code_challenge_method=plain is accepted from clients registered for S256 only",
        ReusableCodes = "reusable-codes":
            "authorization codes can be redeemed more than once",
        NoRevokeOnCodeReuse = "no-revoke-on-code-reuse":
            "a replayed code is refused, but the tokens it issued stay valid",
        AnswerInFragment = "answer-in-fragment":
            "authorize delivers its response (code or error) in the redirect URI's fragment instead of its query",
        AcceptUnknownCodes = "accept-unknown-codes":
            "the token endpoint redeems a code it never issued, as if issued to the caller for the default user",
        IgnoreCodeExpiry = "ignore-code-expiry":
            "authorization codes never expire",
        CodesNotBoundToClient = "codes-not-bound-to-client":
            "a code issued to one client can be redeemed by another",
        SkipTokenRedirectUriCheck = "skip-token-redirect-uri-check":
            "the token endpoint does not compare redirect_uri with the one used at authorize",
        NoRefreshRotation = "no-refresh-rotation":
            "refresh tokens are not rotated: the same refresh token is returned and stays valid",
        AllowRefreshReplay = "allow-refresh-replay":
            "a rotated (old) refresh token still works and replay does not revoke the family",
        AllowScopeWidening = "allow-scope-widening":
            "a refresh request may ask for scopes beyond the original grant",
        RefreshNotBoundToClient = "refresh-not-bound-to-client":
            "a refresh token issued to one client can be used by another",
        IgnoreClientSecret = "ignore-client-secret":
            "client authentication accepts any secret for a known client",
        ClientAssertionSkipSignature = "client-assertion-skip-signature":
            "a client assertion (private_key_jwt, client_secret_jwt) is accepted without verifying its signature or MAC",
        ClientAssertionAnyAudience = "client-assertion-any-audience":
            "a client assertion for any audience is accepted, not only one naming this server",
        ClientAssertionIgnoreExpiry = "client-assertion-ignore-expiry":
            "an expired client assertion is accepted",
        ClientAssertionReplay = "client-assertion-replay":
            "a client assertion's jti may be used again",
        JwtBearerSkipSignature = "jwt-bearer-skip-signature":
            "the JWT-bearer grant takes an assertion's claims without verifying its signature",
        JwtBearerAnyAudience = "jwt-bearer-any-audience":
            "the JWT-bearer grant accepts an assertion whatever its aud names",
        JwtBearerIgnoreExpiry = "jwt-bearer-ignore-expiry":
            "the JWT-bearer grant accepts an expired assertion",
        IdJagAudienceContains = "id-jag-audience-contains":
            "an ID-JAG whose aud is an array that merely contains this issuer, among others, is accepted",
        IdJagAnyClient = "id-jag-any-client":
            "an ID-JAG issued for one client is redeemed by whichever client presents it",
        IdJagUntyped = "id-jag-untyped":
            "the JWT-bearer grant takes any JWT of an ID-JAG issuer as an ID-JAG, whatever its typ",
        TokenExchangeSkipSignature = "token-exchange-skip-signature":
            "token exchange takes the subject token's claims without verifying its signature",
        TokenExchangeOtherClientsToken = "token-exchange-other-clients-token":
            "token exchange accepts an ID token issued to another client as the subject token",
        IdJagWrongTyp = "id-jag-wrong-typ":
            "token exchange issues ID-JAGs with typ JWT instead of oauth-id-jag+jwt",
        IgnoreAuthMethod = "ignore-auth-method":
            "a client may authenticate with a method other than the one it registered",
        DropState = "drop-state":
            "authorization responses omit the state parameter",
        OmitIss = "omit-iss":
            "authorization responses omit the iss parameter (RFC 9207) although metadata advertises it",
        OmitCodeChallengeMethods = "omit-code-challenge-methods":
            "metadata omits code_challenge_methods_supported",
        IssuerFromHostHeader = "issuer-from-host-header":
            "metadata and tokens take the issuer from the Host header instead of the configuration",
        IgnoreResourceRestriction = "ignore-resource-restriction":
            "any resource indicator is accepted, including ones the client may not ask for",
        IntrospectWithoutAuth = "introspect-without-auth":
            "the introspection endpoint answers callers that did not authenticate",
        RevocationNoop = "revocation-noop":
            "the revocation endpoint answers 200 but revokes nothing",
        DeviceNoSlowDown = "device-no-slow-down":
            "device-code polling faster than the interval is never told to slow_down",
        DpopSkipProofSignature = "dpop-skip-proof-signature":
            "the token endpoint binds tokens to a DPoP proof's jwk without verifying the proof's signature",
        DpopIgnoreHtmHtu = "dpop-ignore-htm-htu":
            "the token endpoint accepts a DPoP proof made for another HTTP method or URI",
        DpopAcceptStaleProofs = "dpop-accept-stale-proofs":
            "the token endpoint accepts DPoP proofs whatever their iat (a day old, or from the future)",
        DpopAllowProofReplay = "dpop-allow-proof-replay":
            "the token endpoint accepts the same DPoP proof (jti) again",
        DpopUnboundTokens = "dpop-unbound-tokens":
            "the token endpoint answers token_type DPoP but the access token carries no cnf.jkt",
        DpopRefreshNotBound = "dpop-refresh-not-bound":
            "a public client's refresh token is not bound to its DPoP key: it refreshes without a proof or with another key",
        DpopIgnoreBoundClient = "dpop-ignore-bound-client":
            "a client registered with dpop_bound_access_tokens gets bearer tokens without a DPoP proof",
        DpopIgnoreDpopJkt = "dpop-ignore-dpop-jkt":
            "a code bound to a DPoP key by dpop_jkt is redeemed with a proof of another key",
        RsAcceptExpired = "rs-accept-expired":
            "the resource server accepts tokens whose exp has passed",
        RsExcessLeeway = "rs-excess-leeway":
            "the resource server tolerates ten minutes of clock skew instead of its configured leeway",
        RsIgnoreNbf = "rs-ignore-nbf":
            "the resource server ignores nbf (tokens not yet valid are accepted)",
        RsAcceptMissingExp = "rs-accept-missing-exp":
            "the resource server accepts tokens without exp",
        RsSkipIssuerCheck = "rs-skip-issuer-check":
            "the resource server does not compare iss with the issuer it trusts",
        RsSkipAudienceCheck = "rs-skip-audience-check":
            "the resource server does not check that aud names it",
        RsSkipSignatureCheck = "rs-skip-signature-check":
            "the resource server decodes tokens without verifying their signature",
        RsAcceptAlgNone = "rs-accept-alg-none":
            "the resource server accepts alg none tokens outside insecure quickstart mode",
        RsAcceptUnknownKid = "rs-accept-unknown-kid":
            "the resource server accepts, unverified, tokens whose kid it cannot find",
        RsHs256Confusion = "rs-hs256-confusion":
            "the resource server verifies HS256 tokens with the public key as the HMAC secret",
        RsSkipTypCheck = "rs-skip-typ-check":
            "the resource server accepts JWTs whose typ is not at+jwt (ID tokens, untyped JWTs)",
        RsNoJwksRefetch = "rs-no-jwks-refetch":
            "the resource server never refetches the JWKS, so a newly published key is refused",
        RsKeepRemovedKeys = "rs-keep-removed-keys":
            "the resource server's JWKS cache never expires, so a removed key keeps working",
        RsSkipScopeCheck = "rs-skip-scope-check":
            "the resource server does not check the token's scopes",
        RsViewerCanWrite = "rs-viewer-can-write":
            "a viewer may create, change and delete items",
        RsEditorIsAdmin = "rs-editor-is-admin":
            "an editor may manage workspace members",
        RsCrossWorkspace = "rs-cross-workspace":
            "a role in one workspace grants the same role in every workspace",
        RsAcceptDpopTokenAsBearer = "rs-accept-dpop-token-as-bearer":
            "the resource server accepts a DPoP-bound access token sent as a bearer token (no proof)",
        RsSkipDpopProof = "rs-skip-dpop-proof":
            "the resource server takes Authorization: DPoP without checking the DPoP proof (missing, badly signed or for another URI)",
        RsSkipDpopAth = "rs-skip-dpop-ath":
            "the resource server accepts a DPoP proof whose ath is the hash of another access token",
        RsSkipDpopKeyBinding = "rs-skip-dpop-key-binding":
            "the resource server accepts a valid DPoP proof made with a key other than the one the token is bound to",
        RsAcceptQueryToken = "rs-accept-query-token":
            "the resource server accepts an access_token query parameter",
        RsBearerCaseSensitive = "rs-bearer-case-sensitive":
            "the resource server accepts only the exact spelling Bearer for the auth scheme",
        RsErrorWithoutCredentials = "rs-error-without-credentials":
            "the challenge to a request without credentials carries error=invalid_token",
        Rs500OnMalformed = "rs-500-on-malformed":
            "a malformed token makes the resource server answer 500",
        RsApiKeyAnyHeader = "rs-api-key-any-header":
            "an API key is accepted in any of the API-key headers, not only in its scheme's",
        RsAcceptAnyApiKey = "rs-accept-any-api-key":
            "any API key value is accepted",
        RsBasicAnyPassword = "rs-basic-any-password":
            "HTTP Basic accepts any password for a known user",
        McpNoAudienceCheck = "mcp-no-audience-check":
            "the MCP server accepts tokens issued for another resource (token passthrough)",
        McpOmitResourceMetadata = "mcp-omit-resource-metadata":
            "the MCP server's 401 challenge lacks resource_metadata",
        McpPrmWrongResource = "mcp-prm-wrong-resource":
            "the protected resource metadata names a resource other than the MCP server's URL",
        McpSessionAnyUser = "mcp-session-any-user":
            "an MCP session opened by one user can be driven with another user's token",
        McpSkipOriginCheck = "mcp-skip-origin-check":
            "the MCP server accepts requests from any Origin",
        McpNoStepUp = "mcp-no-step-up":
            "write_note runs without the mcp:write scope",
        McpSseWithoutToken = "mcp-sse-without-token":
            "a GET event stream on /mcp opens without a token",
        McpTokenPassthrough = "mcp-token-passthrough":
            "call_upstream forwards the caller's token to the upstream API instead of the server's own",
        McpLegacySseOpen = "mcp-legacy-sse-open":
            "the legacy HTTP+SSE endpoint GET /sse opens an event stream without a token",
    }
}

impl Fault {
    /// The role tag of the component the fault breaks: `rs` for the reference resource server
    /// (`rs-*`), `mcp-server` for the MCP server (`mcp-*`), `as` for the authorization server.
    pub fn role(self) -> &'static str {
        let name = self.name();
        if name.starts_with("rs-") {
            "rs"
        } else if name.starts_with("mcp-") {
            "mcp-server"
        } else {
            "as"
        }
    }
}

/// A fault name that is not in the table.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown fault `{0}`; known faults: {known}", known = known_names())]
pub struct UnknownFault(pub String);

fn known_names() -> String {
    Fault::ALL
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::from_name(s).ok_or_else(|| UnknownFault(s.to_string()))
    }
}

impl serde::Serialize for Fault {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Fault {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// Words of the fault bit set.
const WORDS: usize = 2;

/// The faults switched on right now: a bit set; a check is one relaxed atomic load.
#[derive(Debug, Default)]
pub struct FaultSet([AtomicU64; WORDS]);

const _: () = assert!(
    Fault::ALL.len() <= 64 * WORDS,
    "FaultSet holds at most 64 * WORDS faults; raise WORDS"
);

impl FaultSet {
    /// A set with exactly these faults on.
    pub fn with(faults: &[Fault]) -> Self {
        let set = Self::default();
        set.replace(faults);
        set
    }

    /// Whether `fault` is on.
    pub fn has(&self, fault: Fault) -> bool {
        let (word, bit) = position(fault);
        self.0[word].load(Ordering::Relaxed) & bit != 0
    }

    /// Switches `fault` on or off.
    pub fn set(&self, fault: Fault, on: bool) {
        let (word, bit) = position(fault);
        if on {
            self.0[word].fetch_or(bit, Ordering::Relaxed);
        } else {
            self.0[word].fetch_and(!bit, Ordering::Relaxed);
        }
    }

    /// Switches on exactly `faults`.
    pub fn replace(&self, faults: &[Fault]) {
        let mut words = [0u64; WORDS];
        for f in faults {
            let (word, bit) = position(*f);
            words[word] |= bit;
        }
        for (slot, bits) in self.0.iter().zip(words) {
            slot.store(bits, Ordering::Relaxed);
        }
    }

    /// The faults that are on, in table order.
    pub fn enabled(&self) -> Vec<Fault> {
        Fault::ALL
            .iter()
            .copied()
            .filter(|f| self.has(*f))
            .collect()
    }
}

/// The word and the bit of `fault`.
fn position(fault: Fault) -> (usize, u64) {
    let n = fault as usize;
    (n / 64, 1u64 << (n % 64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_name_round_trips_and_is_unique() {
        let mut names = std::collections::HashSet::new();
        for fault in Fault::ALL {
            assert_eq!(fault.name().parse::<Fault>().unwrap(), *fault);
            assert!(
                names.insert(fault.name()),
                "duplicate name {}",
                fault.name()
            );
            assert!(!fault.description().is_empty());
        }
    }

    #[test]
    fn unknown_fault_names_the_known_ones() {
        let err = "skip-everything".parse::<Fault>().unwrap_err().to_string();
        assert!(
            err.contains("skip-everything") && err.contains("skip-pkce-check"),
            "{err}"
        );
    }

    #[test]
    fn fault_set_switches_single_faults() {
        let set = FaultSet::with(&[Fault::DropState]);
        assert!(set.has(Fault::DropState) && !set.has(Fault::OmitIss));
        set.set(Fault::OmitIss, true);
        set.set(Fault::DropState, false);
        assert_eq!(set.enabled(), vec![Fault::OmitIss]);
    }

    #[test]
    fn the_readme_lists_every_fault() {
        let readme = include_str!("../../README.md");
        for f in Fault::ALL {
            assert!(
                readme.contains(&format!("| `{}` |", f.name())),
                "README.md's fault table lacks {}",
                f.name()
            );
        }
    }

    #[test]
    fn every_fault_switches_alone() {
        let set = FaultSet::default();
        for f in Fault::ALL {
            set.set(*f, true);
            assert_eq!(set.enabled(), vec![*f]);
            set.set(*f, false);
        }
        set.replace(Fault::ALL);
        assert_eq!(set.enabled().len(), Fault::ALL.len());
    }
}

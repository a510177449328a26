//! Faults of the reference MCP client: named, deliberate deviations from the MCP authorization
//! spec that `authconform mutate` switches on one at a time, expecting an `@mcp-client` scenario
//! to notice. Each fault is checked exactly where the client's code bends.

use std::fmt;
use std::str::FromStr;

macro_rules! client_faults {
    ($( $variant:ident = $name:literal : $description:literal ),+ $(,)?) => {
        /// A deviation the reference MCP client can be told to commit.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ClientFault {
            $( #[doc = $description] $variant, )+
        }

        impl ClientFault {
            /// Every fault, in table order.
            pub const ALL: &'static [ClientFault] = &[ $( ClientFault::$variant, )+ ];

            /// The kebab-case name (`--fault`, `AUTHCONFORM_CLIENT_FAULTS`).
            pub fn name(self) -> &'static str {
                match self { $( ClientFault::$variant => $name, )+ }
            }

            /// One line saying what the fault breaks.
            pub fn description(self) -> &'static str {
                match self { $( ClientFault::$variant => $description, )+ }
            }
        }
    };
}

client_faults! {
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
    NoRefresh = "mcp-client-no-refresh":
        "on an expired token, authorizes again instead of using its refresh token",
    KeepOldRefreshToken = "mcp-client-keep-old-refresh-token":
        "keeps using the first refresh token after the server rotated it",
    ReauthorizeLoop = "mcp-client-reauthorize-loop":
        "when refresh fails with invalid_grant, keeps re-authorizing instead of once",
    IgnoreIssuerMismatch = "mcp-client-ignore-issuer-mismatch":
        "uses authorization server metadata whose issuer is not the server it was fetched for",
    HangOnRefusal = "mcp-client-hang-on-refusal":
        "when the authorization server refuses the request, waits forever instead of failing",
}

impl fmt::Display for ClientFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A fault name that is not in the table.
#[derive(Debug, thiserror::Error)]
#[error("unknown MCP client fault {0:?}; `authconform faults` lists them")]
pub struct UnknownClientFault(pub String);

impl FromStr for ClientFault {
    type Err = UnknownClientFault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClientFault::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownClientFault(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for f in ClientFault::ALL {
            assert!(seen.insert(f.name()), "{f} twice");
            assert!(f.name().starts_with("mcp-client-"));
            assert_eq!(f.name().parse::<ClientFault>().unwrap(), *f);
        }
        assert!("mcp-client-nope".parse::<ClientFault>().is_err());
    }
}

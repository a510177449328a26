//! Faults of the reference OAuth client (`@client` scenarios): named deviations that
//! `authconform mutate` switches on one at a time, each checked where the client's code bends.

use std::fmt;
use std::str::FromStr;

macro_rules! oauth_client_faults {
    ($( $variant:ident = $name:literal : $description:literal ),+ $(,)?) => {
        /// A deviation the reference OAuth client can be told to commit.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum OAuthClientFault {
            $( #[doc = $description] $variant, )+
        }

        impl OAuthClientFault {
            pub const ALL: &'static [OAuthClientFault] = &[ $( OAuthClientFault::$variant, )+ ];

            pub fn name(self) -> &'static str {
                match self { $( OAuthClientFault::$variant => $name, )+ }
            }

            pub fn description(self) -> &'static str {
                match self { $( OAuthClientFault::$variant => $description, )+ }
            }
        }
    };
}

oauth_client_faults! {
    IgnoreState = "client-ignore-state":
        "redeems the code of a callback whose state is wrong or missing",
    RedeemWithoutCode = "client-grant-after-error":
        "a callback with error= (or without code) leads to another token request",
    SkipPkce = "client-skip-pkce":
        "authorization requests carry no PKCE challenge",
    WrongClientAuth = "client-wrong-client-auth":
        "authenticates at the token endpoint with client_secret_post when client_secret_basic is registered",
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
}

impl fmt::Display for OAuthClientFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OAuthClientFault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OAuthClientFault::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                format!("unknown OAuth client fault {s:?}; `authconform faults` lists them")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for f in OAuthClientFault::ALL {
            assert!(seen.insert(f.name()), "{f} twice");
            assert!(f.name().starts_with("client-"));
            assert_eq!(f.name().parse::<OAuthClientFault>().unwrap(), *f);
        }
    }
}

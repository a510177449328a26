//! Configuration of the assertion grants: `jwt_bearer:` (RFC 7523 §2.1), the issuers whose JWTs
//! the token endpoint takes as authorization grants (the Identity Assertion JWT Authorization
//! Grant, ID-JAG, among them), and `token_exchange:` (RFC 8693), the resource authorization
//! servers mock-idp issues ID-JAGs for as an IdP. Either list empty: that grant is off and not
//! advertised.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::public_jwk::PublicJwk;

/// `jwt_bearer:`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwtBearerConfig {
    /// The issuers whose assertions are accepted; none: the grant is off.
    #[serde(default)]
    pub issuers: Vec<TrustedIssuer>,
}

/// One trusted assertion issuer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedIssuer {
    /// Its `iss`, compared as a plain string.
    pub issuer: String,
    /// Its public keys, a JWK Set `{"keys": [...]}`.
    pub jwks: Value,
    /// What its assertions are.
    #[serde(default)]
    pub profile: AssertionProfile,
    /// Who its `sub` may be.
    #[serde(default)]
    pub subjects: SubjectRule,
}

/// The kind of assertion a trusted issuer sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssertionProfile {
    /// Plain RFC 7523 assertions: any `typ`, `aud` this issuer or its token endpoint.
    #[default]
    Jwt,
    /// ID-JAGs (draft-ietf-oauth-identity-assertion-authz-grant §3, §4.4): `typ`
    /// `oauth-id-jag+jwt`, `aud` exactly this issuer, `client_id` the authenticated client.
    IdJag,
}

/// What an assertion's `sub` must name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectRule {
    /// A configured user (by username); the token is that user's.
    #[default]
    User,
    /// Anything (a workload identity): the token's `sub` is the assertion's.
    Any,
}

/// `token_exchange:`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenExchangeConfig {
    /// The resource authorization servers ID-JAGs may be issued for (the `audience` a token
    /// exchange names); none: token exchange is off.
    #[serde(default)]
    pub id_jag_audiences: Vec<IdJagAudience>,
    /// Seconds an ID-JAG is valid.
    #[serde(default = "default_id_jag_ttl")]
    pub id_jag_ttl: i64,
}

fn default_id_jag_ttl() -> i64 {
    300
}

impl Default for TokenExchangeConfig {
    fn default() -> Self {
        Self {
            id_jag_audiences: Vec::new(),
            id_jag_ttl: default_id_jag_ttl(),
        }
    }
}

/// A resource authorization server mock-idp issues ID-JAGs for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdJagAudience {
    /// Its issuer identifier, the ID-JAG's `aud`.
    pub audience: String,
    /// The client's identifier there (the ID-JAG's `client_id`); unset: the requesting client's.
    #[serde(default)]
    pub client_id: Option<String>,
}

impl JwtBearerConfig {
    pub fn validate(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for (i, t) in self.issuers.iter().enumerate() {
            let at = format!("jwt_bearer.issuers[{i}]");
            if t.issuer.is_empty() || !seen.insert(t.issuer.as_str()) {
                return Err(format!(
                    "{at}.issuer: {:?} is empty or used twice",
                    t.issuer
                ));
            }
            let keys = t.jwks.get("keys").and_then(Value::as_array);
            let Some(keys) = keys.filter(|k| !k.is_empty()) else {
                return Err(format!(
                    "{at}.jwks: the issuer's public keys, a JWK Set {{\"keys\": [...]}} with at least one key"
                ));
            };
            for (j, k) in keys.iter().enumerate() {
                PublicJwk::parse(k).map_err(|e| format!("{at}.jwks.keys[{j}]: {e}"))?;
            }
        }
        Ok(())
    }
}

impl TokenExchangeConfig {
    pub fn validate(&self) -> Result<(), String> {
        for (i, a) in self.id_jag_audiences.iter().enumerate() {
            let ok = url::Url::parse(&a.audience)
                .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.fragment().is_none());
            if !ok {
                return Err(format!(
                    "token_exchange.id_jag_audiences[{i}].audience: {:?} must be an authorization server's issuer, an http(s) URL without a fragment (RFC 8414 §2)",
                    a.audience
                ));
            }
        }
        if !(1..=86_400).contains(&self.id_jag_ttl) {
            return Err(format!(
                "token_exchange.id_jag_ttl: must be between 1 and 86400 seconds, got {}",
                self.id_jag_ttl
            ));
        }
        Ok(())
    }
}

//! The `id_jag:` section of a target profile: what the runner needs to test an authorization
//! server's two sides of the Identity Assertion JWT Authorization Grant
//! (draft-ietf-oauth-identity-assertion-authz-grant). As a resource authorization server it must
//! trust an issuer whose private key the runner holds, to sign ID-JAGs with; as an IdP it must issue
//! ID-JAGs by token exchange for some audience.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdJagProfile {
    /// An issuer the target takes ID-JAGs from (its JWT-bearer grant), with the private key the
    /// runner signs them with.
    #[serde(default)]
    pub trusted_issuer: Option<TrustedIssuerSpec>,
    /// The issuer of an authorization server the target issues ID-JAGs for (the `audience` of
    /// its token exchange).
    #[serde(default)]
    pub audience: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedIssuerSpec {
    /// The issuer identifier the target trusts (`iss`).
    pub issuer: String,
    /// Its private P-256 key as a JWK (`kty: EC`, `crv: P-256`, `x`, `y`, `d`); a `kid` in it goes
    /// into the ID-JAG's header.
    pub private_jwk: Value,
    /// A user of the target, the ID-JAG's `sub`.
    pub subject: String,
}

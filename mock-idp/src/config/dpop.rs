//! Configuration of DPoP (RFC 9449, `dpop:`): whether the token endpoint and the protected
//! resources take proofs, which algorithms, how old a proof may be, and whether the token
//! endpoint (§8) and the protected resources (§9) ask for a server nonce.

use serde::{Deserialize, Serialize};

/// The JWS algorithms mock-idp verifies DPoP proofs with (all asymmetric, RFC 9449 §4.3 item 5).
pub const DPOP_ALGS: &[&str] = &["ES256", "ES384", "RS256", "PS256", "EdDSA"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DpopConfig {
    /// Take DPoP proofs at the token endpoint and DPoP-bound tokens at the protected resources,
    /// and say so in the metadata (`dpop_signing_alg_values_supported`). Off: a `DPoP` header is
    /// ignored and tokens are plain bearer tokens.
    pub enabled: bool,
    /// The proof algorithms accepted, a subset of ES256, ES384, RS256, PS256, EdDSA.
    pub algs: Vec<String>,
    /// Seconds after its `iat` a proof is accepted (RFC 9449 §11.1: "servers MUST only accept
    /// DPoP proofs for a limited time after their creation").
    pub proof_max_age: i64,
    /// Seconds an `iat` may lie in the future (§11.1: "the server MAY accept DPoP proofs that
    /// carry an iat time in the reasonably near future").
    pub proof_future_skew: i64,
    /// The token endpoint answers a proof without the current nonce with `use_dpop_nonce` and a
    /// `DPoP-Nonce` header (§8).
    pub require_nonce: bool,
    /// The protected resources (the API and the MCP server) answer a proof without their current
    /// nonce with 401, `WWW-Authenticate: DPoP error="use_dpop_nonce"` and a `DPoP-Nonce` header
    /// (§9). Their nonces are not the token endpoint's.
    pub resource_nonce: bool,
}

impl Default for DpopConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            algs: DPOP_ALGS.iter().map(|a| a.to_string()).collect(),
            proof_max_age: 60,
            proof_future_skew: 10,
            require_nonce: false,
            resource_nonce: false,
        }
    }
}

impl DpopConfig {
    pub fn validate(&self) -> Result<(), String> {
        if let Some(a) = self.algs.iter().find(|a| !DPOP_ALGS.contains(&a.as_str())) {
            return Err(format!(
                "dpop.algs: {a:?} is not a DPoP proof algorithm mock-idp verifies; use some of {}",
                DPOP_ALGS.join(", ")
            ));
        }
        if self.enabled && self.algs.is_empty() {
            return Err(
                "dpop.algs: empty; name at least one algorithm or set dpop.enabled: false".into(),
            );
        }
        if self.proof_max_age <= 0 || self.proof_future_skew < 0 {
            return Err("dpop.proof_max_age must be > 0 and dpop.proof_future_skew >= 0".into());
        }
        Ok(())
    }
}

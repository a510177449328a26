//! The reference MCP client's DPoP (RFC 9449; MCP's DPoP extension, SEP-1932): a key of its own
//! per session, used when the protected resource metadata says the server takes only DPoP-bound
//! tokens (`dpop_bound_access_tokens_required`, RFC 9728 §2) and the authorization server takes
//! ES256 proofs; then a fresh proof goes with every token request (§5) and every MCP request
//! (§7.1, with `ath`), and the token with the `DPoP` scheme.

use protocol::dpop::{ProofKey, ProofSpec};
use serde_json::Value;

use super::faults::ClientFault;
use super::session::Session;

impl Session {
    /// After discovery: a DPoP key when the MCP server requires DPoP-bound tokens.
    pub(super) fn choose_dpop(&mut self) -> Result<(), String> {
        let required = self
            .prm
            .as_ref()
            .and_then(|p| p.get("dpop_bound_access_tokens_required"))
            .and_then(Value::as_bool)
            == Some(true);
        if !required || self.dpop.is_some() {
            return Ok(());
        }
        let es256 = self
            .as_meta
            .as_ref()
            .and_then(|m| m.get("dpop_signing_alg_values_supported"))
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("ES256")));
        if !es256 {
            return Err("the MCP server takes only DPoP-bound tokens and its authorization server lists no ES256 in dpop_signing_alg_values_supported".into());
        }
        self.dpop = Some(ProofKey::generate());
        Ok(())
    }

    /// The time proofs carry: the test's clock, else the system's.
    pub(super) fn now(&self) -> i64 {
        self.config.now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        })
    }

    /// A proof for `method url` (§4.2; `htu` without query and fragment), with `ath` for the
    /// access token a request to the MCP server carries; `None` without DPoP.
    pub(super) fn dpop_proof(
        &mut self,
        method: &str,
        url: &str,
        access_token: Option<&str>,
    ) -> Option<String> {
        let key = self.dpop.as_ref()?;
        let reuse = access_token.is_some() && self.has(ClientFault::DpopReuseProof);
        if reuse && let Some(p) = &self.reused_proof {
            return Some(p.clone());
        }
        let mut htu = url::Url::parse(url).ok()?;
        htu.set_query(None);
        htu.set_fragment(None);
        let proof = key.proof(&ProofSpec {
            htm: method.into(),
            htu: htu.to_string(),
            iat: self.now(),
            access_token: access_token.map(str::to_string),
            ..Default::default()
        });
        if reuse {
            self.reused_proof = Some(proof.clone());
        }
        Some(proof)
    }

    /// The `Authorization` header of an MCP request carrying `token`.
    pub(super) fn authorization(&self, token: &str) -> String {
        if self.dpop.is_some() && !self.has(ClientFault::DpopAsBearer) {
            format!("DPoP {token}")
        } else {
            format!("Bearer {token}")
        }
    }
}

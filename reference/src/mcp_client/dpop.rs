//! The reference MCP client's DPoP (RFC 9449; MCP's DPoP extension, SEP-1932): a key of its own
//! per session, used when the protected resource metadata says the server takes only DPoP-bound
//! tokens (`dpop_bound_access_tokens_required`, RFC 9728 §2) and the authorization server takes
//! ES256 proofs; then a fresh proof goes with every token request (§5) and every MCP request
//! (§7.1, with `ath`), and the token with the `DPoP` scheme. A server that asks for a nonce
//! (`use_dpop_nonce` with `DPoP-Nonce`: §8 at the token endpoint, §9 at the MCP server) gets the
//! request again with its nonce, and each server's latest nonce goes into its later proofs.

use protocol::dpop::{ProofKey, ProofSpec};
use serde_json::Value;

use super::discovery::Challenge;
use super::faults::ClientFault;
use super::http::{Resp, TokenAuth};
use super::session::Session;

/// The response header carrying a server's nonce (RFC 9449 §8).
const NONCE_HEADER: &str = "dpop-nonce";

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
        let nonce = if access_token.is_none() || self.has(ClientFault::DpopOneNonce) {
            self.as_nonce.clone()
        } else {
            self.rs_nonce.clone()
        };
        let proof = key.proof(&ProofSpec {
            htm: method.into(),
            htu: htu.to_string(),
            iat: self.now(),
            access_token: access_token.map(str::to_string),
            nonce,
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

    /// A token request, with a proof when the session uses DPoP; sent again once with the
    /// authorization server's nonce when it answers `use_dpop_nonce` (RFC 9449 §8). `leak`: the
    /// request may carry the access token where a fault sends it.
    pub(super) async fn token_request(
        &mut self,
        url: &str,
        auth: &TokenAuth,
        form: Vec<(&'static str, String)>,
        leak: bool,
    ) -> Result<Resp, String> {
        let bearer = if leak {
            self.leak_token().map(str::to_string)
        } else {
            None
        };
        let proof = self.dpop_proof("POST", url, None);
        let r = (self.http)
            .token(url, auth, form.clone(), bearer.as_deref(), proof)
            .await?;
        let asked = r.status == 400
            && r.json()
                .and_then(|j| j.get("error").and_then(Value::as_str).map(str::to_string))
                .as_deref()
                == Some("use_dpop_nonce");
        if !self.take_nonce(&r, false) || !asked {
            return Ok(r);
        }
        let proof = self.dpop_proof("POST", url, None);
        let r = (self.http)
            .token(url, auth, form, bearer.as_deref(), proof)
            .await?;
        self.take_nonce(&r, false);
        Ok(r)
    }

    /// Keeps the `DPoP-Nonce` a server sent (the MCP server's with `resource`); whether there
    /// was one.
    pub(super) fn take_nonce(&mut self, r: &Resp, resource: bool) -> bool {
        if self.dpop.is_none() || self.has(ClientFault::DpopIgnoreNonce) {
            return false;
        }
        let Some(n) = r.header(NONCE_HEADER).filter(|n| !n.is_empty()) else {
            return false;
        };
        let slot = if resource {
            &mut self.rs_nonce
        } else {
            &mut self.as_nonce
        };
        *slot = Some(n.to_string());
        true
    }

    /// Whether the MCP server's answer asks for the request again with its nonce (RFC 9449 §9:
    /// 401 with a `DPoP` challenge `use_dpop_nonce` and a `DPoP-Nonce`); the nonce is kept.
    pub(super) fn resource_nonce_asked(&mut self, r: &Resp) -> bool {
        let given = self.take_nonce(r, true);
        let challenge = r.header("www-authenticate").unwrap_or("");
        given
            && r.status == 401
            && challenge
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("dpop")
            && Challenge::parse(Some(challenge)).error.as_deref() == Some("use_dpop_nonce")
    }
}

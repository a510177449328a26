//! The runner as a DPoP client of an authorization server under test (RFC 9449): its key, the
//! server's latest nonce, and the proof the next token request carries (a valid one, or the
//! one defect a scenario is about). A `use_dpop_nonce` answer is retried once with the nonce,
//! as a client does (§8), so a server that uses nonces is judged on what the scenario sends.

use protocol::dpop::ProofKey;
use reqwest::Method;

use crate::http::dpop_proof::{Defect, ProofFor, proof};
use crate::http::user_agent::{ClientAuth, Response};
use crate::world::AuthWorld;

/// The DPoP client state of one scenario.
#[derive(Debug)]
pub struct DpopClient {
    pub key: ProofKey,
    /// The latest `DPoP-Nonce` the server sent.
    pub nonce: Option<String>,
    /// The defect of the next token request's proof; back to `None` after it.
    pub next: Defect,
    /// The last proof sent, for a replay.
    pub last_proof: Option<String>,
}

impl DpopClient {
    pub fn new() -> Self {
        Self {
            key: ProofKey::generate(),
            nonce: None,
            next: Defect::None,
            last_proof: None,
        }
    }
}

impl AuthWorld {
    /// The proof for a token request to `url` with `defect`; `None` for no proof.
    fn proof_for(&mut self, url: &str, defect: Defect) -> Option<String> {
        let now = self.target_now();
        let d = self.as_flow().dpop.as_ref()?;
        if defect == Defect::Replayed {
            return d.last_proof.clone();
        }
        let req = ProofFor {
            method: "POST",
            uri: url,
            now,
            access_token: None,
            nonce: d.nonce.as_deref(),
        };
        proof(&d.key, &req, defect)
    }

    /// Sends a token request, with a DPoP proof when the scenario's client uses DPoP, retrying
    /// once with the server's nonce when it answers `use_dpop_nonce` (RFC 9449 §8).
    pub(crate) async fn send_token_request(
        &mut self,
        url: &str,
        auth: &ClientAuth,
        form: &[(String, String)],
    ) -> Result<Response, String> {
        let Some(defect) = self
            .as_flow_mut()
            .dpop
            .as_mut()
            .map(|d| std::mem::replace(&mut d.next, Defect::None))
        else {
            return self.agent.post_form(url, auth, form).await;
        };
        let mut resp = self.send_with_proof(url, auth, form, defect).await?;
        let nonce_asked = resp.error_code().as_deref() == Some("use_dpop_nonce");
        if nonce_asked && self.take_nonce(&resp) && defect != Defect::Replayed {
            resp = self.send_with_proof(url, auth, form, defect).await?;
            self.take_nonce(&resp);
        }
        Ok(resp)
    }

    async fn send_with_proof(
        &mut self,
        url: &str,
        auth: &ClientAuth,
        form: &[(String, String)],
        defect: Defect,
    ) -> Result<Response, String> {
        let proof = self.proof_for(url, defect);
        let headers: Vec<(&str, &str)> = proof.iter().map(|p| ("DPoP", p.as_str())).collect();
        if let Some(p) = &proof {
            self.agent.redactor.register("dpop_proof", p);
        }
        let resp = self
            .agent
            .send(Method::POST, url, auth, &headers, Some(form), None)
            .await?;
        if let Some(d) = self.as_flow_mut().dpop.as_mut() {
            d.last_proof = proof;
        }
        Ok(resp)
    }

    /// Keeps a new `DPoP-Nonce` of `resp`; whether there was a new one.
    fn take_nonce(&mut self, resp: &Response) -> bool {
        let Some(nonce) = resp.header("dpop-nonce").map(str::to_string) else {
            return false;
        };
        self.agent.redactor.register("dpop_nonce", &nonce);
        let Some(d) = self.as_flow_mut().dpop.as_mut() else {
            return false;
        };
        let new = d.nonce.as_deref() != Some(nonce.as_str());
        d.nonce = Some(nonce);
        new
    }
}

//! DPoP steps (RFC 9449): the client starts using DPoP (when the server advertises it), asks for
//! tokens with a valid or a defective proof, replays a proof, and registers a client that
//! always uses DPoP.

use cucumber::{given, when};
use serde_json::{Value, json};

use crate::check::outcome::skip;
use crate::http::dpop_proof::Defect;
use crate::http::user_agent::ClientAuth;
use crate::roles::authorization_server::dpop::DpopClient;
use crate::roles::authorization_server::flow::Decision;
use crate::target::ClientSpec;
use crate::world::AuthWorld;

/// The proof algorithm the runner signs with.
const PROOF_ALG: &str = "ES256";

#[given(regex = r"^the client uses DPoP with the authorization server$")]
async fn uses_dpop(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "Given the client uses DPoP".into();
    let m = w.metadata().await?;
    let Some(algs) = m.get("dpop_signing_alg_values_supported") else {
        skip!(
            "the server does not advertise DPoP (no dpop_signing_alg_values_supported in its metadata, RFC 9449 §5.1)"
        );
    };
    let listed = algs
        .as_array()
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(PROOF_ALG)));
    if !listed {
        skip!(
            "the server's dpop_signing_alg_values_supported ({algs}) does not list {PROOF_ALG}, the algorithm the runner's proofs use"
        );
    }
    w.as_flow_mut().dpop = Some(DpopClient::new());
    Ok(())
}

#[when(
    regex = r#"^the client requests a token for grant_type "([^"]+)" with (a DPoP proof ?(.*)|the same DPoP proof again|no DPoP proof)$"#
)]
async fn token_with_proof(
    w: &mut AuthWorld,
    grant: String,
    how: String,
    defect: String,
) -> Result<(), String> {
    w.agent.step = format!("When the client requests a token with {how}");
    let defect = match how.as_str() {
        "the same DPoP proof again" => Defect::Replayed,
        "no DPoP proof" => Defect::Missing,
        _ => {
            Defect::parse(&defect).ok_or_else(|| format!("unknown DPoP proof defect {defect:?}"))?
        }
    };
    set_next_proof(w, defect)?;
    let client = w.client();
    w.token_request(&client, vec![("grant_type".into(), grant)])
        .await
        .map(|_| ())
}

/// Makes the next token request's proof have `defect`.
pub(super) fn set_next_proof(w: &mut AuthWorld, defect: Defect) -> Result<(), String> {
    match w.as_flow_mut().dpop.as_mut() {
        Some(d) => {
            d.next = defect;
            Ok(())
        }
        None => Err("the scenario's client does not use DPoP (a Given step is missing)".into()),
    }
}

#[when(regex = r"^the user approves an authorization request bound to the client's DPoP key$")]
async fn approve_bound_to_key(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the user approves an authorization request with dpop_jkt".into();
    let jkt = w
        .as_flow()
        .dpop
        .as_ref()
        .map(|d| d.key.thumbprint())
        .ok_or("the scenario's client does not use DPoP (a Given step is missing)")?;
    // A fresh key per run: its thumbprint is a placeholder in the transcript.
    w.agent.redactor.register("dpop_jkt", &jkt);
    w.authorize(&[("dpop_jkt", Some(jkt))], Decision::Approve)
        .await
}

#[when(regex = r"^the client redeems the code with a DPoP proof made with another key$")]
async fn redeem_with_other_key(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the client redeems the code with another DPoP key".into();
    set_next_proof(w, Defect::OtherKey)?;
    let client = w.client();
    let verifier = w.as_flow().flow.verifier.clone();
    let redirect_uri = w.as_flow().flow.redirect_uri.clone();
    w.redeem(&client, verifier, redirect_uri).await.map(|_| ())
}

#[given(regex = r"^a client registered to always use DPoP$")]
async fn always_dpop_client(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "Given a client registered with dpop_bound_access_tokens".into();
    w.ctx.profile.skip_without_endpoint("registration");
    let Ok(url) = w.endpoint("registration").await else {
        skip!(
            "the target offers no dynamic client registration (no registration_endpoint), so no client can be registered with dpop_bound_access_tokens (RFC 9449 §5.2)"
        );
    };
    let body = json!({
        "client_name": "authconform DPoP client",
        "grant_types": ["client_credentials"],
        "response_types": [],
        "token_endpoint_auth_method": "client_secret_basic",
        "dpop_bound_access_tokens": true,
    });
    let resp = w
        .agent
        .send(
            reqwest::Method::POST,
            &url,
            &ClientAuth::None,
            &[],
            None,
            Some(&body),
        )
        .await?;
    let j = resp.json().unwrap_or(Value::Null);
    let field = |k: &str| j.get(k).and_then(Value::as_str).map(str::to_string);
    // Redacted whatever comes next: a registration the scenario skips is still in the transcript.
    if let Some(id) = field("client_id") {
        w.agent.redactor.register("registered_client_id", &id);
    }
    let (Some(id), Some(secret)) = (field("client_id"), field("client_secret")) else {
        skip!(
            "the server did not register a client_credentials client with dpop_bound_access_tokens (HTTP {}); RFC 7591 lets it refuse",
            resp.status
        );
    };
    if j.get("dpop_bound_access_tokens") != Some(&Value::Bool(true)) {
        skip!(
            "the server registered the client without dpop_bound_access_tokens: true (it did not take the RFC 9449 §5.2 metadata)"
        );
    }
    w.agent.redactor.register("client_secret", &secret);
    w.as_flow_mut().client = Some(ClientSpec {
        client_id: id,
        client_secret: Some(secret),
        auth_method: Some("client_secret_basic".into()),
        redirect_uri: None,
        scope: None,
    });
    w.as_flow_mut().dpop = Some(DpopClient::new());
    Ok(())
}

//! ID-JAG steps (draft-ietf-oauth-identity-assertion-authz-grant): as a resource authorization
//! server the target is handed ID-JAGs the runner signs as an issuer it trusts (the JWT-bearer
//! grant, RFC 7523 §2.1); as an IdP it is asked to exchange an ID token it issued for an ID-JAG
//! (token exchange, RFC 8693). Each side is skipped unless the metadata advertises it and the
//! profile's `id_jag` section says what the runner needs.

use cucumber::{given, when};
use serde_json::Value;

use crate::check::outcome::skip;
use crate::roles::authorization_server::flow::Decision;
use crate::roles::authorization_server::id_jag::{
    ID_JAG_PROFILE, ID_JAG_TOKEN_TYPE, ID_TOKEN_TYPE, IdJagDefect, IdJagFor, JWT_BEARER,
    TOKEN_EXCHANGE, id_jag,
};
use crate::world::AuthWorld;

/// Whether the metadata's `key` array lists `value`.
async fn advertises(w: &mut AuthWorld, key: &str, value: &str) -> Result<bool, String> {
    let m = w.metadata().await?;
    Ok(m.get(key)
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(value))))
}

#[given(regex = r"^the authorization server takes ID-JAGs from an issuer the runner signs for$")]
async fn takes_id_jags(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step =
        "Given the authorization server takes ID-JAGs from an issuer the runner signs for".into();
    w.ensure_target().await?;
    if !advertises(w, "authorization_grant_profiles_supported", ID_JAG_PROFILE).await? {
        skip!(
            "the server does not list {ID_JAG_PROFILE} in authorization_grant_profiles_supported (draft-ietf-oauth-identity-assertion-authz-grant §9.2)"
        );
    }
    if w.ctx
        .profile
        .id_jag
        .as_ref()
        .and_then(|j| j.trusted_issuer.as_ref())
        .is_none()
    {
        skip!(
            "the target profile names no issuer the server trusts for ID-JAGs (id_jag.trusted_issuer)"
        );
    }
    w.as_flow_mut().client = Some(w.ctx.profile.clients().confidential.clone());
    Ok(())
}

#[when(regex = r"^the client presents (an ID-JAG ?(.*)|the same ID-JAG again)$")]
async fn presents(w: &mut AuthWorld, how: String, defect: String) -> Result<(), String> {
    w.agent.step = format!("When the client presents {how}");
    let jwt = if how == "the same ID-JAG again" {
        w.as_flow()
            .last_id_jag
            .clone()
            .ok_or("no ID-JAG was presented before")?
    } else {
        let defect = IdJagDefect::parse(&defect)
            .ok_or_else(|| format!("unknown ID-JAG defect {defect:?}"))?;
        sign_id_jag(w, defect)?
    };
    w.agent.redactor.register("id_jag", &jwt);
    w.as_flow_mut().last_id_jag = Some(jwt.clone());
    let client = w.client();
    let form = vec![
        ("grant_type".into(), JWT_BEARER.into()),
        ("assertion".into(), jwt),
    ];
    w.token_request(&client, form).await.map(|_| ())
}

/// An ID-JAG of the profile's trusted issuer about its subject, for this server and client.
fn sign_id_jag(w: &AuthWorld, defect: IdJagDefect) -> Result<String, String> {
    let spec = w
        .ctx
        .profile
        .id_jag
        .as_ref()
        .and_then(|j| j.trusted_issuer.as_ref())
        .ok_or("the profile has no id_jag.trusted_issuer (a Given step is missing)")?;
    let key = protocol::dpop::ProofKey::from_private_jwk(&spec.private_jwk)
        .map_err(|e| format!("the target profile's id_jag.trusted_issuer.private_jwk: {e}"))?;
    let kid = spec.private_jwk.get("kid").and_then(Value::as_str);
    let client = w.client();
    let g = IdJagFor {
        issuer: &spec.issuer,
        subject: &spec.subject,
        audience: &w.issuer,
        client_id: &client.client_id,
        now: w.target_now(),
    };
    Ok(id_jag(&key, kid, &g, defect))
}

#[given(regex = r"^the (client|other confidential client) holds an ID token of the user$")]
async fn holds_id_token(w: &mut AuthWorld, who: String) -> Result<(), String> {
    w.agent.step = format!("Given the {who} holds an ID token of the user");
    w.ensure_target().await?;
    let m = w.metadata().await?;
    let exchanges = m
        .get("grant_types_supported")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(TOKEN_EXCHANGE)));
    if !exchanges {
        skip!("the server does not list {TOKEN_EXCHANGE} in grant_types_supported (RFC 8414 §2)");
    }
    if w.ctx
        .profile
        .id_jag
        .as_ref()
        .and_then(|j| j.audience.as_ref())
        .is_none()
    {
        skip!(
            "the target profile names no authorization server the target issues ID-JAGs for (id_jag.audience)"
        );
    }
    let clients = w.ctx.profile.clients().clone();
    let holder = if who == "client" {
        clients.confidential.clone()
    } else {
        let Some(other) = clients.other_confidential.clone() else {
            skip!("the target profile has no other_confidential client");
        };
        other
    };
    w.as_flow_mut().client = Some(holder.clone());
    w.authorize(&[], Decision::Approve).await?;
    let verifier = w.as_flow().flow.verifier.clone();
    let redirect = w.as_flow().flow.redirect_uri.clone();
    let r = w.redeem(&holder, verifier, redirect).await?;
    let Some(id_token) = r.json().and_then(|j| {
        j.get("id_token")
            .and_then(Value::as_str)
            .map(str::to_string)
    }) else {
        skip!(
            "the server issued no ID token to {} (HTTP {}); its profile scope must include openid",
            holder.client_id,
            r.status
        );
    };
    w.agent.redactor.register("id_token", &id_token);
    w.as_flow_mut().id_token = Some(id_token);
    // The exchange is the confidential client's, whoever holds the ID token.
    w.as_flow_mut().client = Some(clients.confidential);
    Ok(())
}

#[when(regex = r"^the client exchanges (the|a forged) ID token for an ID-JAG$")]
async fn exchanges(w: &mut AuthWorld, which: String) -> Result<(), String> {
    w.agent.step = format!("When the client exchanges {which} ID token for an ID-JAG");
    let held = w
        .as_flow()
        .id_token
        .clone()
        .ok_or("the client holds no ID token (a Given step is missing)")?;
    let subject = if which == "a forged" {
        let forged = protocol::dpop::flip_signature_bit(&held);
        w.agent.redactor.register("forged_id_token", &forged);
        forged
    } else {
        held
    };
    let audience = w
        .ctx
        .profile
        .id_jag
        .as_ref()
        .and_then(|j| j.audience.clone())
        .ok_or("the profile has no id_jag.audience")?;
    let form = vec![
        ("grant_type".into(), TOKEN_EXCHANGE.into()),
        ("requested_token_type".into(), ID_JAG_TOKEN_TYPE.into()),
        ("subject_token".into(), subject),
        ("subject_token_type".into(), ID_TOKEN_TYPE.into()),
        ("audience".into(), audience),
    ];
    let client = w.client();
    let r = w.token_request(&client, form).await?;
    let issued = r.json().and_then(|j| {
        j.get("access_token")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    if let Some(jag) = issued {
        w.agent.redactor.register("id_jag", &jag);
        w.as_flow_mut().issued_id_jag = Some(jag);
    }
    Ok(())
}

//! When steps about issued tokens: revocation (RFC 7009), introspection (RFC 7662) and the
//! device authorization grant (RFC 8628).

use cucumber::when;
use serde_json::Value;

use crate::http::user_agent::ClientAuth;
use crate::roles::authorization_server::flow::Until;
use crate::world::AuthWorld;

fn pick(w: &AuthWorld, which: &str) -> Result<String, String> {
    let (first, field) = match which {
        "first access token" => (true, "access_token"),
        "latest access token" => (false, "access_token"),
        "first refresh token" => (true, "refresh_token"),
        "latest refresh token" => (false, "refresh_token"),
        "unknown token" => return Ok("never-issued-token-value".into()),
        other => return Err(format!("unknown token {other:?}")),
    };
    let v = if first {
        w.as_flow().flow.first(field)
    } else {
        w.as_flow().flow.latest(field)
    };
    v.ok_or_else(|| format!("no {field} was issued"))
}

#[when(
    regex = r#"^the client revokes the (first access token|latest access token|latest refresh token|unknown token)( with token_type_hint "([a-z_]+)")?$"#
)]
async fn revoke(w: &mut AuthWorld, which: String, _h: String, hint: String) -> Result<(), String> {
    w.agent.step = format!("When the client revokes the {which}");
    w.ctx.profile.skip_without_endpoint("revocation");
    let token = pick(w, &which)?;
    let url = w.endpoint("revocation").await?;
    let client = w.client();
    let mut form = vec![("token".to_string(), token)];
    if !hint.is_empty() {
        form.push(("token_type_hint".into(), hint));
    }
    let form = AuthWorld::with_client_form(&client, form);
    let resp = w
        .agent
        .post_form(&url, &AuthWorld::auth_of(&client), &form)
        .await?;
    w.last = Some(resp);
    Ok(())
}

#[when(
    regex = r#"^(the client|an unauthenticated caller) introspects the (first access token|latest access token|latest refresh token|unknown token)$"#
)]
async fn introspect(w: &mut AuthWorld, who: String, which: String) -> Result<(), String> {
    w.agent.step = format!("When {who} introspects the {which}");
    w.ctx.profile.skip_without_endpoint("introspection");
    let token = pick(w, &which)?;
    let url = w.endpoint("introspection").await?;
    let form = vec![("token".to_string(), token)];
    let resp = if who == "the client" {
        let client = w.ctx.profile.clients().confidential.clone();
        let form = AuthWorld::with_client_form(&client, form);
        w.agent
            .post_form(&url, &AuthWorld::auth_of(&client), &form)
            .await?
    } else {
        w.agent.post_form(&url, &ClientAuth::None, &form).await?
    };
    w.last = Some(resp);
    Ok(())
}

#[when(regex = r"^the client requests device authorization$")]
async fn device_authorization(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the client requests device authorization".into();
    w.ctx.profile.skip_without_endpoint("device_authorization");
    let url = w.endpoint("device_authorization").await?;
    let client = w.client();
    let mut form = vec![];
    if let Some(s) = &client.scope {
        form.push(("scope".to_string(), s.clone()));
    }
    let form = AuthWorld::with_client_form(&client, form);
    let resp = w
        .agent
        .post_form(&url, &AuthWorld::auth_of(&client), &form)
        .await?;
    let j = resp
        .json()
        .filter(|_| resp.status == 200)
        .ok_or_else(|| format!("device authorization failed: HTTP {}", resp.status))?;
    w.as_flow_mut().flow.token_responses.clear();
    w.as_flow_mut().device = Some(j);
    w.last = Some(resp);
    Ok(())
}

#[when(regex = r"^the client polls with the device code$")]
async fn poll(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the client polls with the device code".into();
    let code = w
        .as_flow()
        .device
        .as_ref()
        .and_then(|d| d.get("device_code").and_then(Value::as_str))
        .ok_or("no device code")?
        .to_string();
    let client = w.client();
    w.token_request(
        &client,
        vec![
            (
                "grant_type".into(),
                "urn:ietf:params:oauth:grant-type:device_code".into(),
            ),
            ("device_code".into(), code),
        ],
    )
    .await
    .map(|_| ())
}

#[when(regex = r"^the user (approves|denies) the device$")]
async fn user_answers_device(w: &mut AuthWorld, answer: String) -> Result<(), String> {
    w.agent.step = format!("When the user {answer} the device");
    let d = w
        .as_flow()
        .device
        .clone()
        .ok_or("no device authorization")?;
    let uri = d
        .get("verification_uri")
        .and_then(Value::as_str)
        .ok_or("no verification_uri")?
        .to_string();
    let user_code = d
        .get("user_code")
        .and_then(Value::as_str)
        .ok_or("no user_code")?
        .to_string();
    let profile = &w.ctx.profile;
    let answer_steps = if answer == "approves" {
        profile.device.device_approval()
    } else {
        profile.device.device_denial()
    };
    let login = profile.login.clone();
    let page = w.agent.get(&uri).await?;
    w.play(
        page,
        login,
        answer_steps,
        &[("user_code", &user_code)],
        Until::ScriptDone,
    )
    .await
    .map(|_| ())
}

#[when(regex = r"^the client registers with metadata (.+)$")]
async fn register(w: &mut AuthWorld, metadata: String) -> Result<(), String> {
    w.agent.step = "When the client registers".into();
    w.ctx.profile.skip_without_endpoint("registration");
    let body: Value = serde_json::from_str(&metadata)
        .map_err(|e| format!("the step's metadata is not JSON: {e}"))?;
    let Ok(url) = w.endpoint("registration").await else {
        crate::check::outcome::skip!(
            "the target offers no dynamic client registration (no registration_endpoint)"
        );
    };
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
    // A registered client_id is random: a placeholder keeps transcripts stable.
    if let Some(id) = resp.json().and_then(|j| {
        j.get("client_id")
            .and_then(Value::as_str)
            .map(str::to_string)
    }) {
        w.agent.redactor.register("registered_client_id", &id);
    }
    w.last = Some(resp);
    Ok(())
}

//! Client assertion steps (RFC 7523 §2.2): the runner registers a client that authenticates with
//! a JWT (its own key, or the secret it is given), and asks for tokens with a valid assertion,
//! one with a defect, or the same assertion again.

use cucumber::{given, when};
use serde_json::{Value, json};

use crate::check::outcome::skip;
use crate::http::user_agent::ClientAuth;
use crate::roles::authorization_server::client_assertion::{
    ASSERTION_TYPE, AssertionDefect, AssertionKey, assertion,
};
use crate::target::ClientSpec;
use crate::world::AuthWorld;

#[given(regex = r"^a client registered for (private_key_jwt|client_secret_jwt)$")]
async fn registered_for(w: &mut AuthWorld, method: String) -> Result<(), String> {
    w.agent.step = format!("Given a client registered for {method}");
    let m = w.metadata().await?;
    let listed = m
        .get("token_endpoint_auth_methods_supported")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(method.as_str())));
    if !listed {
        skip!(
            "the server does not list {method} in token_endpoint_auth_methods_supported (RFC 8414 §2)"
        );
    }
    w.ctx.profile.skip_without_endpoint("registration");
    let Ok(url) = w.endpoint("registration").await else {
        skip!(
            "the target offers no dynamic client registration, so the runner cannot register a {method} client with its own key"
        );
    };
    let key = if method == "private_key_jwt" {
        Some(protocol::dpop::ProofKey::generate())
    } else {
        None
    };
    let mut body = json!({
        "client_name": format!("authconform {method} client"),
        "grant_types": ["client_credentials"],
        "response_types": [],
        "token_endpoint_auth_method": method,
    });
    if let Some(k) = &key {
        // A fresh key each run: its coordinates are placeholders, so transcripts stay identical.
        let jwk = k.public_jwk();
        for c in ["x", "y"] {
            if let Some(v) = jwk[c].as_str() {
                w.agent.redactor.register("client_public_key", v);
            }
        }
        body["jwks"] = json!({ "keys": [jwk] });
        body["token_endpoint_auth_signing_alg"] = json!("ES256");
    } else {
        body["token_endpoint_auth_signing_alg"] = json!("HS256");
    }
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
    let Some(id) = field("client_id") else {
        skip!(
            "the server did not register a {method} client_credentials client (HTTP {}); RFC 7591 lets it refuse",
            resp.status
        );
    };
    w.agent.redactor.register("registered_client_id", &id);
    let signer = match key {
        Some(k) => AssertionKey::Private(k),
        None => {
            let Some(secret) = field("client_secret") else {
                skip!("the server registered the client_secret_jwt client without a client_secret");
            };
            w.agent.redactor.register("client_secret", &secret);
            AssertionKey::Secret(secret)
        }
    };
    w.as_flow_mut().client = Some(ClientSpec {
        client_id: id,
        client_secret: None,
        auth_method: Some(method),
        redirect_uri: None,
        scope: None,
    });
    w.as_flow_mut().assertion_key = Some(signer);
    Ok(())
}

#[when(
    regex = r#"^the client requests a token for grant_type "([^"]+)" with (a client assertion ?(.*)|the same client assertion again)$"#
)]
async fn token_with_assertion(
    w: &mut AuthWorld,
    grant: String,
    how: String,
    defect: String,
) -> Result<(), String> {
    w.agent.step = format!("When the client requests a token with {how}");
    let client = w.client();
    let jwt = if how == "the same client assertion again" {
        w.as_flow()
            .last_assertion
            .clone()
            .ok_or("no client assertion was sent before")?
    } else {
        let defect = AssertionDefect::parse(&defect)
            .ok_or_else(|| format!("unknown client assertion defect {defect:?}"))?;
        let aud = w.endpoint("token").await?;
        let now = w.target_now();
        let key = w
            .as_flow()
            .assertion_key
            .as_ref()
            .ok_or("the scenario's client has no assertion key (a Given step is missing)")?;
        assertion(key, &client.client_id, &aud, now, defect)
    };
    w.agent.redactor.register("client_assertion", &jwt);
    w.as_flow_mut().last_assertion = Some(jwt.clone());
    // client_id too (RFC 7521 §4.2: OPTIONAL): an assertion about another client must not
    // authenticate this one.
    let form = vec![
        ("grant_type".into(), grant),
        ("client_id".into(), client.client_id.clone()),
        ("client_assertion_type".into(), ASSERTION_TYPE.into()),
        ("client_assertion".into(), jwt),
    ];
    w.token_request(&client, form).await.map(|_| ())
}

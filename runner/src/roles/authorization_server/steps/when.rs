//! When steps: the client and the user act; tampering included.

use cucumber::when;

use crate::check::outcome::skip;
use crate::http::dpop_proof::Defect;
use crate::roles::authorization_server::flow::{Decision, is_transport_error};
use crate::roles::authorization_server::variants;
use crate::world::AuthWorld;

#[when(regex = r"^the user (approves|denies) the authorization request$")]
async fn user_authorizes(w: &mut AuthWorld, answer: String) -> Result<(), String> {
    w.agent.step = format!("When the user {answer} the authorization request");
    let decision = if answer == "approves" {
        Decision::Approve
    } else {
        Decision::Deny
    };
    if decision == Decision::Deny {
        // A denial the profile cannot give is skipped before any request is sent.
        w.ctx.profile.consent.consent_denial();
    }
    w.authorize(&[], decision).await
}

#[when(regex = r"^the user approves an authorization request without PKCE$")]
async fn without_pkce(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the user approves an authorization request without PKCE".into();
    w.authorize(
        &[("code_challenge", None), ("code_challenge_method", None)],
        Decision::Approve,
    )
    .await?;
    if let Some(error) = w
        .as_flow()
        .flow
        .callback
        .as_ref()
        .and_then(|c| c.get("error"))
    {
        skip!(
            "the server refuses authorization requests without PKCE (error={error}), so no code exists to attempt a downgrade with; that meets RFC 9700 §2.1.1 by construction"
        );
    }
    Ok(())
}

#[when(
    regex = r#"^the client sends an authorization request with redirect_uri variant "([a-z-]+)"$"#
)]
async fn redirect_variant(w: &mut AuthWorld, variant: String) -> Result<(), String> {
    w.agent.step = format!("When the client sends redirect_uri variant {variant}");
    let registered = w.redirect_uri();
    let uri = variants::derive(&variant, &registered)
        .ok_or_else(|| format!("unknown redirect_uri variant {variant:?}"))?;
    let resp = w
        .start_authorization(&[("redirect_uri", Some(uri))])
        .await?;
    // A user would sign in and approve whatever the server shows; the check judges where the
    // browser ends up. A flow that stops at an error page is what the spec asks for.
    settle(w.drive_to_callback(resp, Decision::Approve).await)
}

/// `uri` on another port, if it is a loopback IP URI (RFC 8252 §7.3).
fn other_loopback_port(uri: &str) -> Option<String> {
    let mut u = url::Url::parse(uri).ok()?;
    if u.scheme() != "http" || !matches!(u.host_str(), Some("127.0.0.1" | "[::1]")) {
        return None;
    }
    let other = if u.port() == Some(41999) {
        41998
    } else {
        41999
    };
    u.set_port(Some(other)).ok()?;
    Some(u.to_string())
}

/// Keeps transport failures (a hung target) and lets the checks judge where a flow stopped.
fn settle(result: Result<(), String>) -> Result<(), String> {
    match result {
        Err(e) if is_transport_error(&e) => Err(e),
        _ => Ok(()),
    }
}

#[when(
    regex = r#"^the client sends an authorization request with redirect_uri on another loopback port$"#
)]
async fn loopback_port(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the client uses another loopback port".into();
    let uri = w.redirect_uri();
    let Some(other) = other_loopback_port(&uri) else {
        skip!("the public client's redirect URI is not a loopback IP URI");
    };
    let resp = w
        .start_authorization(&[("redirect_uri", Some(other))])
        .await?;
    w.drive_to_callback(resp, Decision::Approve).await
}

#[when(
    regex = r#"^the client sends an authorization request with ([a-z_]+) (set to "([^"]*)"|removed)$"#
)]
async fn param_override(
    w: &mut AuthWorld,
    name: String,
    how: String,
    value: String,
) -> Result<(), String> {
    w.agent.step = format!("When the client sends an authorization request with {name} {how}");
    let v = if how == "removed" {
        None
    } else {
        Some(expand(&value))
    };
    let resp = w.start_authorization(&[(&name, v)]).await?;
    // Servers may check the request before or after login and consent: play the user through
    // and let the checks judge what reached the client.
    settle(w.drive_to_callback(resp, Decision::Approve).await)
}

/// `{43 a}`-style shorthands for long values in feature files.
fn expand(value: &str) -> String {
    if let Some(inner) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}'))
        && let Some((n, ch)) = inner.split_once(' ')
        && let Ok(n) = n.parse::<usize>()
    {
        return ch.repeat(n);
    }
    value.to_string()
}

#[when(
    regex = r#"^the client redeems the code( again)?( with a wrong code_verifier| without code_verifier| with a code_verifier)?( and redirect_uri "([^"]*)")?$"#
)]
async fn redeem(
    w: &mut AuthWorld,
    _again: String,
    verifier: String,
    _r: String,
    redirect: String,
) -> Result<(), String> {
    w.agent.step = format!("When the client redeems the code{verifier}");
    let v = match verifier.trim() {
        "with a wrong code_verifier" => Some(protocol::pkce::random(32)),
        "without code_verifier" => None,
        "with a code_verifier" => Some(protocol::pkce::random(32)),
        _ => w.as_flow().flow.verifier.clone(),
    };
    let redirect_uri = if redirect.is_empty() {
        w.as_flow().flow.redirect_uri.clone()
    } else {
        Some(redirect)
    };
    let client = w.client();
    w.redeem(&client, v, redirect_uri).await.map(|_| ())
}

#[when(regex = r"^the client redeems a code the server never issued$")]
async fn redeem_made_up(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the client redeems a code the server never issued".into();
    w.ensure_target().await?;
    let redirect_uri = w.redirect_uri();
    let flow = &mut w.as_flow_mut().flow;
    flow.code = Some(protocol::pkce::random(32));
    flow.redirect_uri = Some(redirect_uri.clone());
    let client = w.client();
    w.redeem(&client, None, Some(redirect_uri))
        .await
        .map(|_| ())
}

#[when(regex = r"^the other confidential client redeems the code$")]
async fn other_redeems(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the other confidential client redeems the code".into();
    let Some(other) = w.ctx.profile.clients().other_confidential.clone() else {
        skip!("the target profile has no other_confidential client");
    };
    let v = w.as_flow().flow.verifier.clone();
    let r = w.as_flow().flow.redirect_uri.clone();
    w.redeem(&other, v, r).await.map(|_| ())
}

#[when(regex = r"^the clock advances by (\d+) seconds$")]
async fn advance(w: &mut AuthWorld, secs: i64) -> Result<(), String> {
    w.agent.step = format!("When the clock advances by {secs} seconds");
    w.pass_time(secs).await
}

#[when(
    regex = r#"^the client refreshes with the (latest|first) refresh token( asking for scope "([^"]*)")?( without authenticating)?( without a DPoP proof| with a DPoP proof made with another key)?$"#
)]
async fn refresh(
    w: &mut AuthWorld,
    which: String,
    _s: String,
    scope: String,
    unauthenticated: String,
    proof: String,
) -> Result<(), String> {
    w.agent.step = format!("When the client refreshes with the {which} refresh token{proof}");
    match proof.trim() {
        "without a DPoP proof" => super::dpop::set_next_proof(w, Defect::Missing)?,
        "with a DPoP proof made with another key" => {
            super::dpop::set_next_proof(w, Defect::OtherKey)?
        }
        _ => {}
    }
    let rt = if which == "first" {
        w.as_flow().flow.first("refresh_token")
    } else {
        w.as_flow().flow.latest("refresh_token")
    };
    let rt = rt.ok_or("no refresh token was issued")?;
    let mut form = vec![
        ("grant_type".to_string(), "refresh_token".to_string()),
        ("refresh_token".to_string(), rt),
    ];
    if !scope.is_empty() {
        form.push(("scope".into(), scope));
    }
    let mut client = w.client();
    if !unauthenticated.is_empty() {
        client.auth_method = Some("none".into());
        client.client_secret = None;
    }
    w.token_request(&client, form).await.map(|_| ())
}

#[when(regex = r"^the other confidential client refreshes with the latest refresh token$")]
async fn other_refreshes(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the other confidential client refreshes".into();
    let Some(other) = w.ctx.profile.clients().other_confidential.clone() else {
        skip!("the target profile has no other_confidential client");
    };
    let rt = w
        .as_flow()
        .flow
        .latest("refresh_token")
        .ok_or("no refresh token was issued")?;
    w.token_request(
        &other,
        vec![
            ("grant_type".into(), "refresh_token".into()),
            ("refresh_token".into(), rt),
        ],
    )
    .await
    .map(|_| ())
}

#[when(
    regex = r#"^the client authenticates with (its own secret|a wrong secret|no secret) for grant_type "([^"]+)"$"#
)]
async fn client_auth(w: &mut AuthWorld, how: String, grant: String) -> Result<(), String> {
    w.agent.step = format!("When the client authenticates with {how}");
    let mut client = w.client();
    match how.as_str() {
        "a wrong secret" => client.client_secret = Some("wrong-secret-value".into()),
        "no secret" => {
            client.client_secret = None;
            client.auth_method = Some("none".into());
        }
        _ => {}
    }
    w.token_request(&client, vec![("grant_type".into(), grant)])
        .await
        .map(|_| ())
}

#[when(regex = r#"^the client authenticates with the other method for grant_type "([^"]+)"$"#)]
async fn other_method(w: &mut AuthWorld, grant: String) -> Result<(), String> {
    w.agent.step = "When the client authenticates with the method it did not register".into();
    let mut client = w.client();
    client.auth_method = Some(
        if client.method() == "client_secret_basic" {
            "client_secret_post"
        } else {
            "client_secret_basic"
        }
        .into(),
    );
    w.token_request(&client, vec![("grant_type".into(), grant)])
        .await
        .map(|_| ())
}

#[when(regex = r#"^the client posts to the token endpoint: (.*)$"#)]
async fn raw_token(w: &mut AuthWorld, form: String) -> Result<(), String> {
    w.agent.step = format!("When the client posts {form}");
    let pairs: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes())
        .into_owned()
        .collect();
    let client = w.client();
    w.token_request(&client, pairs).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_loopback_port_is_another_port_of_the_same_uri() {
        let other = |u: &str| other_loopback_port(u);
        assert_eq!(
            other("http://127.0.0.1:53682/callback").as_deref(),
            Some("http://127.0.0.1:41999/callback")
        );
        assert_eq!(
            other("http://127.0.0.1:41999/cb?x=1").as_deref(),
            Some("http://127.0.0.1:41998/cb?x=1")
        );
        assert_eq!(
            other("http://[::1]:8400/cb").as_deref(),
            Some("http://[::1]:41999/cb")
        );
        assert_eq!(other("https://client.example/cb"), None);
        assert_eq!(other("http://localhost:8400/cb"), None);
    }
}

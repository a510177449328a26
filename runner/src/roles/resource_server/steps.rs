//! Given and When steps of the resource-server scenarios (`@rs`): tokens minted to order, calls
//! of the profile's workspace operations, API-key and Basic endpoints, key rotation at the issuer.

use cucumber::{given, when};
use mock_idp::mint::Flaw;

use crate::check::outcome::skip;
use crate::http::dpop_proof::Defect;
use crate::roles::resource_server::flow::{Credential, TokenSpec};
use crate::target::resource_server::{Role, ScopeKind};
use crate::world::AuthWorld;

fn role(word: &str) -> Role {
    Role::parse(word).unwrap_or(Role::Viewer)
}

#[given(
    regex = r"^a token for (alice|bob) as (viewer|editor|admin) of (?:her|his) workspace with every workspace scope$"
)]
async fn token_all_scopes(w: &mut AuthWorld, user: String, r: String) -> Result<(), String> {
    w.agent.step = format!("Given a token for {user} as {r} with every scope");
    let scope = w.rs_profile().all_scopes();
    w.mint_token(&TokenSpec::new(&user, Some(role(&r)), scope))
        .await
        .map(|_| ())
}

#[given(regex = r"^a token for alice as admin of her workspace without the scope ([a-z_]+) needs$")]
async fn token_without_scope(w: &mut AuthWorld, op: String) -> Result<(), String> {
    w.agent.step = format!("Given a token for alice without the scope {op} needs");
    let rs = w.rs_profile();
    let (_, missing) = rs
        .requirement(&op)
        .ok_or_else(|| format!("{op} is not an operation of the role matrix"))?;
    let scope: Vec<&str> = [ScopeKind::Read, ScopeKind::Write, ScopeKind::Admin]
        .into_iter()
        .filter(|k| rs.scope(*k) != rs.scope(missing))
        .map(|k| rs.scope(k))
        .collect();
    w.rs_flow_mut().needed_scope = Some(rs.scope(missing).to_string());
    w.mint_token(&TokenSpec::new("alice", Some(Role::Admin), scope.join(" ")))
        .await
        .map(|_| ())
}

#[given(regex = r#"^a token for alice with the flaw "([a-z0-9-]+)"$"#)]
async fn flawed_token(w: &mut AuthWorld, flaw: String) -> Result<(), String> {
    w.agent.step = format!("Given a token for alice with the flaw {flaw}");
    let scope = w.rs_profile().all_scopes();
    if flaw == "not-a-jwt" {
        w.ensure_target().await?;
        w.set_raw_token("this-is-not-a-jwt");
        return Ok(());
    }
    let parsed = Flaw::parse(&flaw).ok_or_else(|| format!("unknown flaw {flaw:?}"))?;
    let mut spec = TokenSpec::new("alice", Some(Role::Admin), scope);
    spec.flaw = Some(parsed);
    w.mint_token(&spec).await.map(|_| ())
}

#[given(regex = r"^a token for alice that expired (\d+) seconds? beyond the leeway$")]
async fn expired_beyond_leeway(w: &mut AuthWorld, beyond: i64) -> Result<(), String> {
    let rs = w.rs_profile();
    w.agent.step = format!(
        "Given a token that expired {} s ago (leeway {} s)",
        rs.leeway_seconds + beyond,
        rs.leeway_seconds
    );
    let mut spec = TokenSpec::new("alice", Some(Role::Admin), rs.all_scopes());
    spec.expires_in = Some(-(rs.leeway_seconds + beyond));
    w.mint_token(&spec).await.map(|_| ())
}

#[given(regex = r"^a token for alice that becomes valid (\d+) seconds? beyond the leeway$")]
async fn nbf_beyond_leeway(w: &mut AuthWorld, beyond: i64) -> Result<(), String> {
    let rs = w.rs_profile();
    // Against a real clock a second may tick between minting and checking, which would bring
    // nbf within the leeway: one second more keeps the token out of it (RFC 7519 §4.1.5).
    let beyond = if w.ctx.profile.is_builtin() {
        beyond
    } else {
        beyond + 1
    };
    w.agent.step = format!(
        "Given a token valid from {} s ahead (leeway {} s)",
        rs.leeway_seconds + beyond,
        rs.leeway_seconds
    );
    let mut spec = TokenSpec::new("alice", Some(Role::Admin), rs.all_scopes());
    spec.not_before = Some(rs.leeway_seconds + beyond);
    w.mint_token(&spec).await.map(|_| ())
}

#[given(regex = r"^the resource server is not in an insecure quickstart mode$")]
async fn not_quickstart(w: &mut AuthWorld) -> Result<(), String> {
    if w.rs_profile().insecure_quickstart {
        skip!(
            "the profile says this resource server runs in an insecure quickstart mode (resource_server.insecure_quickstart), where unsigned tokens are its documented behaviour"
        );
    }
    w.ensure_target().await
}

#[given(regex = r"^the resource server has accepted a token of the current key$")]
async fn primed(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "Given the resource server has accepted a token".into();
    let scope = w.rs_profile().all_scopes();
    w.mint_token(&TokenSpec::new("alice", Some(Role::Admin), scope))
        .await?;
    let r = w
        .rs_call(
            "read_item",
            "alice",
            None,
            Credential::Header("Bearer ".into()),
        )
        .await?;
    if !(200..300).contains(&r.status) {
        return Err(format!(
            "a valid token was refused (HTTP {}), so rotation cannot be judged",
            r.status
        ));
    }
    Ok(())
}

#[when(regex = r"^the issuer publishes a new signing key$")]
async fn rotate(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the issuer publishes a new signing key".into();
    w.rotate_issuer_key().await
}

#[when(regex = r"^the issuer removes the previous signing key$")]
async fn remove(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the issuer removes the previous key".into();
    w.remove_previous_key()
}

#[when(regex = r"^the resource server's JWKS cache lifetime passes$")]
async fn cache_expires(w: &mut AuthWorld) -> Result<(), String> {
    let secs = w.rs_profile().jwks_cache_seconds + 1;
    w.agent.step = format!("When {secs} s pass");
    w.rs_pass_time(secs).await
}

#[given(regex = r"^a token for alice signed by the (new|previous) key$")]
#[when(regex = r"^a token for alice signed by the (new|previous) key$")]
async fn token_by_key(w: &mut AuthWorld, which: String) -> Result<(), String> {
    w.agent.step = format!("Given a token signed by the {which} key");
    let mut spec = TokenSpec::new("alice", Some(Role::Admin), w.rs_profile().all_scopes());
    if which == "previous" {
        spec.kid = w.rs_flow().previous_kid.clone();
    }
    w.mint_token(&spec).await.map(|_| ())
}

#[when(regex = r"^the client calls ([a-z_]+) in (alice|bob)'s workspace with the token$")]
async fn call_with_token(w: &mut AuthWorld, op: String, user: String) -> Result<(), String> {
    w.agent.step = format!("When the client calls {op} in {user}'s workspace");
    w.rs_call(&op, &user, None, Credential::Header("Bearer ".into()))
        .await
        .map(|_| ())
}

#[when(
    regex = r#"^the client calls ([a-z_]+) in (alice|bob)'s workspace with the token after "([^"]*)"$"#
)]
async fn call_with_scheme(
    w: &mut AuthWorld,
    op: String,
    user: String,
    scheme: String,
) -> Result<(), String> {
    w.agent.step = format!("When the client calls {op} with scheme {scheme:?}");
    w.rs_call(&op, &user, None, Credential::Header(scheme))
        .await
        .map(|_| ())
}

#[when(regex = r"^the client calls ([a-z_]+) in (alice|bob)'s workspace without credentials$")]
async fn call_without(w: &mut AuthWorld, op: String, user: String) -> Result<(), String> {
    w.agent.step = format!("When the client calls {op} without credentials");
    w.rs_call(&op, &user, None, Credential::None)
        .await
        .map(|_| ())
}

#[when(
    regex = r"^the client calls ([a-z_]+) in (alice|bob)'s workspace with the token in the query string$"
)]
async fn call_query(w: &mut AuthWorld, op: String, user: String) -> Result<(), String> {
    w.agent.step = format!("When the client calls {op} with the token in the query");
    w.rs_call(&op, &user, None, Credential::Query)
        .await
        .map(|_| ())
}

/// The role matrix: a token with `role` in alice's workspace and every scope calls `op`.
#[when(regex = r"^(viewer|editor|admin) of alice's workspace calls ([a-z_]+)$")]
async fn matrix_call(w: &mut AuthWorld, r: String, op: String) -> Result<(), String> {
    let rs = w.rs_profile();
    if rs.requirement(&op).is_none() {
        return Err(format!("{op} is not an operation of the role matrix"));
    }
    if !rs.operations.contains_key(&op) {
        skip!("the profile maps no request to {op} (resource_server.operations.{op})");
    }
    // A delete that may succeed gets an item of its own, so the shared item survives.
    let mut item = None;
    if op == "delete_item" && rs.operations.contains_key("create_item") {
        w.agent.step = "Given an item to delete, created by an admin".into();
        w.mint_token(&TokenSpec::new("alice", Some(Role::Admin), rs.all_scopes()))
            .await?;
        let created = w
            .rs_call(
                "create_item",
                "alice",
                None,
                Credential::Header("Bearer ".into()),
            )
            .await?;
        let field = rs
            .operations
            .get("create_item")
            .and_then(|o| o.id_field.clone())
            .unwrap_or_else(|| "id".into());
        item = created
            .json()
            .and_then(|j| j.get(&field).and_then(|v| v.as_str()).map(str::to_string));
    }
    let role = role(&r);
    w.agent.step = format!("When {r} of alice's workspace calls {op}");
    w.mint_token(&TokenSpec::new("alice", Some(role), rs.all_scopes()))
        .await?;
    w.rs_flow_mut().role = Some(role);
    w.rs_flow_mut().op = Some(op.clone());
    w.rs_call(&op, "alice", item, Credential::Header("Bearer ".into()))
        .await
        .map(|_| ())
}

#[when(
    regex = r"^the client calls the (bearer|x_api_key|basic|custom) API-key endpoint with (its key|a wrong key|no key|its key in the (?:bearer|x_api_key|basic|custom) header)$"
)]
async fn api_key_call(w: &mut AuthWorld, scheme: String, how: String) -> Result<(), String> {
    w.ensure_target().await?;
    let rs = w.rs_profile();
    let Some(endpoint) = rs.api_keys.get(&scheme).cloned() else {
        skip!("the profile has no {scheme} API-key endpoint (resource_server.api_keys.{scheme})");
    };
    w.agent.redactor.register("api_key", &endpoint.key);
    let wrong = format!("{}-wrong", endpoint.key);
    let (key, place) = match how.as_str() {
        "its key" => (endpoint.key.clone(), scheme.clone()),
        "a wrong key" => (wrong, scheme.clone()),
        "no key" => (String::new(), String::new()),
        other => (
            endpoint.key.clone(),
            other
                .trim_start_matches("its key in the ")
                .trim_end_matches(" header")
                .to_string(),
        ),
    };
    let custom_header = rs
        .api_keys
        .get("custom")
        .and_then(|c| c.header.clone())
        .unwrap_or_else(|| "X-Custom-Auth".into());
    let custom_prefix = rs
        .api_keys
        .get("custom")
        .and_then(|c| c.prefix.clone())
        .unwrap_or_default();
    let headers: Vec<(String, String)> = match place.as_str() {
        "" => vec![],
        "bearer" => vec![("authorization".into(), format!("Bearer {key}"))],
        "basic" => vec![("authorization".into(), format!("Basic {key}"))],
        "x_api_key" => vec![("x-api-key".into(), key.clone())],
        _ => vec![(custom_header, format!("{custom_prefix}{key}"))],
    };
    w.agent.step = format!("When the client calls the {scheme} API-key endpoint with {how}");
    w.rs_get(&endpoint.path, &headers).await.map(|_| ())
}

#[when(
    regex = r"^the client calls the Basic endpoint with (the right password|a wrong password|no credentials)$"
)]
async fn basic_call(w: &mut AuthWorld, how: String) -> Result<(), String> {
    w.ensure_target().await?;
    let Some(b) = w.rs_profile().basic else {
        skip!("the profile has no HTTP Basic endpoint (resource_server.basic)");
    };
    w.agent.redactor.register("password", &b.password);
    let password = match how.as_str() {
        "the right password" => b.password.clone(),
        _ => format!("{}-wrong", b.password),
    };
    let headers = if how == "no credentials" {
        vec![]
    } else {
        use base64::Engine;
        let creds =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{password}", b.username));
        w.agent.redactor.register("basic_credentials", &creds);
        vec![("authorization".to_string(), format!("Basic {creds}"))]
    };
    w.agent.step = format!("When the client calls the Basic endpoint with {how}");
    w.rs_get(&b.path, &headers).await.map(|_| ())
}

#[given(regex = r"^a DPoP-bound token for alice as admin of her workspace$")]
async fn dpop_bound_token(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "Given a DPoP-bound token for alice".into();
    if !w.rs_profile().dpop {
        skip!(
            "the profile does not say the resource server takes DPoP-bound tokens (resource_server.dpop); RFC 9449 §7 binds only servers that do"
        );
    }
    let key = std::sync::Arc::new(protocol::dpop::ProofKey::generate());
    let mut spec = TokenSpec::new("alice", Some(Role::Admin), w.rs_profile().all_scopes());
    spec.dpop_jkt = Some(key.thumbprint());
    w.rs_flow_mut().dpop_key = Some(key);
    w.mint_token(&spec).await.map(|_| ())
}

#[when(
    regex = r"^the client calls ([a-z_]+) in alice's workspace with the token (as a bearer token|with the DPoP scheme and no proof|with a DPoP proof ?(.*))$"
)]
async fn call_with_dpop(
    w: &mut AuthWorld,
    op: String,
    how: String,
    defect: String,
) -> Result<(), String> {
    w.agent.step = format!("When the client calls {op} {how}");
    let cred = match how.as_str() {
        "as a bearer token" => Credential::Header("Bearer ".into()),
        "with the DPoP scheme and no proof" => Credential::Dpop(Defect::Missing),
        _ => Credential::Dpop(
            Defect::parse(&defect)
                .ok_or_else(|| format!("unknown DPoP proof defect {defect:?}"))?,
        ),
    };
    w.rs_call(&op, "alice", None, cred).await.map(|_| ())
}

//! The admin API under `/_admin/`: faults, clock, users, clients, signing keys, reset, the
//! journal filters, and the admin token guard.

mod common;

use common::*;
use mock_idp::{Config, Fault, MockIdp};
use serde_json::{Value, json};

async fn admin(
    idp: &MockIdp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = http().request(method, format!("{}/_admin/{path}", idp.url()));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn get(idp: &MockIdp, path: &str) -> (u16, Value) {
    admin(idp, reqwest::Method::GET, path, None).await
}

async fn post(idp: &MockIdp, path: &str, body: Value) -> (u16, Value) {
    admin(idp, reqwest::Method::POST, path, Some(body)).await
}

async fn delete(idp: &MockIdp, path: &str) -> (u16, Value) {
    admin(idp, reqwest::Method::DELETE, path, None).await
}

fn enabled_faults(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|f| f["enabled"] == true)
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

async fn jwks_kids(idp: &MockIdp) -> Vec<String> {
    let jwks: Value = http()
        .get(format!("{}/jwks", idp.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

fn active_kid(idp: &MockIdp) -> String {
    idp.state().keys.ring().active().kid.clone()
}

/// An access token for alice from `conf`.
async fn access_token(idp: &MockIdp) -> String {
    let code = code_for(idp, "conf", &[]).await;
    let (status, body, _) = redeem(idp, &code).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

async fn userinfo_status(idp: &MockIdp, at: &str) -> u16 {
    http()
        .get(format!("{}/userinfo", idp.url()))
        .bearer_auth(at)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn faults_list_every_fault_switched_off() {
    let idp = start().await;
    let (status, list) = get(&idp, "faults").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let all: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(names, all);
    assert!(enabled_faults(&list).is_empty());
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|f| f["description"].as_str().is_some_and(|d| !d.is_empty()))
    );
}

#[tokio::test]
async fn faults_enable_and_disable_one_by_name() {
    let idp = start().await;
    let (status, list) = post(&idp, "faults/drop-state", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(enabled_faults(&list), vec!["drop-state"]);
    assert!(idp.state().fault(Fault::DropState));
    let (status, list) = delete(&idp, "faults/drop-state").await;
    assert_eq!(status, 200);
    assert!(enabled_faults(&list).is_empty());
    assert!(!idp.state().fault(Fault::DropState));
}

#[tokio::test]
async fn faults_replace_switches_on_exactly_the_list() {
    let idp = start().await;
    post(&idp, "faults/skip-pkce-check", json!({})).await;
    let (status, list) = admin(
        &idp,
        reqwest::Method::PUT,
        "faults",
        Some(json!({"enabled": ["omit-iss", "drop-state"]})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(enabled_faults(&list), vec!["drop-state", "omit-iss"]);
    let (status, list) = admin(
        &idp,
        reqwest::Method::PUT,
        "faults",
        Some(json!({"enabled": []})),
    )
    .await;
    assert_eq!(status, 200);
    assert!(enabled_faults(&list).is_empty());
}

#[tokio::test]
async fn unknown_fault_is_404_naming_the_known_ones() {
    let idp = start().await;
    for (status, body) in [
        post(&idp, "faults/skip-everything", json!({})).await,
        delete(&idp, "faults/skip-everything").await,
    ] {
        assert_eq!(status, 404);
        assert_eq!(body["error"], "not_found");
        let d = body["error_description"].as_str().unwrap();
        assert!(
            d.contains("skip-everything") && d.contains("skip-pkce-check"),
            "{d}"
        );
    }
}

#[tokio::test]
async fn faults_replace_with_an_unknown_name_is_400_and_changes_nothing() {
    let idp = start().await;
    post(&idp, "faults/omit-iss", json!({})).await;
    let (status, body) = admin(
        &idp,
        reqwest::Method::PUT,
        "faults",
        Some(json!({"enabled": ["drop-state", "skip-everything"]})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("skip-everything")
    );
    assert_eq!(idp.state().faults.enabled(), vec![Fault::OmitIss]);
}

#[tokio::test]
async fn clock_get_advance_and_set() {
    let idp = start().await;
    let (status, clock) = get(&idp, "clock").await;
    assert_eq!(status, 200);
    assert_eq!(clock["now"], 1_800_000_000);
    assert_eq!(clock["frozen"], true);
    let (status, clock) = post(&idp, "clock", json!({"advance": 90})).await;
    assert_eq!(status, 200);
    assert_eq!(clock["now"], 1_800_000_090);
    assert_eq!(idp.state().now(), 1_800_000_090);
    let (status, clock) = post(&idp, "clock", json!({"set": 1_900_000_000})).await;
    assert_eq!(status, 200);
    assert_eq!(clock["now"], 1_900_000_000);
    assert_eq!(get(&idp, "clock").await.1["now"], 1_900_000_000);
}

#[tokio::test]
async fn clock_change_without_a_known_field_is_400() {
    let idp = start().await;
    for body in [
        json!({}),
        json!({"advance": "ten"}),
        json!({"forward": 10}),
        json!([10]),
    ] {
        let (status, answer) = post(&idp, "clock", body.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_request")),
            "{body}"
        );
    }
    assert_eq!(idp.state().now(), 1_800_000_000);
}

#[tokio::test]
async fn clock_refuses_times_it_cannot_represent() {
    let idp = start().await;
    for body in [
        json!({"set": i64::MIN}),
        json!({"set": i64::MAX}),
        json!({"set": -1}),
        json!({"advance": i64::MAX}),
        json!({"advance": i64::MIN}),
    ] {
        let (status, answer) = post(&idp, "clock", body.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_request")),
            "{body}"
        );
    }
    assert_eq!(idp.state().now(), 1_800_000_000);
    // The server still works.
    access_token(&idp).await;
}

#[tokio::test]
async fn users_are_created_listed_used_and_deleted() {
    let idp = start().await;
    let (status, user) = post(
        &idp,
        "users",
        json!({"username": "carol", "name": "Carol", "email": "carol@example.com", "password": "pw"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(user["username"], "carol");
    assert!(user.get("password").is_none(), "{user}");
    let (_, users) = get(&idp, "users").await;
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"carol"), "{names:?}");
    assert!(
        users
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u.get("password").is_none()),
        "passwords are never listed"
    );
    let code = code_for(&idp, "conf", &[("login_hint", "carol")]).await;
    assert_eq!(redeem(&idp, &code).await.0, 200);

    assert_eq!(delete(&idp, "users/carol").await.0, 204);
    assert_eq!(delete(&idp, "users/carol").await.0, 404);
    assert!(idp.state().registry.user("carol").is_none());
}

#[tokio::test]
async fn invalid_user_is_400() {
    let idp = start().await;
    for body in [
        json!({"username": ""}),
        json!({"name": "no username"}),
        json!({"username": "x", "color": "red"}),
    ] {
        let (status, answer) = post(&idp, "users", body.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_request")),
            "{body}"
        );
    }
}

#[tokio::test]
async fn clients_are_created_read_used_and_deleted() {
    let idp = start().await;
    let (status, client) = post(
        &idp,
        "clients",
        json!({"client_id": "new-svc", "client_secret": "new-svc-secret", "grant_types": ["client_credentials"], "scope": "read"}),
    )
    .await;
    assert_eq!(status, 201, "{client}");
    assert_eq!(client["client_id"], "new-svc");
    assert!(client.get("client_secret").is_none(), "{client}");
    let (status, read) = get(&idp, "clients/new-svc").await;
    assert_eq!(status, 200);
    assert_eq!(read["grant_types"], json!(["client_credentials"]));
    assert!(
        read.get("client_secret").is_none(),
        "secrets are never shown"
    );
    let (_, list) = get(&idp, "clients").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["client_id"] == "new-svc")
    );
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|c| c.get("client_secret").is_none())
    );
    let form = [("grant_type", "client_credentials")];
    let (status, _, _) = token(&idp, Auth::Basic("new-svc", "new-svc-secret"), &form).await;
    assert_eq!(status, 200);

    assert_eq!(delete(&idp, "clients/new-svc").await.0, 204);
    assert_eq!(get(&idp, "clients/new-svc").await.0, 404);
    assert_eq!(delete(&idp, "clients/new-svc").await.0, 404);
    let (status, body, _) = token(&idp, Auth::Basic("new-svc", "new-svc-secret"), &form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn invalid_client_is_400_naming_the_problem() {
    let idp = start().await;
    for (body, names) in [
        (json!({"client_id": "c1"}), "redirect_uris"),
        (
            json!({"client_id": "c1", "client_secret": "s", "token_endpoint_auth_method": "none", "redirect_uris": [REDIRECT]}),
            "client_secret",
        ),
        (
            json!({"client_id": "c1", "token_endpoint_auth_method": "client_secret_post", "redirect_uris": [REDIRECT]}),
            "client_secret",
        ),
        (
            json!({"client_id": "c1", "redirect_uris": ["https://rp.example/cb#x"]}),
            "redirect_uris[0]",
        ),
        (
            json!({"client_id": "", "redirect_uris": [REDIRECT]}),
            "client_id",
        ),
        (
            json!({"client_id": "c1", "grant_types": ["client_credentials"]}),
            "client_credentials",
        ),
    ] {
        let (status, answer) = post(&idp, "clients", body.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_client_metadata")),
            "{body}"
        );
        let d = answer["error_description"].as_str().unwrap();
        assert!(d.contains(names), "{body} -> {d}");
    }
    assert!(idp.state().registry.client("c1").is_none());
}

#[tokio::test]
async fn malformed_client_is_400_naming_the_field() {
    let idp = start().await;
    let (status, answer) = post(
        &idp,
        "clients",
        json!({"client_id": "c1", "redirect_uris": [REDIRECT], "grant_types": ["implicit"]}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"], "invalid_request");
    assert!(
        answer["error_description"]
            .as_str()
            .unwrap()
            .contains("grant_types")
    );
}

#[tokio::test]
async fn rotated_key_is_published_and_the_old_one_kept_during_the_overlap() {
    let idp = start().await;
    let old = active_kid(&idp);
    let (status, rotated) = post(&idp, "keys/rotate", json!({})).await;
    assert_eq!(status, 201, "{rotated}");
    let new = rotated["kid"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    assert_eq!(active_kid(&idp), new);
    assert_eq!(jwks_kids(&idp).await, vec![new.clone(), old.clone()]);
    let (_, keys) = get(&idp, "keys").await;
    assert_eq!(keys["active"], json!(new));

    idp.state().clock.advance(24 * 3600 - 1);
    assert_eq!(jwks_kids(&idp).await, vec![new.clone(), old]);
    idp.state().clock.advance(1);
    assert_eq!(jwks_kids(&idp).await, vec![new]);
}

#[tokio::test]
async fn rotation_with_alg_kid_and_overlap() {
    let idp = start().await;
    let old = active_kid(&idp);
    let (status, rotated) = post(
        &idp,
        "keys/rotate",
        json!({"alg": "RS256", "kid": "rsa-2", "overlap": 60}),
    )
    .await;
    assert_eq!(status, 201, "{rotated}");
    assert_eq!(rotated["kid"], "rsa-2");
    assert_eq!(rotated["jwk"]["kty"], "RSA");
    idp.state().clock.advance(60);
    assert_eq!(jwks_kids(&idp).await, vec!["rsa-2".to_string()]);
    assert!(!jwks_kids(&idp).await.contains(&old));
}

#[tokio::test]
async fn rotation_with_a_kid_in_use_is_409() {
    let idp = start().await;
    let old = active_kid(&idp);
    let (status, body) = post(&idp, "keys/rotate", json!({"kid": old})).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(active_kid(&idp), old);
}

#[tokio::test]
async fn rotation_with_a_huge_overlap_does_not_crash() {
    let idp = start().await;
    let old = active_kid(&idp);
    let (status, _) = post(&idp, "keys/rotate", json!({"overlap": i64::MAX})).await;
    assert_eq!(status, 201);
    idp.state().clock.advance(10 * 365 * 24 * 3600);
    assert!(jwks_kids(&idp).await.contains(&old));
}

#[tokio::test]
async fn tokens_of_a_retired_key_are_refused_after_the_overlap() {
    let idp = start().await;
    let at = access_token(&idp).await;
    post(&idp, "keys/rotate", json!({"overlap": 60})).await;
    assert_eq!(userinfo_status(&idp, &at).await, 200, "during the overlap");
    idp.state().clock.advance(60);
    assert_eq!(userinfo_status(&idp, &at).await, 401);
}

#[tokio::test]
async fn deleting_a_non_active_key_unpublishes_it_and_refuses_its_tokens() {
    let idp = start().await;
    let old = active_kid(&idp);
    let at = access_token(&idp).await;
    let (_, rotated) = post(&idp, "keys/rotate", json!({})).await;
    let new = rotated["kid"].as_str().unwrap().to_string();
    assert_eq!(userinfo_status(&idp, &at).await, 200);

    assert_eq!(delete(&idp, &format!("keys/{old}")).await.0, 204);
    assert_eq!(jwks_kids(&idp).await, vec![new.clone()]);
    assert_eq!(userinfo_status(&idp, &at).await, 401);
    assert_eq!(api_me(&idp, &at).await.status(), 401);
    let fresh = access_token(&idp).await;
    assert_eq!(userinfo_status(&idp, &fresh).await, 200);

    assert_eq!(delete(&idp, &format!("keys/{old}")).await.0, 404);
}

#[tokio::test]
async fn deleting_the_active_key_is_409() {
    let idp = start().await;
    let kid = active_kid(&idp);
    let (status, body) = delete(&idp, &format!("keys/{kid}")).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(jwks_kids(&idp).await, vec![kid]);
}

#[tokio::test]
async fn reset_restores_the_configuration() {
    let idp = start().await;
    let kid = active_kid(&idp);
    post(&idp, "users", json!({"username": "carol"})).await;
    delete(&idp, "users/bob").await;
    delete(&idp, "clients/conf").await;
    post(&idp, "faults/drop-state", json!({})).await;
    post(&idp, "keys/rotate", json!({})).await;
    post(&idp, "clock", json!({"advance": 100_000})).await;

    let (status, body) = post(&idp, "reset", json!({})).await;
    assert_eq!((status, body), (200, json!({"reset": true})));
    let s = idp.state();
    assert!(s.registry.user("carol").is_none());
    assert!(s.registry.user("bob").is_some());
    assert!(s.registry.client("conf").is_some());
    assert!(s.faults.enabled().is_empty());
    assert_eq!(active_kid(&idp), kid);
    assert_eq!(jwks_kids(&idp).await, vec![kid]);
    let (_, clock) = get(&idp, "clock").await;
    assert_eq!(
        (clock["now"].as_i64(), clock["frozen"].as_bool()),
        (Some(1_800_000_000), Some(true)),
        "a clock that started frozen is frozen at its start again: {clock}"
    );
    let code = code_for(&idp, "conf", &[]).await;
    assert_eq!(redeem(&idp, &code).await.0, 200, "conf works again");
}

#[tokio::test]
async fn reset_forgets_codes() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    post(&idp, "reset", json!({})).await;
    let (status, body, _) = redeem(&idp, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn journal_filters_by_client_and_user() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[("login_hint", "bob")]).await;
    redeem(&idp, &code).await;
    token(
        &idp,
        Auth::Basic("service", SERVICE_SECRET),
        &[("grant_type", "client_credentials")],
    )
    .await;

    let conf = journal(&idp, "client_id=conf").await;
    assert!(!conf.is_empty());
    assert!(conf.iter().all(|e| e["client_id"] == "conf"));
    assert!(conf.iter().any(|e| e["code"] == "token_issued"));
    let service = journal(&idp, "client_id=service").await;
    assert!(service.iter().all(|e| e["client_id"] == "service"));
    assert!(service.iter().any(|e| e["code"] == "token_issued"));
    let bob = journal(&idp, "user=bob").await;
    assert!(!bob.is_empty());
    assert!(bob.iter().all(|e| e["user"] == "bob"));
    assert!(journal(&idp, "user=alice").await.is_empty());
    let both = journal(&idp, "client_id=conf&user=bob&code=token_issued").await;
    assert_eq!(both.len(), 1, "{both:?}");
    let limited = journal(&idp, "limit=2").await;
    assert_eq!(limited.len(), 2);
}

#[tokio::test]
async fn journal_with_a_bad_filter_is_400() {
    let idp = start().await;
    for q in ["limit=many", "since=-1", "colour=red", "outcome=maybe"] {
        let (status, body) = get(&idp, &format!("journal?{q}")).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_request")),
            "{q}"
        );
    }
}

fn config_with_admin_token() -> Config {
    let yaml = "listen: 127.0.0.1:0\nadmin_token: secret\nusers: [{username: alice}]\n";
    Config::from_yaml(yaml, "admin-token-config", &|_| None).unwrap()
}

#[tokio::test]
async fn admin_token_is_required_when_configured() {
    let idp = start_config(config_with_admin_token()).await;
    let url = format!("{}/_admin/clock", idp.url());
    let send = |auth: Option<&'static str>| {
        let mut req = http().get(&url);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        req.send()
    };
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Bearer secret2"),
        Some("Bearer secre"),
        Some("Basic secret"),
        Some("secret"),
    ] {
        let resp = send(auth).await.unwrap();
        assert_eq!(resp.status(), 401, "{auth:?}");
        assert!(
            resp.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"], "invalid_token");
    }
    let resp = send(Some("Bearer secret")).await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = send(Some("bearer secret")).await.unwrap();
    assert_eq!(resp.status(), 200, "the scheme is case-insensitive");
    assert_eq!(
        idp.state()
            .journal
            .query(&mock_idp::journal::Filter {
                code: Some("admin_forbidden".into()),
                ..Default::default()
            })
            .len(),
        6
    );
}

#[tokio::test]
async fn wrong_admin_token_changes_nothing() {
    let idp = start_config(config_with_admin_token()).await;
    let resp = http()
        .post(format!("{}/_admin/clock", idp.url()))
        .bearer_auth("wrong")
        .json(&json!({"advance": 1000}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let resp = http()
        .post(format!("{}/_admin/reset", idp.url()))
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(idp.state().now(), 1_800_000_000);
    let resp = http()
        .post(format!("{}/_admin/clock", idp.url()))
        .bearer_auth("secret")
        .json(&json!({"advance": 1000}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(idp.state().now(), 1_800_001_000);
}

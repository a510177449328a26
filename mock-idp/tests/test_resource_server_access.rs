//! What the reference resource server lets a valid caller do, over real HTTP: scopes (RFC 6750
//! §3.1 `insufficient_scope`), the workspace role matrix, non-members, request bodies, the
//! `auth_enabled` and `insecure_quickstart` switches, API keys in their four schemes, HTTP Basic
//! (RFC 7617); each `rs-*` fault flipping the behaviour it bends; and no secret in the journal.

mod rs_common;

use mock_idp::Fault;
use mock_idp::MockIdp;
use mock_idp::config::{ApiKeyConfig, ApiKeyScheme};
use mock_idp::mint::{Flaw, MintRequest};
use protocol::dpop::{ProofKey, ProofSpec};
use reqwest::Method;
use rs_common::*;
use serde_json::{Value, json};

/// One call of the workspace API and the status it answers when allowed.
struct Op {
    name: &'static str,
    method: Method,
    path: String,
    body: Option<Value>,
}

impl Op {
    async fn send(&self, idp: &MockIdp, token: &str) -> Answer {
        let mut req = call(idp, self.method.clone(), &self.path, Some(token));
        if let Some(b) = &self.body {
            req = req.json(b);
        }
        send(req).await
    }
}

/// The seven operations on `ws`, deleting last so that the others find item-1.
fn ops(ws: &str) -> Vec<Op> {
    let op = |name, method, path: &str, body| Op {
        name,
        method,
        path: format!("/api/workspaces/{ws}{path}"),
        body,
    };
    vec![
        op("list_items", Method::GET, "/items", None),
        op("read_item", Method::GET, "/items/item-1", None),
        op(
            "create_item",
            Method::POST,
            "/items",
            Some(json!({"title": "x"})),
        ),
        op(
            "update_item",
            Method::PUT,
            "/items/item-1",
            Some(json!({"title": "y"})),
        ),
        op("list_members", Method::GET, "/members", None),
        op(
            "manage_members",
            Method::PUT,
            "/members/carol",
            Some(json!({"role": "viewer"})),
        ),
        op("delete_item", Method::DELETE, "/items/item-1", None),
    ]
}

/// Each role's answers to [`ops`], in order:
/// list_items, read_item, create_item, update_item, list_members, manage_members, delete_item.
const ROLE_MATRIX: &[(&str, [u16; 7])] = &[
    ("viewer", [200, 200, 403, 403, 200, 403, 403]),
    ("editor", [200, 200, 201, 200, 200, 403, 204]),
    ("admin", [200, 200, 201, 200, 200, 200, 204]),
];

fn alice_as(role: &str, scope: &str) -> MintRequest {
    request("alice", scope, json!({ "ws-alice": role }))
}

#[tokio::test]
async fn each_role_may_do_exactly_its_operations() {
    for (role, expected) in ROLE_MATRIX {
        let idp = start().await;
        let token = mint(&idp, &alice_as(role, ALL_SCOPES));
        for (op, want) in ops("ws-alice").iter().zip(expected) {
            let a = op.send(&idp, &token).await;
            assert_eq!(a.status, *want, "{role} {}: {}", op.name, a.text);
            if a.status == 403 {
                assert_eq!(a.body["error"], "forbidden", "{role} {}", op.name);
                assert_eq!(last_refusal(&idp).await, "role_too_low");
            }
        }
    }
}

#[tokio::test]
async fn allowed_operations_change_the_workspace() {
    let idp = start().await;
    let token = mint(&idp, &alice_as("admin", ALL_SCOPES));
    let [list, read, create, update, members, manage, delete] =
        <[Op; 7]>::try_from(ops("ws-alice")).ok().unwrap();
    assert_eq!(
        create.send(&idp, &token).await.body,
        json!({"workspace": "ws-alice", "id": "new-1", "title": "x"})
    );
    assert_eq!(
        update.send(&idp, &token).await.body,
        json!({"workspace": "ws-alice", "id": "item-1", "title": "y"})
    );
    assert_eq!(read.send(&idp, &token).await.body["title"], "y");
    assert_eq!(
        manage.send(&idp, &token).await.body,
        json!({"workspace": "ws-alice", "username": "carol", "role": "viewer"})
    );
    assert_eq!(
        members.send(&idp, &token).await.body["members"],
        json!([{"username": "carol", "role": "viewer"}])
    );
    assert_eq!(delete.send(&idp, &token).await.status, 204);
    assert_eq!(read.send(&idp, &token).await.status, 404);
    assert_eq!(
        list.send(&idp, &token).await.body["items"],
        json!([{"workspace": "ws-alice", "id": "new-1", "title": "x"}])
    );
}

#[tokio::test]
async fn refused_writes_leave_the_workspace_unchanged() {
    let idp = start().await;
    let viewer = mint(&idp, &alice_as("viewer", ALL_SCOPES));
    for op in ops("ws-alice") {
        op.send(&idp, &viewer).await;
    }
    let list = get(&idp, "/api/workspaces/ws-alice/items", &viewer).await;
    assert_eq!(
        list.body["items"],
        json!([{"workspace": "ws-alice", "id": "item-1", "title": "Alice's notes"}])
    );
    let members = get(&idp, "/api/workspaces/ws-alice/members", &viewer).await;
    assert_eq!(members.body["members"], json!([]));
}

#[tokio::test]
async fn a_missing_scope_is_insufficient_scope_naming_the_scope() {
    let idp = start().await;
    // (scopes held, operation, the scope the challenge must name)
    let cases = [
        ("", "read_item", "workspace:read"),
        ("workspace:write", "list_members", "workspace:read"),
        ("workspace:read", "create_item", "workspace:write"),
        ("workspace:read", "update_item", "workspace:write"),
        (
            "workspace:read workspace:admin",
            "delete_item",
            "workspace:write",
        ),
        (
            "workspace:read workspace:write",
            "manage_members",
            "workspace:admin",
        ),
    ];
    for (held, op_name, needed) in cases {
        let token = mint(&idp, &alice_as("admin", held));
        let op = ops("ws-alice")
            .into_iter()
            .find(|o| o.name == op_name)
            .unwrap();
        let a = op.send(&idp, &token).await;
        assert_eq!(a.status, 403, "{op_name} with {held:?}: {}", a.text);
        assert_eq!(
            a.www.as_deref(),
            Some(
                format!(
                    "Bearer realm=\"{}/api\", error=\"insufficient_scope\", scope=\"{needed}\"",
                    idp.url()
                )
                .as_str()
            ),
            "{op_name} with {held:?}"
        );
        assert_eq!(
            a.body,
            json!({"error": "insufficient_scope", "scope": needed})
        );
        assert_eq!(last_refusal(&idp).await, "insufficient_scope");
    }
}

#[tokio::test]
async fn scopes_may_come_as_an_scp_list() {
    let idp = start().await;
    let mut req = alice_as("editor", "");
    req.scope = None;
    req.claims
        .insert("scp".into(), json!(["workspace:read", "workspace:write"]));
    let token = mint(&idp, &req);
    let create = ops("ws-alice")
        .into_iter()
        .find(|o| o.name == "create_item")
        .unwrap();
    assert_eq!(create.send(&idp, &token).await.status, 201);
}

#[tokio::test]
async fn a_non_member_gets_404_and_no_data() {
    let idp = start().await;
    let bob = mint(
        &idp,
        &request("bob", ALL_SCOPES, json!({"ws-bob": "admin"})),
    );
    for op in ops("ws-alice") {
        let a = op.send(&idp, &bob).await;
        assert_eq!(a.status, 404, "bob {}: {}", op.name, a.text);
        assert_eq!(a.body["error"], "not_found");
        assert!(
            !a.text.contains("Alice") && !a.text.contains("item-1"),
            "bob {}: {}",
            op.name,
            a.text
        );
        assert_eq!(last_refusal(&idp).await, "not_a_member");
    }
    // Nothing bob sent reached alice's workspace.
    let alice = mint(&idp, &alice());
    let list = get(&idp, "/api/workspaces/ws-alice/items", &alice).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    // A workspace that exists is answered like one that does not.
    let existing = get(&idp, ITEM_1, &bob).await;
    let missing = get(&idp, "/api/workspaces/ws-nowhere/items/item-1", &bob).await;
    assert_eq!(existing.status, missing.status);
    assert_eq!(
        existing.text.replace("ws-alice", "WS"),
        missing.text.replace("ws-nowhere", "WS")
    );
    // bob sees only his own workspace listed.
    let listed = get(&idp, "/api/workspaces", &bob).await;
    assert_eq!(
        listed.body,
        json!({"workspaces": [{"id": "ws-bob", "role": "admin"}]})
    );
}

#[tokio::test]
async fn listing_workspaces_needs_the_read_scope() {
    let idp = start().await;
    let no_scope = mint(&idp, &alice_as("viewer", ""));
    let a = get(&idp, "/api/workspaces", &no_scope).await;
    assert_eq!(a.status, 403, "{}", a.text);
    assert_eq!(a.challenge_error(), Some("insufficient_scope"));
    let read = mint(&idp, &alice_as("viewer", "workspace:read"));
    let a = get(&idp, "/api/workspaces", &read).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        a.body,
        json!({"workspaces": [{"id": "ws-alice", "role": "viewer"}]})
    );
}

#[tokio::test]
async fn roles_may_come_as_a_list_of_workspace_role_strings() {
    let idp = start().await;
    let token = mint(
        &idp,
        &request("alice", ALL_SCOPES, json!(["ws-alice:editor"])),
    );
    let answers: Vec<u16> = {
        let mut out = Vec::new();
        for op in ops("ws-alice") {
            out.push(op.send(&idp, &token).await.status);
        }
        out
    };
    let editor = ROLE_MATRIX.iter().find(|(r, _)| *r == "editor").unwrap().1;
    assert_eq!(answers, editor);
}

#[tokio::test]
async fn a_bad_body_is_400_naming_what_to_send() {
    let idp = start().await;
    let token = mint(&idp, &alice_as("admin", ALL_SCOPES));
    let items = "/api/workspaces/ws-alice/items";
    // (method, path, body, what the description must name)
    let cases = [
        (Method::POST, items, "not json", "{\"title\": \"...\"}"),
        (Method::POST, items, "{}", "title"),
        (Method::POST, items, "{\"title\": \"\"}", "title"),
        (Method::PUT, ITEM_1, "{\"title\": ", "{\"title\": \"...\"}"),
        (Method::PUT, ITEM_1, "{\"title\": 7}", "title"),
        (
            Method::PUT,
            "/api/workspaces/ws-alice/members/carol",
            "{\"role\": \"owner\"}",
            "\"viewer\" | \"editor\" | \"admin\"",
        ),
    ];
    for (method, path, body, names) in cases {
        let req = call(&idp, method.clone(), path, Some(&token))
            .header("content-type", "application/json")
            .body(body);
        let a = send(req).await;
        assert_eq!(a.status, 400, "{method} {path} {body:?}: {}", a.text);
        assert_eq!(a.body["error"], "invalid_request");
        let description = a.body["error_description"].as_str().unwrap_or_default();
        assert!(
            description.contains(names),
            "{method} {path} {body:?}: {description}"
        );
    }
}

#[tokio::test]
async fn with_auth_disabled_a_request_without_credentials_gets_through() {
    let mut config = config();
    config.resource_server.auth_enabled = false;
    let idp = start_config(config).await;
    let read = send(call(&idp, Method::GET, ITEM_1, None)).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body["title"], "Alice's notes");
    let create = call(&idp, Method::POST, "/api/workspaces/ws-bob/items", None)
        .json(&json!({"title": "anyone"}));
    assert_eq!(send(create).await.status, 201);
    let keyed = send(call(&idp, Method::GET, "/api/keyed/bearer", None)).await;
    assert_eq!(keyed.status, 200);
    let basic = send(call(&idp, Method::GET, "/api/basic", None)).await;
    assert_eq!(basic.body, json!({"username": "anonymous"}));
}

#[tokio::test]
async fn only_insecure_quickstart_accepts_an_unsigned_token() {
    let mut quickstart = config();
    quickstart.resource_server.insecure_quickstart = true;
    let idp = start_config(quickstart).await;
    let unsigned = mint(&idp, &alice_with(Flaw::Unsigned));
    let a = read_item_1(&idp, &unsigned).await;
    assert_eq!(a.status, 200, "{}", a.text);
    // The claims are still checked.
    let expired = MintRequest {
        expires_in: Some(-600),
        ..alice_with(Flaw::Unsigned)
    };
    assert_eq!(read_item_1(&idp, &mint(&idp, &expired)).await.status, 401);
    assert_eq!(last_refusal(&idp).await, "token_expired");

    let strict = start().await;
    let unsigned = mint(&strict, &alice_with(Flaw::Unsigned));
    let a = read_item_1(&strict, &unsigned).await;
    assert_eq!(a.status, 401, "{}", a.text);
    assert_eq!(a.challenge_error(), Some("invalid_token"));
    assert_eq!(last_refusal(&strict).await, "alg_none");
}

fn api_keys() -> Vec<ApiKeyConfig> {
    config().resource_server.api_keys
}

/// `value` where `key`'s scheme says an API key travels.
fn in_position_of(key: &ApiKeyConfig, value: &str) -> (String, String) {
    match key.scheme {
        ApiKeyScheme::Bearer => ("authorization".into(), format!("Bearer {value}")),
        ApiKeyScheme::Basic => ("authorization".into(), format!("Basic {value}")),
        ApiKeyScheme::XApiKey => ("x-api-key".into(), value.into()),
        ApiKeyScheme::Custom => (
            key.header
                .clone()
                .expect("the custom scheme names its header"),
            format!("{}{value}", key.prefix.as_deref().unwrap_or("")),
        ),
    }
}

async fn keyed(idp: &MockIdp, name: &str, header: Option<(String, String)>) -> Answer {
    let mut req = call(idp, Method::GET, &format!("/api/keyed/{name}"), None);
    if let Some((h, v)) = header {
        req = req.header(h, v);
    }
    send(req).await
}

#[tokio::test]
async fn each_api_key_counts_only_in_its_own_schemes_header() {
    let idp = start().await;
    let keys = api_keys();
    assert_eq!(
        keys.iter().map(|k| k.scheme.as_str()).collect::<Vec<_>>(),
        ["bearer", "x_api_key", "basic", "custom"]
    );
    for key in &keys {
        for position in &keys {
            let a = keyed(&idp, &key.name, Some(in_position_of(position, &key.key))).await;
            let want = if position.name == key.name { 200 } else { 401 };
            assert_eq!(
                a.status, want,
                "{}'s key where {} puts it: {}",
                key.name, position.name, a.text
            );
            if want == 200 {
                assert_eq!(
                    a.body,
                    json!({"key": key.name, "scheme": key.scheme.as_str()})
                );
            } else {
                assert!(a.www.is_some(), "{} without a challenge", key.name);
            }
        }
    }
}

#[tokio::test]
async fn a_wrong_or_missing_api_key_gets_401_with_a_challenge() {
    let idp = start().await;
    // (endpoint, challenge to a wrong key, challenge to no key)
    let challenges = [
        (
            "bearer",
            "Bearer realm=\"mock-idp\", error=\"invalid_token\", error_description=\"the API key is not valid\"",
            "Bearer realm=\"mock-idp\"",
        ),
        (
            "x-api-key",
            "ApiKey realm=\"mock-idp\", header=\"X-API-Key\"",
            "ApiKey realm=\"mock-idp\", header=\"X-API-Key\"",
        ),
        (
            "basic",
            "Basic realm=\"mock-idp\", charset=\"UTF-8\"",
            "Basic realm=\"mock-idp\", charset=\"UTF-8\"",
        ),
        (
            "custom",
            "ApiKey realm=\"mock-idp\", header=\"X-Custom-Auth\"",
            "ApiKey realm=\"mock-idp\", header=\"X-Custom-Auth\"",
        ),
    ];
    let keys = api_keys();
    for (name, wrong_challenge, missing_challenge) in challenges {
        let key = keys.iter().find(|k| k.name == name).unwrap();
        let wrong = keyed(&idp, name, Some(in_position_of(key, "wrong-key-value"))).await;
        assert_eq!(wrong.status, 401, "{name}: {}", wrong.text);
        assert_eq!(wrong.www.as_deref(), Some(wrong_challenge), "{name}");
        assert_eq!(wrong.body["error"], "invalid_api_key");
        let missing = keyed(&idp, name, None).await;
        assert_eq!(missing.status, 401, "{name}: {}", missing.text);
        assert_eq!(missing.www.as_deref(), Some(missing_challenge), "{name}");
        assert_eq!(missing.body["error"], "missing_api_key");
    }
    let unknown = keyed(&idp, "nope", None).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn http_basic_takes_the_right_password_only() {
    let idp = start().await;
    let basic = |user: &str, password: &str| {
        call(&idp, Method::GET, "/api/basic", None).basic_auth(user, Some(password))
    };
    let right = send(basic("svc", "svc-password")).await;
    assert_eq!(right.status, 200, "{}", right.text);
    assert_eq!(right.body, json!({"username": "svc"}));
    let challenge = "Basic realm=\"mock-idp\", charset=\"UTF-8\"";
    for (user, password) in [
        ("svc", "wrong-password"),
        ("nobody", "svc-password"),
        ("svc", ""),
    ] {
        let a = send(basic(user, password)).await;
        assert_eq!(a.status, 401, "{user}:{password}");
        assert_eq!(a.www.as_deref(), Some(challenge));
        assert_eq!(a.body["error"], "invalid_credentials");
    }
    let missing = send(call(&idp, Method::GET, "/api/basic", None)).await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.www.as_deref(), Some(challenge));
    assert_eq!(missing.body["error"], "missing_credentials");
    let bearer = send(call(&idp, Method::GET, "/api/basic", Some("svc-password"))).await;
    assert_eq!(bearer.status, 401);
    assert_eq!(bearer.www.as_deref(), Some(challenge));
}

/// What a probe sees: the status and the `error` attribute of the challenge.
type Seen = (u16, Option<&'static str>);

const INVALID: Seen = (401, Some("invalid_token"));

/// Each `rs-*` fault: what its probe sees with the fault off, and with it on.
const RS_FAULTS: &[(&str, Seen, Seen)] = &[
    ("rs-accept-expired", INVALID, (200, None)),
    ("rs-excess-leeway", INVALID, (200, None)),
    ("rs-ignore-nbf", INVALID, (200, None)),
    ("rs-accept-missing-exp", INVALID, (200, None)),
    ("rs-skip-issuer-check", INVALID, (200, None)),
    ("rs-skip-audience-check", INVALID, (200, None)),
    ("rs-skip-signature-check", INVALID, (200, None)),
    ("rs-accept-alg-none", INVALID, (200, None)),
    ("rs-accept-unknown-kid", INVALID, (200, None)),
    ("rs-hs256-confusion", INVALID, (200, None)),
    ("rs-skip-typ-check", INVALID, (200, None)),
    ("rs-no-jwks-refetch", (200, None), INVALID),
    ("rs-keep-removed-keys", INVALID, (200, None)),
    (
        "rs-skip-scope-check",
        (403, Some("insufficient_scope")),
        (201, None),
    ),
    ("rs-viewer-can-write", (403, None), (201, None)),
    ("rs-editor-is-admin", (403, None), (200, None)),
    ("rs-cross-workspace", (404, None), (200, None)),
    ("rs-accept-dpop-token-as-bearer", INVALID, (200, None)),
    (
        "rs-skip-dpop-proof",
        (401, Some("invalid_dpop_proof")),
        (200, None),
    ),
    (
        "rs-skip-dpop-ath",
        (401, Some("invalid_dpop_proof")),
        (200, None),
    ),
    ("rs-skip-dpop-key-binding", INVALID, (200, None)),
    ("rs-accept-query-token", (401, None), (200, None)),
    ("rs-bearer-case-sensitive", (200, None), (401, None)),
    ("rs-error-without-credentials", (401, None), INVALID),
    ("rs-500-on-malformed", INVALID, (500, None)),
    ("rs-api-key-any-header", (401, None), (200, None)),
    ("rs-accept-any-api-key", INVALID, (200, None)),
    ("rs-basic-any-password", (401, None), (200, None)),
];

/// The request that shows what `fault` bends.
async fn probe(idp: &MockIdp, fault: &str) -> Answer {
    let flawed = |flaw| mint(idp, &alice_with(flaw));
    let create = |role: &str, scope: &str| {
        let token = mint(idp, &alice_as(role, scope));
        call(
            idp,
            Method::POST,
            "/api/workspaces/ws-alice/items",
            Some(&token),
        )
        .json(&json!({"title": "x"}))
    };
    let key = |name: &str| api_keys().into_iter().find(|k| k.name == name).unwrap();
    match fault {
        "rs-accept-expired" => read_item_1(idp, &flawed(Flaw::Expired)).await,
        "rs-excess-leeway" => {
            let a_minute_ago = MintRequest {
                expires_in: Some(-60),
                ..alice()
            };
            read_item_1(idp, &mint(idp, &a_minute_ago)).await
        }
        "rs-ignore-nbf" => read_item_1(idp, &flawed(Flaw::NotYetValid)).await,
        "rs-accept-missing-exp" => read_item_1(idp, &flawed(Flaw::MissingExp)).await,
        "rs-skip-issuer-check" => read_item_1(idp, &flawed(Flaw::WrongIssuer)).await,
        "rs-skip-audience-check" => read_item_1(idp, &flawed(Flaw::WrongAudience)).await,
        "rs-skip-signature-check" => read_item_1(idp, &flawed(Flaw::BadSignature)).await,
        "rs-accept-alg-none" => read_item_1(idp, &flawed(Flaw::AlgNone)).await,
        "rs-accept-unknown-kid" => read_item_1(idp, &flawed(Flaw::UnknownKid)).await,
        "rs-hs256-confusion" => read_item_1(idp, &flawed(Flaw::Hs256PublicKey)).await,
        "rs-skip-typ-check" => read_item_1(idp, &flawed(Flaw::WrongTyp)).await,
        "rs-no-jwks-refetch" => {
            let primed = read_item_1(idp, &signed_by(idp, BUILTIN_KID)).await;
            assert_eq!(primed.status, 200, "{}", primed.text);
            rotate(idp, "second").await;
            read_item_1(idp, &signed_by(idp, "second")).await
        }
        "rs-keep-removed-keys" => {
            rotate(idp, "successor").await;
            let old = signed_by(idp, BUILTIN_KID);
            assert_eq!(read_item_1(idp, &old).await.status, 200);
            remove_key(idp, BUILTIN_KID).await;
            advance(idp, idp.state().config.resource_server.jwks_cache_ttl).await;
            read_item_1(idp, &old).await
        }
        "rs-skip-scope-check" => send(create("editor", "workspace:read")).await,
        "rs-viewer-can-write" => send(create("viewer", ALL_SCOPES)).await,
        "rs-editor-is-admin" => {
            let token = mint(idp, &alice_as("editor", ALL_SCOPES));
            let path = "/api/workspaces/ws-alice/members/carol";
            send(call(idp, Method::PUT, path, Some(&token)).json(&json!({"role": "viewer"}))).await
        }
        "rs-cross-workspace" => {
            let bob = request("bob", ALL_SCOPES, json!({"ws-bob": "viewer"}));
            read_item_1(idp, &mint(idp, &bob)).await
        }
        "rs-accept-query-token" => {
            let token = mint(idp, &alice());
            send(call(idp, Method::GET, ITEM_1, None).query(&[("access_token", token)])).await
        }
        "rs-bearer-case-sensitive" => {
            let token = mint(idp, &alice());
            let req = call(idp, Method::GET, ITEM_1, None)
                .header("authorization", format!("bearer {token}"));
            send(req).await
        }
        "rs-error-without-credentials" => send(call(idp, Method::GET, ITEM_1, None)).await,
        "rs-500-on-malformed" => read_item_1(idp, "abc").await,
        "rs-api-key-any-header" => {
            let bearer = key("bearer");
            let elsewhere = in_position_of(&key("x-api-key"), &bearer.key);
            keyed(idp, "bearer", Some(elsewhere)).await
        }
        "rs-accept-any-api-key" => {
            let wrong = in_position_of(&key("bearer"), "wrong-key-value");
            keyed(idp, "bearer", Some(wrong)).await
        }
        "rs-basic-any-password" => {
            let req = call(idp, Method::GET, "/api/basic", None)
                .basic_auth("svc", Some("wrong-password"));
            send(req).await
        }
        "rs-accept-dpop-token-as-bearer" => {
            let (token, _) = dpop_bound(idp);
            read_item_1(idp, &token).await
        }
        "rs-skip-dpop-proof" => {
            let (token, _) = dpop_bound(idp);
            send(
                call(idp, Method::GET, ITEM_1, None)
                    .header("authorization", format!("DPoP {token}")),
            )
            .await
        }
        "rs-skip-dpop-ath" => {
            let (token, key) = dpop_bound(idp);
            let other = mint(idp, &alice());
            dpop_call(idp, &token, &key, &other).await
        }
        "rs-skip-dpop-key-binding" => {
            let (token, _) = dpop_bound(idp);
            dpop_call(idp, &token, &ProofKey::generate(), &token).await
        }
        other => panic!("no probe for fault {other}; add one to RS_FAULTS and probe"),
    }
}

#[tokio::test]
async fn each_rs_fault_flips_the_behaviour_it_bends() {
    let mut listed: Vec<&str> = RS_FAULTS.iter().map(|(name, _, _)| *name).collect();
    let mut rs_faults: Vec<&str> = Fault::ALL
        .iter()
        .filter(|f| f.role() == "rs")
        .map(|f| f.name())
        .collect();
    listed.sort_unstable();
    rs_faults.sort_unstable();
    assert_eq!(listed, rs_faults, "RS_FAULTS must list every rs-* fault");

    for (fault, off, on) in RS_FAULTS {
        let idp = start().await;
        let a = probe(&idp, fault).await;
        assert_eq!(
            (a.status, a.challenge_error()),
            *off,
            "{fault} off: {}",
            a.text
        );
        let idp = start().await;
        fault_on(&idp, fault).await;
        let a = probe(&idp, fault).await;
        assert_eq!(
            (a.status, a.challenge_error()),
            *on,
            "{fault} on: {}",
            a.text
        );
    }
}

#[tokio::test]
async fn no_key_password_or_token_reaches_the_journal() {
    let idp = start().await;
    let mut secrets: Vec<String> = Vec::new();
    for key in api_keys() {
        for position in api_keys() {
            keyed(&idp, &key.name, Some(in_position_of(&position, &key.key))).await;
        }
        keyed(
            &idp,
            &key.name,
            Some(in_position_of(&key, "wrong-key-value-1")),
        )
        .await;
        secrets.push(key.key);
    }
    secrets.push("wrong-key-value-1".into());
    for (user, password) in [("svc", "svc-password"), ("svc", "wrong-password-2")] {
        let req = call(&idp, Method::GET, "/api/basic", None).basic_auth(user, Some(password));
        send(req).await;
        secrets.push(password.into());
    }
    let mut tokens = vec![mint(&idp, &alice())];
    tokens.extend(Flaw::ALL.iter().map(|f| mint(&idp, &alice_with(*f))));
    for token in &tokens {
        read_item_1(&idp, token).await;
    }
    let in_query = mint(&idp, &alice());
    send(call(&idp, Method::GET, ITEM_1, None).query(&[("access_token", &in_query)])).await;
    tokens.push(in_query);
    for token in tokens {
        if let Some((_, signature)) = token.rsplit_once('.')
            && !signature.is_empty()
        {
            secrets.push(signature.to_string());
        }
        secrets.push(token);
    }

    let journal = send(call(&idp, Method::GET, "/_admin/journal", None)).await;
    assert_eq!(journal.status, 200);
    assert!(
        journal.body["entries"]
            .as_array()
            .is_some_and(|e| e.len() > 40),
        "the requests were journaled: {}",
        journal.text
    );
    for secret in &secrets {
        assert!(
            !journal.text.contains(secret.as_str()),
            "the journal holds {secret:?}"
        );
    }
}

/// A token of alice's bound to a new DPoP key (`cnf.jkt`), and the key.
fn dpop_bound(idp: &MockIdp) -> (String, ProofKey) {
    let key = ProofKey::generate();
    let mut req = alice();
    req.claims
        .insert("cnf".into(), json!({ "jkt": key.thumbprint() }));
    (mint(idp, &req), key)
}

/// Reads item 1 with `Authorization: DPoP <token>` and a proof by `key` whose `ath` is
/// `ath_of`'s hash.
async fn dpop_call(idp: &MockIdp, token: &str, key: &ProofKey, ath_of: &str) -> Answer {
    let proof = key.proof(&ProofSpec {
        htm: "GET".into(),
        htu: format!("{}{ITEM_1}", idp.url()),
        iat: idp.state().now(),
        access_token: Some(ath_of.to_string()),
        ..Default::default()
    });
    let req = call(idp, Method::GET, ITEM_1, None)
        .header("authorization", format!("DPoP {token}"))
        .header("dpop", proof);
    send(req).await
}

#[tokio::test]
async fn a_dpop_bound_token_works_with_a_valid_proof_only() {
    let idp = start().await;
    let (token, key) = dpop_bound(&idp);
    let ok = dpop_call(&idp, &token, &key, &token).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let www = |a: &Answer| a.www.clone().unwrap_or_default();
    let as_bearer = read_item_1(&idp, &token).await;
    assert_eq!((as_bearer.status, as_bearer.challenge_error()), INVALID);
    let no_proof = send(
        call(&idp, Method::GET, ITEM_1, None).header("authorization", format!("DPoP {token}")),
    )
    .await;
    assert_eq!(no_proof.status, 401);
    assert!(
        www(&no_proof).starts_with("DPoP ") && www(&no_proof).contains("algs=\""),
        "{}",
        www(&no_proof)
    );
    let other_key = dpop_call(&idp, &token, &ProofKey::generate(), &token).await;
    assert_eq!(
        (other_key.status, other_key.challenge_error()),
        (401, Some("invalid_token"))
    );
    // A bearer token with the DPoP scheme is not DPoP-bound.
    let plain = mint(&idp, &alice());
    let unbound = dpop_call(&idp, &plain, &key, &plain).await;
    assert_eq!(unbound.status, 401, "{}", unbound.text);
}

//! The protected MCP server at `/mcp`, driven by rmcp's own streamable-HTTP client (an
//! independent implementation) with tokens minted by the mock, plus raw HTTP for what a client
//! library hides: the 401 challenge, the protected resource metadata, step-up, sessions.

mod common;

use mock_idp::MockIdp;
use mock_idp::mint::{MintRequest, mint};
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, ClientConfig};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::{Value, json};

fn token(idp: &MockIdp, sub: &str, scope: &str, aud: &str) -> String {
    mint(
        idp.state(),
        &MintRequest {
            sub: Some(sub.into()),
            scope: Some(scope.into()),
            aud: Some(json!(aud)),
            ..Default::default()
        },
    )
    .unwrap()
    .token
}

fn mcp_url(idp: &MockIdp) -> String {
    format!("{}/mcp", idp.issuer())
}

async fn client(
    idp: &MockIdp,
    token: &str,
) -> Result<rmcp::service::RunningService<rmcp::RoleClient, ClientConfig>, String> {
    let transport = StreamableHttpClientTransport::from_config(
        StreamableHttpClientTransportConfig::with_uri(mcp_url(idp)).auth_header(token),
    );
    ClientConfig::default()
        .serve(transport)
        .await
        .map_err(|e| e.to_string())
}

fn text_of(result: &rmcp::model::CallToolResult) -> Value {
    let v = serde_json::to_value(result).unwrap();
    let text = v["content"][0]["text"]
        .as_str()
        .unwrap_or("null")
        .to_string();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[tokio::test]
async fn an_sdk_client_with_a_token_for_mcp_reaches_whoami_as_its_user() {
    let idp = common::start().await;
    let t = token(&idp, "alice", "mcp:read", &mcp_url(&idp));
    let c = client(&idp, &t).await.unwrap();
    let tools = c.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert!(
        names.contains(&"whoami") && names.contains(&"write_note"),
        "{names:?}"
    );
    let r = c
        .call_tool(CallToolRequestParams::new("whoami"))
        .await
        .unwrap();
    assert_eq!(text_of(&r)["sub"], "alice");
    assert_eq!(text_of(&r)["scope"], "mcp:read");
    let _ = c.cancel().await;
    assert!(common::journal_has(&idp, "whoami").await);
}

#[tokio::test]
async fn an_sdk_client_with_a_token_for_another_resource_cannot_connect() {
    let idp = common::start().await;
    let t = token(&idp, "alice", "mcp:read", &format!("{}/api", idp.issuer()));
    assert!(client(&idp, &t).await.is_err());
    assert!(common::journal_has(&idp, "wrong_audience").await);
}

async fn post(idp: &MockIdp, headers: &[(&str, &str)], body: Value) -> reqwest::Response {
    let mut req = common::http()
        .post(mcp_url(idp))
        .header("accept", "application/json, text/event-stream")
        .json(&body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn initialize() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"}}})
}

#[tokio::test]
async fn without_a_token_the_challenge_leads_to_correct_metadata() {
    let idp = common::start().await;
    let r = post(&idp, &[], initialize()).await;
    assert_eq!(r.status(), 401);
    let www = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!www.contains("error="), "{www}");
    let prm_url = format!("{}/.well-known/oauth-protected-resource/mcp", idp.issuer());
    assert!(
        www.contains(&format!("resource_metadata=\"{prm_url}\"")),
        "{www}"
    );
    assert!(www.contains("scope=\"mcp:read\""), "{www}");
    for url in [
        prm_url,
        format!("{}/.well-known/oauth-protected-resource", idp.issuer()),
    ] {
        let prm: Value = common::http()
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(prm["resource"], mcp_url(&idp));
        assert_eq!(prm["authorization_servers"], json!([idp.issuer()]));
    }
}

#[tokio::test]
async fn write_note_needs_the_write_scope_and_says_so() {
    let idp = common::start().await;
    let t = token(&idp, "alice", "mcp:read", &mcp_url(&idp));
    let bearer = format!("Bearer {t}");
    let r = post(&idp, &[("authorization", &bearer)], initialize()).await;
    let sid = r.headers()["mcp-session-id"].to_str().unwrap().to_string();
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "write_note", "arguments": {"text": "x"}}});
    let h = [
        ("authorization", bearer.as_str()),
        ("mcp-session-id", &sid),
        ("mcp-protocol-version", "2025-06-18"),
    ];
    let r = post(&idp, &h, call.clone()).await;
    assert_eq!(r.status(), 403);
    let www = r.headers()["www-authenticate"].to_str().unwrap();
    assert!(
        www.contains("error=\"insufficient_scope\"") && www.contains("mcp:write"),
        "{www}"
    );
    let t2 = token(&idp, "alice", "mcp:read mcp:write", &mcp_url(&idp));
    let c = client(&idp, &t2).await.unwrap();
    let mut args = serde_json::Map::new();
    args.insert("text".into(), json!("hello"));
    let r = c
        .call_tool(CallToolRequestParams::new("write_note").with_arguments(args))
        .await
        .unwrap();
    assert_eq!(text_of(&r)["saved"], 5);
    let _ = c.cancel().await;
}

#[tokio::test]
async fn a_session_answers_only_its_own_user_and_no_stream_opens_without_a_token() {
    let idp = common::start().await;
    let alice = format!(
        "Bearer {}",
        token(&idp, "alice", "mcp:read", &mcp_url(&idp))
    );
    let bob = format!("Bearer {}", token(&idp, "bob", "mcp:read", &mcp_url(&idp)));
    let r = post(&idp, &[("authorization", &alice)], initialize()).await;
    let sid = r.headers()["mcp-session-id"].to_str().unwrap().to_string();
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "whoami", "arguments": {}}});
    let r = post(
        &idp,
        &[("authorization", &bob), ("mcp-session-id", &sid)],
        call,
    )
    .await;
    assert_eq!(r.status(), 404);
    let stream = common::http()
        .get(mcp_url(&idp))
        .header("accept", "text/event-stream")
        .header("mcp-session-id", &sid)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 401);
    assert!(
        !stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("event-stream")
    );
}

#[tokio::test]
async fn foreign_origins_and_unknown_protocol_versions_are_refused() {
    let idp = common::start().await;
    let alice = format!(
        "Bearer {}",
        token(&idp, "alice", "mcp:read", &mcp_url(&idp))
    );
    let r = post(
        &idp,
        &[
            ("authorization", &alice),
            ("origin", "https://evil.example"),
        ],
        initialize(),
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = post(
        &idp,
        &[
            ("authorization", &alice),
            ("mcp-protocol-version", "1999-01-01"),
        ],
        initialize(),
    )
    .await;
    assert_eq!(r.status(), 400);
    let own = url::Url::parse(idp.issuer())
        .unwrap()
        .origin()
        .ascii_serialization();
    let r = post(
        &idp,
        &[("authorization", &alice), ("origin", &own)],
        initialize(),
    )
    .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn the_legacy_sse_transport_is_refused_with_or_without_a_token() {
    let idp = common::start().await;
    let sse = format!("{}/sse", idp.issuer());
    let r = common::http()
        .get(&sse)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("resource_metadata")
    );
    let alice = token(&idp, "alice", "mcp:read", &mcp_url(&idp));
    let r = common::http()
        .get(&sse)
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert!(body["error_description"].as_str().unwrap().contains("/mcp"));
    let r = common::http()
        .post(format!("{}/messages", idp.issuer()))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(common::journal_has(&idp, "legacy_without_token").await);
}

async fn challenge_and_prm(idp: &MockIdp) -> (String, reqwest::StatusCode, Value) {
    let r = post(idp, &[], initialize()).await;
    let www = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    let prm = common::http()
        .get(format!(
            "{}/.well-known/oauth-protected-resource/mcp",
            idp.issuer()
        ))
        .send()
        .await
        .unwrap();
    let status = prm.status();
    (www, status, prm.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn metadata_variants_switch_what_a_client_must_cope_with() {
    let mut config = common::test_config();
    config.mcp.authorization_server = Some("tenant1".into());
    config.mcp.extra_authorization_servers = vec!["https://second-as.example".into()];
    config.mcp.resource = Some("https://elsewhere.example/mcp".into());
    let idp = common::start_config(config).await;
    let (www, status, prm) = challenge_and_prm(&idp).await;
    assert!(www.contains("resource_metadata="), "{www}");
    assert_eq!(status, 200);
    let path_issuer = format!("{}/tenant1", idp.issuer());
    assert_eq!(
        prm["authorization_servers"],
        json!([path_issuer, "https://second-as.example"])
    );
    assert_eq!(prm["resource"], "https://elsewhere.example/mcp");
    let as_meta: Value = common::http()
        .get(format!(
            "{}/.well-known/oauth-authorization-server/tenant1",
            idp.issuer()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(as_meta["issuer"], path_issuer);

    let mut only_well_known = common::test_config();
    only_well_known.mcp.metadata_in_challenge = false;
    let idp = common::start_config(only_well_known).await;
    let (www, status, _) = challenge_and_prm(&idp).await;
    assert!(!www.contains("resource_metadata"), "{www}");
    assert_eq!(status, 200);

    let mut only_header = common::test_config();
    only_header.mcp.metadata_at_well_known = false;
    let idp = common::start_config(only_header).await;
    let (www, status, _) = challenge_and_prm(&idp).await;
    assert!(www.contains("resource_metadata"), "{www}");
    assert_eq!(status, 404);
    // The challenge names where the metadata is instead, and it is there.
    let named = www
        .split("resource_metadata=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    assert!(!named.contains("/.well-known/"), "{named}");
    let doc: serde_json::Value = reqwest::get(&named).await.unwrap().json().await.unwrap();
    assert_eq!(doc["resource"], format!("{}/mcp", idp.url()));
}

#[test]
fn impossible_metadata_variants_are_refused_with_the_key() {
    let parse = |yaml: &str| {
        mock_idp::Config::from_yaml(yaml, "t.yaml", &|_| None)
            .unwrap_err()
            .to_string()
    };
    let e = parse("mcp: { metadata_in_challenge: false, metadata_at_well_known: false }");
    assert!(
        e.contains("mcp:") && e.contains("cannot both be false"),
        "{e}"
    );
    let e = parse("mcp: { authorization_server: nowhere }");
    assert!(e.contains("mcp.authorization_server"), "{e}");
    let e = parse("mcp: { public_url: \"http://127.0.0.1:9/other\" }");
    assert!(e.contains("mcp.public_url") && e.contains("/mcp"), "{e}");
}

#[tokio::test]
async fn an_mcp_server_published_elsewhere_names_that_url_everywhere() {
    let mut config = common::test_config();
    config.mcp.public_url = Some("http://127.0.0.1:9/mcp".into());
    let idp = common::start_config(config).await;
    let (www, _, _) = challenge_and_prm(&idp).await;
    assert!(
        www.contains(
            "resource_metadata=\"http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp\""
        ),
        "{www}"
    );
    let doc: serde_json::Value = reqwest::get(format!(
        "{}/.well-known/oauth-protected-resource/mcp",
        idp.url()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(doc["resource"], "http://127.0.0.1:9/mcp");
    assert_eq!(
        doc["authorization_servers"][0],
        idp.url().trim_end_matches('/')
    );
}

/// A token for alice at the MCP server, bound to `key` (cnf.jkt).
fn dpop_bound_token(idp: &MockIdp, key: &protocol::dpop::ProofKey) -> String {
    let mut claims = serde_json::Map::new();
    claims.insert("cnf".into(), json!({"jkt": key.thumbprint()}));
    mint(
        idp.state(),
        &MintRequest {
            sub: Some("alice".into()),
            scope: Some("mcp:read".into()),
            aud: Some(json!(mcp_url(idp))),
            claims,
            ..Default::default()
        },
    )
    .unwrap()
    .token
}

fn mcp_proof(idp: &MockIdp, key: &protocol::dpop::ProofKey, token: &str) -> String {
    key.proof(&protocol::dpop::ProofSpec {
        htm: "POST".into(),
        htu: mcp_url(idp),
        iat: 1_800_000_000,
        access_token: Some(token.into()),
        ..Default::default()
    })
}

#[tokio::test]
async fn a_dpop_bound_token_with_a_proof_for_the_mcp_url_is_served() {
    let idp = common::start().await;
    let key = protocol::dpop::ProofKey::generate();
    let t = dpop_bound_token(&idp, &key);
    let auth = format!("DPoP {t}");
    let proof = mcp_proof(&idp, &key, &t);
    let r = post(
        &idp,
        &[("authorization", &auth), ("dpop", &proof)],
        initialize(),
    )
    .await;
    assert_eq!(r.status(), 200, "{:?}", r.headers().get("www-authenticate"));
}

#[tokio::test]
async fn a_server_that_requires_dpop_says_so_and_refuses_bearer_tokens() {
    let mut config = common::test_config();
    config.mcp.dpop_required = true;
    let idp = common::start_config(config).await;
    let prm: Value = common::http()
        .get(format!(
            "{}/.well-known/oauth-protected-resource/mcp",
            idp.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(prm["dpop_bound_access_tokens_required"], true);
    let bearer = format!(
        "Bearer {}",
        token(&idp, "alice", "mcp:read", &mcp_url(&idp))
    );
    let r = post(&idp, &[("authorization", &bearer)], initialize()).await;
    assert_eq!(r.status(), 401);
    let www = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        www.starts_with("DPoP ") && www.contains("invalid_token"),
        "{www}"
    );
    assert!(common::journal_has(&idp, "dpop_required").await);
    let key = protocol::dpop::ProofKey::generate();
    let t = dpop_bound_token(&idp, &key);
    let auth = format!("DPoP {t}");
    let proof = mcp_proof(&idp, &key, &t);
    let r = post(
        &idp,
        &[("authorization", &auth), ("dpop", &proof)],
        initialize(),
    )
    .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_server_that_asks_for_nonces_gives_its_own_and_takes_only_those() {
    let mut config = common::test_config();
    config.dpop.resource_nonce = true;
    config.dpop.require_nonce = true;
    let idp = common::start_config(config).await;
    let key = protocol::dpop::ProofKey::generate();
    let t = dpop_bound_token(&idp, &key);
    let auth = format!("DPoP {t}");
    let send = |nonce: Option<String>| {
        let proof = key.proof(&protocol::dpop::ProofSpec {
            htm: "POST".into(),
            htu: mcp_url(&idp),
            iat: 1_800_000_000,
            access_token: Some(t.clone()),
            nonce,
            ..Default::default()
        });
        let auth = auth.clone();
        let idp = &idp;
        async move {
            post(
                idp,
                &[("authorization", &auth), ("dpop", &proof)],
                initialize(),
            )
            .await
        }
    };
    let r = send(None).await;
    assert_eq!(r.status(), 401);
    let www = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        www.starts_with("DPoP ") && www.contains("error=\"use_dpop_nonce\""),
        "{www}"
    );
    let nonce = r.headers()["dpop-nonce"].to_str().unwrap().to_string();
    // The token endpoint's nonce is not the MCP server's.
    let as_nonce = mock_idp::dpop::current_nonce(idp.state(), mock_idp::dpop::At::TokenEndpoint);
    assert_ne!(as_nonce, nonce);
    assert_eq!(send(Some(as_nonce)).await.status(), 401);
    assert_eq!(send(Some(nonce)).await.status(), 200);
}

//! Malformed requests get precise 4xx answers, never a 500 or a dropped connection: wrong content
//! types, garbage bytes, repeated parameters, oversized bodies, unknown grant types, bad
//! authorization requests and bad admin JSON.

mod common;

use common::*;
use mock_idp::MockIdp;
use serde_json::Value;

const TOKEN: &str = "/oauth/token";

/// POSTs raw bytes with an optional content type and Basic auth as `conf`.
async fn raw_post(
    idp: &MockIdp,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let mut req = http()
        .post(format!("{}{path}", idp.url()))
        .basic_auth("conf", Some(CONF_SECRET))
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    assert!(status < 500, "{path}: {status}");
    (status, resp.json().await.unwrap_or(Value::Null))
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

fn error_of(r: &(u16, Value)) -> (u16, Option<&str>) {
    (r.0, r.1["error"].as_str())
}

#[tokio::test]
async fn token_request_with_a_json_body_is_invalid_request() {
    let idp = start().await;
    let r = raw_post(
        &idp,
        TOKEN,
        Some("application/json"),
        r#"{"grant_type":"client_credentials"}"#,
    )
    .await;
    assert_eq!(error_of(&r), (400, Some("invalid_request")));
}

#[tokio::test]
async fn token_request_without_content_type_is_invalid_request() {
    let idp = start().await;
    let r = raw_post(&idp, TOKEN, None, "grant_type=client_credentials").await;
    assert_eq!(error_of(&r), (400, Some("invalid_request")));
}

#[tokio::test]
async fn token_request_with_non_utf8_bytes_is_invalid_request() {
    let idp = start().await;
    let r = raw_post(&idp, TOKEN, FORM, vec![0xff, 0xfe, 0x00, 0x80, b'=', 0xc3]).await;
    assert_eq!(error_of(&r), (400, Some("invalid_request")));
}

#[tokio::test]
async fn token_request_with_garbage_form_text_is_invalid_request() {
    let idp = start().await;
    for body in ["%%%&&&===", "=&=&=", "grant_type", "\u{0}\u{1}\u{2}"] {
        let r = raw_post(&idp, TOKEN, FORM, body).await;
        assert_eq!(error_of(&r), (400, Some("invalid_request")), "{body:?}");
    }
}

#[tokio::test]
async fn repeated_token_parameters_are_invalid_request() {
    let idp = start().await;
    for body in [
        "grant_type=client_credentials&grant_type=client_credentials",
        "grant_type=authorization_code&code=a&code=b",
        "grant_type=refresh_token&refresh_token=a&refresh_token=b",
        "grant_type=client_credentials&scope=openid&scope=openid",
    ] {
        let r = raw_post(&idp, TOKEN, FORM, body).await;
        assert_eq!(error_of(&r), (400, Some("invalid_request")), "{body}");
        assert!(
            r.1["error_description"]
                .as_str()
                .unwrap()
                .contains("more than once"),
            "{body}: {}",
            r.1
        );
    }
}

#[tokio::test]
async fn repeated_client_id_is_refused_before_authentication() {
    let idp = start().await;
    let (status, body, _) = token(
        &idp,
        Auth::Nothing,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", "post"),
            ("client_id", "conf"),
            ("client_secret", POST_SECRET),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn oversized_token_body_is_413() {
    let idp = start().await;
    let body = format!("grant_type=client_credentials&scope={}", "a".repeat(70_000));
    let resp = http()
        .post(format!("{}{TOKEN}", idp.url()))
        .basic_auth("conf", Some(CONF_SECRET))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
}

#[tokio::test]
async fn oversized_chunked_body_is_413() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let idp = start().await;
    let mut conn = tokio::net::TcpStream::connect(idp.addr()).await.unwrap();
    let head = "POST /oauth/register HTTP/1.1\r\nHost: localhost\r\n\
Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    conn.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("2000\r\n{}\r\n", "a".repeat(0x2000));
    for _ in 0..20 {
        // The server may answer and close before the whole body is sent.
        if conn.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = conn.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn body_just_under_the_limit_is_read() {
    let idp = start().await;
    let body = format!("grant_type=nope&pad={}", "a".repeat(60_000));
    let r = raw_post(&idp, TOKEN, FORM, body).await;
    assert_eq!(error_of(&r), (400, Some("unsupported_grant_type")));
}

#[tokio::test]
async fn unknown_grant_type_is_unsupported_grant_type() {
    let idp = start().await;
    for grant in [
        "password",
        "implicit",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "AUTHORIZATION_CODE",
    ] {
        let (status, body, _) = token(&idp, CONF, &[("grant_type", grant)]).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("unsupported_grant_type")),
            "{grant}"
        );
    }
}

#[tokio::test]
async fn missing_grant_type_is_invalid_request() {
    let idp = start().await;
    for form in [vec![], vec![("grant_type", "")], vec![("code", "abc")]] {
        let (status, body, _) = token(&idp, CONF, &form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_request")),
            "{form:?}"
        );
    }
}

/// Asserts an authorization request is answered with a 400 page and no redirect.
async fn authorize_page_400(idp: &MockIdp, query: &str) -> String {
    let resp = http()
        .get(format!("{}/oauth/authorize?{query}", idp.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400, "{query}");
    assert!(resp.headers().get("location").is_none(), "{query}");
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{query}"
    );
    resp.text().await.unwrap()
}

#[tokio::test]
async fn authorize_with_repeated_client_id_is_a_400_page() {
    let idp = start().await;
    let page = authorize_page_400(
        &idp,
        &format!(
            "response_type=code&client_id=conf&client_id=post&redirect_uri={REDIRECT}&code_challenge={CHALLENGE}&code_challenge_method=S256"
        ),
    )
    .await;
    assert!(page.contains("more than once"), "{page}");
}

#[tokio::test]
async fn authorize_with_an_unknown_client_is_a_400_page() {
    let idp = start().await;
    let page = authorize_page_400(
        &idp,
        &format!(
            "response_type=code&client_id=nobody&redirect_uri={REDIRECT}&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256"
        ),
    )
    .await;
    assert!(page.contains("nobody"), "{page}");
    assert!(journal_has(&idp, "unknown_client").await);
}

#[tokio::test]
async fn authorize_with_garbage_query_never_redirects() {
    let idp = start().await;
    for q in [
        "client_id=%FF%FE",
        "%%%",
        "client_id=<script>alert(1)</script>",
        "",
    ] {
        let page = authorize_page_400(&idp, q).await;
        assert!(!page.contains("<script>alert"), "{q}: unescaped");
    }
}

#[tokio::test]
async fn admin_endpoints_with_garbage_json_are_400_json() {
    let idp = start().await;
    for (method, path) in [
        (reqwest::Method::POST, "clients"),
        (reqwest::Method::POST, "users"),
        (reqwest::Method::POST, "clock"),
        (reqwest::Method::POST, "keys/rotate"),
        (reqwest::Method::PUT, "faults"),
    ] {
        for body in [
            &b"{nope"[..],
            b"[1,2,3]",
            b"\"text\"",
            b"\xff\xfe",
            b"{\"x\":1}",
        ] {
            let resp = http()
                .request(method.clone(), format!("{}/_admin/{path}", idp.url()))
                .header("content-type", "application/json")
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 400, "{method} {path} {body:?}");
            assert!(
                resp.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("application/json")
            );
            let answer: Value = resp.json().await.unwrap();
            assert_eq!(
                answer["error"], "invalid_request",
                "{method} {path} {body:?}"
            );
            assert!(answer["error_description"].is_string());
        }
    }
}

#[tokio::test]
async fn rotate_with_an_unknown_algorithm_is_400() {
    let idp = start().await;
    let resp = http()
        .post(format!("{}/_admin/keys/rotate", idp.url()))
        .json(&serde_json::json!({"alg": "HS256"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn nothing_answers_500() {
    let idp = start().await;
    let client = http();
    let bodies: [(&str, Option<&str>, Vec<u8>); 6] = [
        ("form", FORM, b"a=1&a=2&%%=%%".to_vec()),
        ("json", Some("application/json"), b"{\"a\":[".to_vec()),
        (
            "binary",
            Some("application/octet-stream"),
            vec![0, 159, 146, 150],
        ),
        ("none", None, b"token=abc".to_vec()),
        ("non-utf8 form", FORM, vec![b't', b'=', 0xff]),
        ("empty form", FORM, Vec::new()),
    ];
    let post_paths = [
        "/oauth/token",
        "/oauth/register",
        "/oauth/revoke",
        "/oauth/introspect",
        "/oauth/device_authorization",
        "/oauth/authorize",
        "/device",
        "/userinfo",
        "/tenant1/oauth/token",
        "/tenant1/oauth/register",
        "/_admin/reset",
        "/_admin/users",
        "/_admin/clients",
        "/_admin/clock",
        "/_admin/keys/rotate",
        "/_admin/faults/drop-state",
        "/_admin/faults/%FF",
        "/nowhere",
    ];
    for path in post_paths {
        for (name, ct, body) in &bodies {
            for basic in [false, true] {
                let mut req = client
                    .post(format!("{}{path}", idp.url()))
                    .body(body.clone());
                if let Some(ct) = ct {
                    req = req.header("content-type", *ct);
                }
                if basic {
                    req = req.header("authorization", "Basic %%%not-base64");
                }
                let resp = req.send().await.unwrap();
                assert!(
                    resp.status().as_u16() < 500,
                    "POST {path} with {name} body: {}",
                    resp.status()
                );
            }
        }
    }
    let get_paths = [
        "/oauth/authorize?response_type=code&client_id=conf&redirect_uri=%FF",
        "/oauth/authorize?client_id=conf&response_type=token&redirect_uri=javascript:alert(1)",
        "/device?user_code=%00%FF",
        "/userinfo",
        "/jwks",
        "/api/me",
        "/_admin/journal?limit=-1",
        "/_admin/journal?since=99999999999999999999999",
        "/_admin/clients/%FF%FE",
        "/_admin/users/%00",
        "/.well-known/openid-configuration/nobody",
    ];
    for path in get_paths {
        for auth in [
            None,
            Some("Bearer a.b.c"),
            Some("Bearer"),
            Some("Basic"),
            Some("Bearer eyJhbGciOiJFUzI1NiIsImtpZCI6IngifQ.e30.AAAA"),
        ] {
            let mut req = client.get(format!("{}{path}", idp.url()));
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            let resp = req.send().await.unwrap();
            assert!(
                resp.status().as_u16() < 500,
                "GET {path} with {auth:?}: {}",
                resp.status()
            );
        }
    }
    let resp = client
        .delete(format!("{}/_admin/keys/%FF", idp.url()))
        .send()
        .await
        .unwrap();
    assert!(resp.status().as_u16() < 500);
}

//! `mock-idp health`, the container's health check: exit 0 when a mock-idp answers its discovery
//! document (the URL from --url or from MOCK_IDP_LISTEN), 1 when nothing answers, when the answer
//! is not a discovery document, or when the server does not answer in time.

mod common;

use std::process::{Command, Output};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Runs the binary off the async runtime (the server under test runs on it).
async fn health(args: &[&str], listen_env: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mock-idp"));
    cmd.arg("health").args(args);
    cmd.env_remove("MOCK_IDP_HEALTH_URL");
    match listen_env {
        Some(l) => cmd.env("MOCK_IDP_LISTEN", l),
        None => cmd.env_remove("MOCK_IDP_LISTEN"),
    };
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

#[tokio::test]
async fn a_running_mock_idp_is_healthy() {
    let idp = common::start().await;
    let out = health(&["--url", idp.url()], None).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("names issuer {}", idp.issuer())),
        "{stdout}"
    );
}

#[tokio::test]
async fn the_listen_address_names_the_server_when_no_url_is_given() {
    let idp = common::start().await;
    let port = url::Url::parse(idp.url()).unwrap().port().unwrap();
    // 0.0.0.0 (what the container listens on) is asked on loopback.
    let out = health(&[], Some(&format!("0.0.0.0:{port}"))).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[tokio::test]
async fn nothing_listening_is_unhealthy() {
    // A port that was free a moment ago.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = health(&["--url", &format!("http://127.0.0.1:{port}")], None).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("unhealthy"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn an_answer_that_is_not_a_discovery_document_is_unhealthy() {
    let idp = common::start().await;
    let out = health(
        &["--url", &format!("{}/nowhere/.well-known/x", idp.url())],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("404"), "{}", text(&out.stderr));
}

#[tokio::test]
async fn a_server_that_does_not_answer_in_time_is_unhealthy() {
    // Accepts the connection, reads the request, never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let silent = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 1024];
        let _ = socket.read(&mut buf).await;
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        let _ = socket.shutdown().await;
    });
    let out = health(&["--url", &url, "--timeout-ms", "300"], None).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("300 ms") || text(&out.stderr).contains("timed out"),
        "{}",
        text(&out.stderr)
    );
    silent.abort();
}

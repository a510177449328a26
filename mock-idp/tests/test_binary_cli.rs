//! The `mock-idp` binary: `listening on <url>` once ready, a clean exit on SIGTERM, exit code 2
//! with a message naming the file and key for a bad configuration, `--tls` with a CA file that
//! a client can trust.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mock-idp"))
}

/// Starts the binary and reads its `listening on` line (bounded by the read of one line).
fn spawn(args: &[&str]) -> (std::process::Child, String) {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (child, url)
}

fn terminate(child: &mut std::process::Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    panic!("mock-idp did not stop within 5 s of SIGTERM");
}

#[tokio::test]
async fn serves_the_demo_config_and_stops_on_sigterm() {
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/mock-idp.yaml");
    let (mut child, url) = spawn(&["serve", "--config", config, "--listen", "127.0.0.1:0"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let meta: serde_json::Value = reqwest::get(format!("{url}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        meta["issuer"], "http://localhost:5001",
        "the configured issuer, not the listen address"
    );
    assert!(terminate(&mut child).success());
}

#[test]
fn bad_config_exits_2_naming_the_file_and_key() {
    let dir = std::env::temp_dir().join(format!("mock-idp-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.yaml");
    std::fs::write(
        &file,
        "clients:\n  - client_id: a\n    redirect_uri: http://x/cb\n",
    )
    .unwrap();
    let out = bin()
        .args([
            "--config",
            file.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.yaml") && err.contains("clients[0]") && err.contains("redirect_uri"),
        "{err}"
    );
}

#[test]
fn unknown_fault_exits_2_listing_the_known_ones() {
    let out = bin()
        .args(["--listen", "127.0.0.1:0", "--fault", "skip-everything"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("skip-pkce-check"));
}

#[tokio::test]
async fn tls_serves_https_trusted_through_the_written_ca() {
    let dir = std::env::temp_dir().join(format!("mock-idp-tls-{}", std::process::id()));
    let ca = dir.join("ca.pem");
    let (mut child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--tls",
        "--tls-ca-file",
        ca.to_str().unwrap(),
    ]);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let cert = reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([cert])
        .build()
        .unwrap();
    let meta: serde_json::Value = client
        .get(format!("{url}/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(meta["issuer"], url.as_str());
    let untrusting = reqwest::Client::builder()
        .tls_certs_only([])
        .build()
        .unwrap();
    assert!(
        untrusting.get(format!("{url}/jwks")).send().await.is_err(),
        "without the CA the certificate is not trusted"
    );
    drop((client, untrusting));
    assert!(terminate(&mut child).success());
}

//! `mock-idp mint`, the built binary: `--server` prints one line, a token the server's `/jwks`
//! verifies; flags map onto the request (repeated `--aud`, negative `--expires-in`, JSON or string
//! `--claim`); the admin token comes from the flag or the environment; `--config` mints offline
//! from pinned keys and refuses generated ones; exit codes 0 / 1 / 2 with a message that says
//! what to do. `test_mint.rs` has the first smoke tests; this file covers the flags and failures.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use mock_idp::MockIdp;
use mock_idp::config::SigningAlg;
use mock_idp::keys::SigningKey;
use mock_idp::mint::Flaw;
use serde_json::{Value, json};

const NOW: i64 = 1_800_000_000;

/// Runs `mock-idp mint ARGS` off the runtime's thread (the server under test runs on it), with
/// `MOCK_IDP_ADMIN_TOKEN` only if given. The binary's HTTP client gives up after 10 s.
async fn cli(args: &[&str], admin_token_env: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mock-idp"));
    cmd.arg("mint")
        .args(args)
        .env_remove("MOCK_IDP_ADMIN_TOKEN");
    if let Some(t) = admin_token_env {
        cmd.env("MOCK_IDP_ADMIN_TOKEN", t);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The `--json` answer of a successful run.
fn minted(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn jwks(idp: &MockIdp) -> JwkSet {
    common::http()
        .get(format!("{}/jwks", idp.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Verifies `token`'s signature, issuer and audience with `jsonwebtoken` against the server's
/// published keys; `exp` is left to the caller (the test server's clock is frozen in 2027).
async fn verify(idp: &MockIdp, token: &str, alg: Algorithm, aud: &str) -> Value {
    let kid = jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    let keys = jwks(idp).await;
    let key = DecodingKey::from_jwk(keys.find(&kid).expect("kid published")).unwrap();
    let mut v = Validation::new(alg);
    v.validate_exp = false;
    v.set_issuer(&[idp.issuer()]);
    v.set_audience(&[aud]);
    decode::<Value>(token, &key, &v).unwrap().claims
}

/// A directory of its own for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mock-idp-cli-mint-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn mint_on_a_server_prints_one_line_a_token_its_jwks_verifies() {
    let idp = common::start().await;
    let out = cli(
        &["--server", idp.url(), "--sub", "bob", "--scope", "profile"],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    assert_eq!(printed.lines().count(), 1, "{printed:?}");
    let token = printed.trim_end();
    let claims = verify(
        &idp,
        token,
        Algorithm::ES256,
        &format!("{}/api", idp.issuer()),
    )
    .await;
    assert_eq!(claims["sub"], "bob");
    assert_eq!(claims["exp"], NOW + 3600);
    let me: Value = common::api_me(&idp, token).await.json().await.unwrap();
    assert_eq!(
        me["username"], "bob",
        "the server's own resource accepts it"
    );
}

#[tokio::test]
async fn flaw_expired_with_json_shows_exp_in_the_past() {
    let idp = common::start().await;
    let m = minted(
        &cli(
            &["--server", idp.url(), "--flaw", "expired", "--json"],
            None,
        )
        .await,
    );
    assert_eq!(m["claims"]["exp"], NOW - 600);
    assert!(m["claims"]["exp"].as_i64().unwrap() < idp.state().now());
    assert_eq!(
        mock_idp::mint::decode_part(m["token"].as_str().unwrap(), 1).unwrap(),
        m["claims"]
    );
}

#[tokio::test]
async fn flags_become_the_claims_they_name() {
    let idp = common::start().await;
    let m = minted(
        &cli(
            &[
                "--server",
                idp.url(),
                "--aud",
                "https://a.example",
                "--aud",
                "https://b.example",
                "--expires-in",
                "-31",
                "--not-before",
                "-60",
                "--scope",
                "workspace:read workspace:write",
                "--client-id",
                "my-app",
                "--iss",
                "https://issuer.example",
                "--typ",
                "application/at+jwt",
                "--claim",
                "workspaces={\"wonderland\":\"admin\"}",
                "--claim",
                "level=3",
                "--claim",
                "nickname=not json",
                "--claim",
                "jti=null",
                "--json",
            ],
            None,
        )
        .await,
    );
    let c = &m["claims"];
    assert_eq!(c["aud"], json!(["https://a.example", "https://b.example"]));
    assert_eq!(c["exp"], NOW - 31);
    assert_eq!(c["nbf"], NOW - 60);
    assert_eq!(c["scope"], "workspace:read workspace:write");
    assert_eq!(c["client_id"], "my-app");
    assert_eq!(c["iss"], "https://issuer.example");
    assert_eq!(c["workspaces"], json!({"wonderland": "admin"}));
    assert_eq!(c["level"], 3);
    assert_eq!(c["nickname"], "not json");
    assert!(c.get("jti").is_none(), "NAME=null removes the claim");
    assert_eq!(m["header"]["typ"], "application/at+jwt");

    let one = minted(&cli(&["--server", idp.url(), "--aud", "solo", "--json"], None).await);
    assert_eq!(
        one["claims"]["aud"], "solo",
        "one --aud is a string, not an array"
    );
}

#[tokio::test]
async fn the_admin_token_comes_from_the_flag_or_the_environment() {
    let mut config = common::test_config();
    config.admin_token = Some("cli-admin-secret".into());
    let idp = common::start_config(config).await;

    let refused = cli(&["--server", idp.url()], None).await;
    assert_eq!(refused.status.code(), Some(2));
    let err = stderr(&refused);
    assert!(err.contains("401") && err.contains("admin token"), "{err}");
    assert!(refused.stdout.is_empty());

    let by_flag = cli(
        &["--server", idp.url(), "--admin-token", "cli-admin-secret"],
        None,
    )
    .await;
    assert_eq!(by_flag.status.code(), Some(0), "{}", stderr(&by_flag));
    let by_env = cli(&["--server", idp.url()], Some("cli-admin-secret")).await;
    assert_eq!(by_env.status.code(), Some(0), "{}", stderr(&by_env));
}

#[tokio::test]
async fn a_refusal_by_the_server_exits_2_with_its_reason() {
    let idp = common::start().await;
    let out = cli(&["--server", idp.url(), "--kid", "k-nowhere"], None).await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("400") && err.contains("k-nowhere") && err.contains("/_admin/keys"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing for TOKEN=$(...) to capture");
}

#[tokio::test]
async fn offline_from_an_inline_pinned_key_mints_what_the_server_would() {
    let key = SigningKey::generate(SigningAlg::EdDSA, Some("pinned-ed".into())).unwrap();
    let pem = key.private_pem().replace('\n', "\n      ");
    let dir = scratch("pinned");
    let file = dir.join("pinned.yaml");
    std::fs::write(
        &file,
        format!("listen: 127.0.0.1:0\nkeys:\n  - alg: EdDSA\n    kid: pinned-ed\n    private_key_pem: |\n      {pem}\n"),
    )
    .unwrap();
    // The same config, served: it publishes the pinned key, so it accepts the offline token.
    let idp = common::start_config(mock_idp::Config::from_file(&file).unwrap()).await;
    let out = cli(
        &[
            "--config",
            file.to_str().unwrap(),
            "--iss",
            idp.issuer(),
            "--aud",
            "https://api.example",
            "--alg",
            "EdDSA",
            "--json",
        ],
        None,
    )
    .await;
    let m = minted(&out);
    assert_eq!(m["header"]["kid"], "pinned-ed");
    assert_eq!(m["header"]["alg"], "EdDSA");
    let token = m["token"].as_str().unwrap();
    let claims = verify(&idp, token, Algorithm::EdDSA, "https://api.example").await;
    assert_eq!(claims["sub"], "alice");
}

#[tokio::test]
async fn offline_with_generated_keys_exits_2_saying_to_use_the_server() {
    let dir = scratch("generated");
    let file = dir.join("generated.yaml");
    std::fs::write(&file, "listen: 127.0.0.1:0\nkeys:\n  - alg: ES256\n").unwrap();
    let out = cli(&["--config", file.to_str().unwrap()], None).await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("generated.yaml")
            && err.contains("keys[0]")
            && err.contains("generated")
            && err.contains("--server"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn an_unreachable_server_exits_1_naming_the_url() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = cli(&["--server", &url], None).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("{url}/_admin/mint")), "{err}");
}

#[tokio::test]
async fn a_server_url_without_a_scheme_is_a_bad_argument() {
    let out = cli(&["--server", "localhost:5001"], None).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("write it like http://localhost:5001"));
}

#[tokio::test]
async fn bad_arguments_exit_2_saying_what_to_write() {
    let flaws = Flaw::ALL.map(Flaw::name).join(", ");
    for (args, says) in [
        (
            &["--server", "http://127.0.0.1:1", "--flaw", "nope"][..],
            flaws.as_str(),
        ),
        (
            &["--server", "http://127.0.0.1:1", "--alg", "HS256"],
            "ES256, RS256 or EdDSA",
        ),
        (
            &["--server", "http://127.0.0.1:1", "--claim", "roles"],
            "NAME=VALUE",
        ),
        (&["--expires-in", "60"], "--server URL"),
        (
            &["--server", "http://127.0.0.1:1", "--config", "x.yaml"],
            "cannot be used with",
        ),
        (
            &["--config", "/nonexistent/mock-idp.yaml"],
            "/nonexistent/mock-idp.yaml",
        ),
    ] {
        let out = cli(args, None).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

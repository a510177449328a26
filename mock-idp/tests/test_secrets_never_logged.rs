//! Secrets never appear in the journal or the log lines: client secrets, codes, PKCE verifiers,
//! access, refresh and ID tokens, device codes and passwords are redacted at the source.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_reaches_the_journal_or_the_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let idp = start().await;
    let mut secrets: Vec<String> = vec![
        CONF_SECRET.into(),
        POST_SECRET.into(),
        SERVICE_SECRET.into(),
        VERIFIER.into(),
        "tea-party-pw".into(),
    ];
    let code = code_for(&idp, "conf", &[]).await;
    secrets.push(code.clone());
    let (_, body, _) = redeem(&idp, &code).await;
    for k in ["access_token", "refresh_token", "id_token"] {
        secrets.push(body[k].as_str().unwrap().to_string());
    }
    let (_, again, _) = redeem(&idp, &code).await;
    assert_eq!(again["error"], "invalid_grant");
    let (_, refreshed, _) = token(
        &idp,
        CONF,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", body["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    secrets.push(
        refreshed["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    );
    token(
        &idp,
        Auth::Basic("service", "a-wrong-secret-value"),
        &[("grant_type", "client_credentials")],
    )
    .await;
    secrets.push("a-wrong-secret-value".into());
    token(
        &idp,
        Auth::Post("post", POST_SECRET),
        &[
            ("grant_type", "authorization_code"),
            ("code", "guessed-code-value-xyz"),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    secrets.push("guessed-code-value-xyz".into());
    let dev: serde_json::Value = http()
        .post(format!("{}/oauth/device_authorization", idp.url()))
        .form(&[("client_id", "public")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    secrets.push(dev["device_code"].as_str().unwrap().to_string());
    http()
        .get(format!(
            "{}/cb?code=query-code-secret&access_token=query-token-secret",
            idp.url()
        ))
        .send()
        .await
        .unwrap();
    secrets.push("query-code-secret".into());
    secrets.push("query-token-secret".into());

    let journal = http()
        .get(format!("{}/_admin/journal", idp.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        journal.contains("code_reused") && journal.contains("wrong_client_secret"),
        "the journal recorded the refusals"
    );
    assert!(
        logs.contains("wrong_client_secret"),
        "the log lines mirror the journal"
    );
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(
            !journal.contains(secret.as_str()),
            "secret {}… in the journal",
            &secret[..6]
        );
        assert!(
            !logs.contains(secret.as_str()),
            "secret {}… in the logs",
            &secret[..6]
        );
    }
}

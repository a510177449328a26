//! Snapshots of the reports the built-in target produces: `report.json` (timings redacted) and a
//! few transcripts. A change to what the runner sends or records shows up here as a diff.

use std::path::PathBuf;

use authconform::{RunOptions, run};

async fn run_once(name: &str) -> PathBuf {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&out);
    run(&RunOptions {
        out: Some(out.clone()),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    out
}

#[tokio::test]
async fn report_json() {
    let out = run_once("snapshot-report").await;
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    insta::assert_json_snapshot!("report.json", report, {
        ".started" => "[started]",
        ".duration_ms" => "[duration]",
        ".scenarios[].duration_ms" => "[duration]",
    });
}

#[tokio::test]
async fn transcripts() {
    let out = run_once("snapshot-transcripts").await;
    for name in [
        "a-wrong-code-verifier-is-refused-and-burns-the-code",
        "a-public-client-s-refresh-token-rotates-and-a-replay-revokes-the-family",
        "redirect-uri-variant-userinfo-trick-gets-an-error-page-not-a-redirect",
        "a-token-signed-by-a-removed-key-is-refused-once-the-jwks-cache-expires",
        "a-wrong-custom-api-key-is-refused",
    ] {
        let text =
            std::fs::read_to_string(out.join("transcripts").join(format!("{name}.yaml"))).unwrap();
        insta::assert_snapshot!(name, text);
    }
}

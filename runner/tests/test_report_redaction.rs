//! No secret, token or code value appears in any report file; the scanner that proves it does
//! find a secret planted in a report.

use std::path::PathBuf;

use authconform::{RunOptions, run};

/// Secrets the built-in target and its profile hold.
fn known_secrets() -> Vec<String> {
    let profile = authconform::target::TargetProfile::builtin();
    let mut s: Vec<String> = [
        &profile.clients().confidential,
        profile.clients().other_confidential.as_ref().unwrap(),
        profile.clients().service.as_ref().unwrap(),
    ]
    .iter()
    .filter_map(|c| c.client_secret.clone())
    .collect();
    s.extend(profile.users.iter().filter_map(|u| u.password.clone()));
    let rs = profile.resource_server.as_ref().unwrap();
    s.extend(rs.api_keys.values().map(|k| k.key.clone()));
    s.extend(rs.basic.iter().map(|b| b.password.clone()));
    s.push("BEGIN PRIVATE KEY".into());
    s
}

fn scan(dir: &std::path::Path, secrets: &[String], hits: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            scan(&p, secrets, hits);
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for s in secrets {
            if text.contains(s.as_str()) {
                hits.push(format!("{} contains {}…", p.display(), &s[..4]));
            }
        }
        // Anything shaped like a JWT (three base64url parts, the first starting eyJ) is a token.
        if let Some(pos) = text.find("eyJ") {
            let tail: String = text[pos..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
                .collect();
            if tail.matches('.').count() == 2 {
                hits.push(format!("{} contains a JWT", p.display()));
            }
        }
    }
}

#[tokio::test]
async fn no_report_file_contains_a_secret() {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("redaction");
    let _ = std::fs::remove_dir_all(&out);
    run(&RunOptions {
        out: Some(out.clone()),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    let mut hits = Vec::new();
    scan(&out, &known_secrets(), &mut hits);
    assert!(hits.is_empty(), "{hits:#?}");
}

#[test]
fn the_scanner_finds_a_planted_secret() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("planted");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("transcripts")).unwrap();
    std::fs::write(
        dir.join("transcripts/x.yaml"),
        "body: client_secret=conf-basic-secret\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("report.json"),
        "{\"t\": \"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln\"}",
    )
    .unwrap();
    let mut hits = Vec::new();
    scan(&dir, &known_secrets(), &mut hits);
    assert_eq!(hits.len(), 2, "{hits:?}");
}

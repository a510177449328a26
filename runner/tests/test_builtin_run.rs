//! The whole `@as` suite against the built-in target: it passes, writes every report file, and two
//! runs give byte-identical transcripts (design.md, "Reports").

use std::path::{Path, PathBuf};

use authconform::{RunOptions, run};

fn out_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn read_dir_sorted(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn builtin_suite_passes_and_writes_every_report() {
    let out = out_dir("builtin-pass");
    let summary = run(&RunOptions {
        out: Some(out.clone()),
        ..RunOptions::default()
    })
    .await
    .expect("the run sets up");
    let failing: Vec<_> = summary
        .records
        .iter()
        .filter(|r| !matches!(r.status, authconform::check::Status::Passed))
        .map(|r| (&r.name, &r.note, &r.checks))
        .collect();
    assert!(failing.is_empty(), "{failing:#?}");
    assert_eq!(summary.exit_code(), 0);
    assert!(
        summary.records.len() >= 40,
        "{} scenarios",
        summary.records.len()
    );
    for f in [
        "report.json",
        "checks.json",
        "junit.xml",
        "summary.md",
        "report.html",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert_eq!(
        std::fs::read_dir(out.join("transcripts")).unwrap().count(),
        summary.records.len()
    );
    assert_eq!(
        summary.closing_line(),
        format!("{} passed, 0 failed, 0 skipped", summary.records.len())
    );
}

#[tokio::test]
async fn two_runs_give_byte_identical_transcripts() {
    let (a, b) = (out_dir("determinism-a"), out_dir("determinism-b"));
    run(&RunOptions {
        out: Some(a.clone()),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    run(&RunOptions {
        out: Some(b.clone()),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    let (ta, tb) = (
        read_dir_sorted(&a.join("transcripts")),
        read_dir_sorted(&b.join("transcripts")),
    );
    assert_eq!(ta.len(), tb.len());
    for ((na, ca), (nb, cb)) in ta.iter().zip(tb.iter()) {
        assert_eq!(na, nb);
        assert_eq!(ca, cb, "transcript {na} differs between runs");
    }
}

#[tokio::test]
async fn a_tag_expression_selects_scenarios() {
    let summary = run(&RunOptions {
        tags: Some("@rfc8628".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert_eq!(summary.records.len(), 3);
    assert!(
        summary
            .records
            .iter()
            .all(|r| r.feature == "The device authorization grant")
    );
}

#[tokio::test]
async fn a_fault_makes_its_scenario_fail_with_exit_code_1() {
    let summary = run(&RunOptions {
        faults: vec![mock_idp::Fault::SkipPkceCheck],
        tags: Some("@rfc7636".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert_eq!(summary.exit_code(), 1);
    let failed = summary
        .records
        .iter()
        .find(|r| r.name == "A wrong code_verifier is refused and burns the code")
        .unwrap();
    assert_eq!(failed.status, authconform::check::Status::Failed);
    let check = failed
        .checks
        .iter()
        .find(|c| c.id == "as.pkce.wrong-verifier")
        .unwrap();
    assert!(
        check.message.contains("expected HTTP 400"),
        "{}",
        check.message
    );
}

/// A POLICY check that fails warns; with `strict: true` in the profile it fails the run.
#[tokio::test]
async fn strict_turns_a_failed_policy_check_into_a_failure() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("strict-profile");
    std::fs::create_dir_all(&dir).unwrap();
    let builtin = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/targets/builtin.yaml"
    ))
    .unwrap();
    let mut outcomes = Vec::new();
    for strict in [false, true] {
        let profile = dir.join(format!("strict-{strict}.yaml"));
        std::fs::write(&profile, format!("{builtin}\nstrict: {strict}\n")).unwrap();
        let summary = run(&RunOptions {
            target: Some(profile),
            faults: vec![mock_idp::Fault::IssuerFromHostHeader],
            tags: Some("@policy and @rfc8414".into()),
            no_reports: true,
            ..RunOptions::default()
        })
        .await
        .unwrap();
        let check = summary
            .records
            .iter()
            .flat_map(|r| r.checks.iter())
            .find(|c| c.id == "as.metadata.host-header")
            .unwrap()
            .status;
        outcomes.push((check, summary.exit_code()));
    }
    use authconform::check::Status;
    assert_eq!(outcomes, vec![(Status::Warned, 0), (Status::Failed, 1)]);
}

//! Baselines and expected failures: `--update-baseline` accepts a run, `--baseline` reports what
//! changed, `--expected-failures` excuses known failures and fails the run on a stale entry.

use std::path::PathBuf;

use authconform::{RunOptions, run};

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[tokio::test]
async fn a_baseline_reports_verdict_changes() {
    let (base, out) = (dir("baseline-accepted"), dir("baseline-out"));
    let tags = Some("@rfc7636".to_string());
    let accepted = run(&RunOptions {
        tags: tags.clone(),
        out: Some(out.clone()),
        baseline: Some(base.clone()),
        update_baseline: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(accepted.notes.iter().any(|n| n.contains("updated")));
    assert!(base.join("report.json").is_file());
    let same = run(&RunOptions {
        tags: tags.clone(),
        out: Some(out.clone()),
        baseline: Some(base.clone()),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(same.notes.is_empty(), "{:?}", same.notes);
    let worse = run(&RunOptions {
        tags,
        out: Some(out),
        baseline: Some(base),
        faults: vec![mock_idp::Fault::SkipPkceCheck],
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(
        worse
            .notes
            .iter()
            .any(|n| n
                .contains("A wrong code_verifier is refused and burns the code: passed -> failed")),
        "{:?}",
        worse.notes
    );
    assert!(
        worse.notes.iter().any(|n| n.contains("transcript differs")),
        "{:?}",
        worse.notes
    );
}

#[tokio::test]
async fn expected_failures_excuse_and_stale_entries_fail() {
    let file = dir("expected").with_extension("txt");
    std::fs::write(&file, "# known\nA wrong code_verifier is refused and burns the code:as.pkce.wrong-verifier\nA missing code_verifier is refused\n").unwrap();
    let opts = RunOptions {
        tags: Some("@rfc7636".into()),
        no_reports: true,
        expected_failures: Some(file.clone()),
        faults: vec![mock_idp::Fault::SkipPkceCheck],
        ..RunOptions::default()
    };
    let excused = run(&opts).await.unwrap();
    assert!(excused.stale.is_empty(), "{:?}", excused.stale);
    assert_eq!(
        excused.exit_code(),
        0,
        "{:?}",
        excused
            .records
            .iter()
            .map(|r| (&r.name, r.status))
            .collect::<Vec<_>>()
    );
    let clean = run(&RunOptions {
        faults: vec![],
        ..opts
    })
    .await
    .unwrap();
    assert_eq!(clean.stale.len(), 2, "{:?}", clean.stale);
    assert_eq!(clean.exit_code(), 1);
    // The closing line says why the run fails although nothing failed.
    assert!(
        clean
            .closing_line()
            .ends_with("0 failed, 0 skipped, 2 stale"),
        "{}",
        clean.closing_line()
    );
}

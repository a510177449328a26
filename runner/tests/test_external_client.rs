//! OAuth clients under test through the JSON-lines adapter contract (docs/adapters.md): the
//! reference client as an adapter process (`authconform client-adapter`) passes the `@client`
//! scenarios that need no clock, and those that do once its profile says it takes the `clock`
//! command; an adapter that never answers is `hung`, not a hung run, and
//! what it said on stderr is in the report.

use std::path::{Path, PathBuf};

use authconform::check::Status;
use authconform::{RunOptions, run};

fn profile(dir: &Path, name: &str, client: &str) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("profile.yaml");
    std::fs::write(&path, format!("name: {name}\nclient:\n{client}")).unwrap();
    path
}

fn tmp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

#[tokio::test]
async fn the_reference_client_as_an_adapter_process_passes() {
    let dir = tmp("external-client");
    let path = profile(
        &dir,
        "reference-adapter",
        &format!(
            "  command: [{:?}, client-adapter]\n  timeout_seconds: 20\n",
            env!("CARGO_BIN_EXE_authconform")
        ),
    );
    let summary = run(&RunOptions {
        target: Some(path),
        // Everything but the scenarios where time must pass (the process has the system clock).
        tags: Some("@client and not @refresh".into()),
        out: Some(dir.join("out")),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(summary.records.len() >= 15, "{}", summary.records.len());
    for r in &summary.records {
        assert!(
            matches!(r.status, Status::Passed | Status::Skipped),
            "{}: {:?} {:?}",
            r.name,
            r.status,
            r.checks
        );
    }
    // The renewal scenario needs 400 s to pass: skipped with the reason, never passed.
    let renewal = summary
        .records
        .iter()
        .find(|r| r.name.contains("renewed"))
        .unwrap();
    assert_eq!(renewal.status, Status::Skipped, "{:?}", renewal.note);
}

/// Refresh, renewal and expiry, with the contract's `clock` command moving the adapter's time
/// (the process reads the system clock): every one runs and passes, none is skipped for time.
#[tokio::test]
async fn with_the_clock_command_the_scenarios_where_time_passes_run() {
    let dir = tmp("external-client-clock");
    let path = profile(
        &dir,
        "reference-adapter-clock",
        &format!(
            "  command: [{:?}, client-adapter]\n  timeout_seconds: 20\ncapabilities:\n  clock: true\n",
            env!("CARGO_BIN_EXE_authconform")
        ),
    );
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@client and @clock".into()),
        out: Some(dir.join("out")),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(summary.records.len() >= 2, "{}", summary.records.len());
    for r in &summary.records {
        assert_eq!(
            r.status,
            Status::Passed,
            "{}: {:?} {:?}",
            r.name,
            r.note,
            r.checks
        );
    }
}

/// Runs the @client @oidc scenarios against an adapter `command` that never answers: every one
/// is hung, and its note carries `said` (what the adapter wrote on stderr).
async fn every_scenario_hung_saying(
    dir: &str,
    command: &str,
    said: &str,
) -> authconform::RunSummary {
    let dir = tmp(dir);
    let path = profile(
        &dir,
        "silent",
        &format!("  command: [sh, -c, \"{command}\"]\n  timeout_seconds: 1\n"),
    );
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@client and @oidc".into()),
        no_reports: true,
        concurrency: Some(2),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(!summary.records.is_empty());
    for r in &summary.records {
        assert_eq!(r.status, Status::Hung, "{}: {:?}", r.name, r.note);
        assert!(
            r.note.as_deref().is_some_and(|n| n.contains(said)),
            "{:?}",
            r.note
        );
    }
    summary
}

#[tokio::test]
async fn an_adapter_that_never_answers_is_hung() {
    // What the adapter said on stderr is in the report.
    let summary = every_scenario_hung_saying(
        "client-hung",
        "echo 'stuck waiting for a browser' >&2; exec sleep 60",
        "stuck waiting for a browser",
    )
    .await;
    assert_eq!(summary.exit_code(), 1);
}

/// A wrapper whose own child keeps stderr open (a `flock` waiting for a port, a server it
/// started) never closes the pipe: what the adapter said before it was stopped is still in the
/// report.
#[tokio::test]
async fn what_a_hung_adapter_said_survives_a_grandchild_holding_its_stderr() {
    every_scenario_hung_saying(
        "client-hung-grandchild",
        "echo 'waiting for localhost:8000 (another adapter holds it)' >&2; sleep 30 & exec sleep 60",
        "another adapter holds it",
    )
    .await;
}

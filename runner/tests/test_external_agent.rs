//! Multi-user agent servers under test through the agent side of the JSON-lines adapter
//! contract (docs/adapters.md, "Multi-user agent servers"): the reference agent server as an
//! adapter process (`authconform agent-adapter`) passes every `@agent` scenario, fifty
//! concurrent users included; one with a fault fails where it should; an adapter that never
//! answers is `hung`, with what it said on stderr in the report.

use std::path::{Path, PathBuf};

use authconform::check::Status;
use authconform::{RunOptions, run};

fn profile(dir: &Path, agent: &str) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("profile.yaml");
    std::fs::write(&path, format!("name: agent-under-test\nagent:\n{agent}")).unwrap();
    path
}

fn tmp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn reference(extra: &str) -> String {
    format!(
        "  command: [{:?}, agent-adapter{extra}]\n  timeout_seconds: 20\n",
        env!("CARGO_BIN_EXE_authconform")
    )
}

#[tokio::test]
async fn the_reference_agent_server_as_an_adapter_process_passes() {
    let dir = tmp("external-agent");
    let path = profile(&dir, &reference(""));
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@agent".into()),
        out: Some(dir.join("out")),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(summary.records.len() >= 9, "{}", summary.records.len());
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

#[tokio::test]
async fn a_server_sharing_one_token_fails_the_isolation_checks() {
    let dir = tmp("external-agent-shared");
    let path = profile(&dir, &reference(", --fault, agent-shared-token-cache"));
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@agent".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    let three = summary
        .records
        .iter()
        .find(|r| r.name.starts_with("Three users"))
        .unwrap();
    assert_eq!(three.status, Status::Failed);
    let own = three
        .checks
        .iter()
        .find(|c| c.id == "agent.isolation.own-token")
        .unwrap();
    assert_eq!(own.status, Status::Failed);
    assert!(own.message.contains("alice's token"), "{}", own.message);
}

#[tokio::test]
async fn an_agent_adapter_that_never_answers_is_hung() {
    let dir = tmp("agent-hung");
    let path = profile(
        &dir,
        "  command: [sh, -c, \"echo 'agent stuck' >&2; exec sleep 60\"]\n  timeout_seconds: 1\n",
    );
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@agent".into()),
        no_reports: true,
        concurrency: Some(4),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(!summary.records.is_empty());
    for r in &summary.records {
        assert_eq!(r.status, Status::Hung, "{}: {:?}", r.name, r.note);
        assert!(
            r.note.as_deref().is_some_and(|n| n.contains("agent stuck")),
            "{:?}",
            r.note
        );
    }
    assert_eq!(summary.exit_code(), 1);
}

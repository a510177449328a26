//! MCP clients under test as commands, on the MCP conformance client contract: the reference
//! client as an external process passes; a command receives the server URL as its last argument
//! and the three MCP_CONFORMANCE_* variables; a client that never finishes is stopped at the
//! profile's limit and its verdict is `hung`, not a hung run; with `capabilities.clock` a command
//! that follows the clock file sees each move, and one that never acknowledges fails with why.

use std::path::{Path, PathBuf};

use authconform::check::Status;
use authconform::{RunOptions, run};

fn profile(dir: &Path, name: &str, client: &str) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("profile.yaml");
    std::fs::write(&path, format!("name: {name}\nmcp_client:\n{client}")).unwrap();
    path
}

fn tmp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

#[tokio::test]
async fn the_reference_client_as_a_command_passes() {
    let dir = tmp("external-mcp-client");
    let path = profile(
        &dir,
        "reference-as-command",
        &format!(
            "  command: [{:?}, mcp-client]\n  timeout_seconds: 20\n",
            env!("CARGO_BIN_EXE_authconform")
        ),
    );
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@mcp-client and (@rfc7636 or @rfc8707 or @refresh)".into()),
        out: Some(dir.join("out")),
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(summary.records.len() >= 4, "{:?}", summary.records.len());
    for r in &summary.records {
        assert_eq!(r.status, Status::Passed, "{}: {:?}", r.name, r.checks);
    }
    assert_eq!(summary.exit_code(), 0);
}

#[tokio::test]
async fn a_command_gets_the_url_last_and_the_conformance_variables() {
    let dir = tmp("mcp-client-contract");
    let seen = dir.join("seen.txt");
    let script = format!(
        "printf '%s|%s|%s|%s\\n' \"$MCP_CONFORMANCE_SCENARIO\" \"$MCP_CONFORMANCE_PROTOCOL_VERSION\" \"$MCP_CONFORMANCE_CONTEXT\" \"$1\" >> {}; echo 'nothing to see' >&2; exit 3",
        seen.display()
    );
    let path = profile(
        &dir,
        "contract",
        &format!(
            "  command: [sh, -c, {script:?}, sh]\n  protocol_version: \"2025-06-18\"\n  timeout_seconds: 10\n"
        ),
    );
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@mcp-client and @rfc7591".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    // The client did nothing: the scenario fails, and says what the client said.
    let r = &summary.records[0];
    assert_eq!(r.status, Status::Failed, "{:?}", r.checks);
    assert!(
        r.checks
            .iter()
            .any(|c| c.message.contains("nothing to see")),
        "{:?}",
        r.checks
    );
    let line = std::fs::read_to_string(&seen).unwrap();
    let parts: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(parts[0], "auth/basic-dcr", "{line}");
    assert_eq!(parts[1], "2025-06-18");
    let context: serde_json::Value = serde_json::from_str(parts[2]).unwrap();
    assert_eq!(context["name"], "auth/basic-dcr");
    assert!(
        parts[3].starts_with("http://127.0.0.1:") && parts[3].ends_with("/mcp"),
        "{line}"
    );
}

#[tokio::test]
async fn a_client_that_never_finishes_is_hung_within_the_limit() {
    let dir = tmp("mcp-client-hung");
    let path = profile(
        &dir,
        "hangs",
        "  command: [sh, -c, \"exec sleep 60\", sh]\n  timeout_seconds: 1\n",
    );
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@mcp-client and @rfc7591".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert_eq!(summary.records[0].status, Status::Hung);
    assert_eq!(summary.totals.hung, 1);
    assert_eq!(summary.exit_code(), 1);
}

#[tokio::test]
async fn a_client_that_opens_a_browser_is_served_by_the_shim() {
    // The reference client in browser mode: a loopback redirect URI, the URL handed to
    // $BROWSER (the runner's shim), the code from the browser's visit to the loopback listener.
    let dir = tmp("mcp-client-browser");
    let path = profile(
        &dir,
        "reference-in-a-browser",
        &format!(
            "  command: [{:?}, mcp-client, --browser]\n  timeout_seconds: 20\n",
            env!("CARGO_BIN_EXE_authconform")
        ),
    );
    let summary = run(&RunOptions {
        target: Some(path),
        // Not @refusal: facing an error page instead of a redirect, a browser client can only
        // wait for its own time limit (docs/targets/mcp-clients.md).
        tags: Some("@mcp-client and (@rfc7591 or @rfc8707 or @policy) and not @refusal".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert!(summary.records.len() >= 5, "{}", summary.records.len());
    for r in &summary.records {
        assert_eq!(r.status, Status::Passed, "{}: {:?}", r.name, r.checks);
    }
}

#[tokio::test]
async fn opening_a_javascript_url_is_reported() {
    // A client that hands whatever the metadata names to the system's opener.
    let dir = tmp("mcp-client-opens-anything");
    let path = profile(
        &dir,
        "opens-anything",
        "  command: [sh, -c, \"xdg-open 'javascript:alert(1)'; exit 1\", sh]\n  timeout_seconds: 10\n",
    );
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@mcp-client and @policy".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    let javascript = summary
        .records
        .iter()
        .find(|r| r.name.contains("javascript"))
        .unwrap();
    let check = javascript
        .checks
        .iter()
        .find(|c| c.id.ends_with("not-opened"))
        .unwrap();
    assert_eq!(check.status, Status::Warned, "{check:?}");
    assert!(check.message.contains("javascript:alert(1)"), "{check:?}");
}

/// The reference client as a command behind a shell loop that follows the clock file: each new
/// total is written to the `.ack` file (and kept in `moves`), as a client that moves its own time
/// would.
fn clock_following_client(moves: &Path) -> String {
    let follower = format!(
        "last=0; while :; do v=$(cat \"$AUTHCONFORM_CLOCK_FILE\" 2>/dev/null); if [ -n \"$v\" ] && [ \"$v\" != \"$last\" ]; then echo \"$v\" >> {moves:?}; echo \"$v\" > \"$AUTHCONFORM_CLOCK_FILE.ack\"; last=$v; fi; sleep 0.01; done & exec {:?} mcp-client \"$@\"",
        env!("CARGO_BIN_EXE_authconform")
    );
    format!(
        "  command: [sh, -c, {follower:?}, sh]\n  timeout_seconds: 20\ncapabilities: {{clock: true}}\n"
    )
}

#[tokio::test]
async fn with_capabilities_clock_the_client_follows_the_clock_file_and_acknowledges_each_move() {
    let dir = tmp("mcp-client-clock");
    let moves = dir.join("moves.txt");
    let path = profile(&dir, "clock", "");
    std::fs::write(
        &path,
        format!(
            "name: clock\nmcp_client:\n{}",
            clock_following_client(&moves)
        ),
    )
    .unwrap();
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@mcp-client and @refresh and @must".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    assert_eq!(summary.records.len(), 3);
    for r in &summary.records {
        assert_eq!(r.status, Status::Passed, "{}: {:?}", r.name, r.checks);
    }
    // The expiry scenarios moved the client's clock (300 s tokens, moved 420 s; twice in the
    // rotation scenario); the clock-skew scenario moved only the server's.
    let moved = std::fs::read_to_string(&moves).unwrap();
    let mut totals: Vec<&str> = moved.lines().collect();
    totals.sort_unstable();
    assert_eq!(totals, ["420", "420", "840"], "{moved}");
}

#[tokio::test]
async fn a_client_that_never_acknowledges_its_clock_fails_with_the_reason() {
    let dir = tmp("mcp-client-clock-unacknowledged");
    let path = profile(
        &dir,
        "clock-ignored",
        &format!(
            "  command: [{:?}, mcp-client]\n  timeout_seconds: 20\ncapabilities: {{clock: true}}\n",
            env!("CARGO_BIN_EXE_authconform")
        ),
    );
    let summary = run(&RunOptions {
        target: Some(path),
        tags: Some("@mcp-client and @refresh and @must".into()),
        no_reports: true,
        ..RunOptions::default()
    })
    .await
    .unwrap();
    let failed: Vec<_> = summary
        .records
        .iter()
        .filter(|r| r.status == Status::Failed)
        .collect();
    assert_eq!(failed.len(), 2, "{:?}", summary.records);
    for r in failed {
        assert!(
            r.checks.iter().any(|c| c
                .message
                .contains("did not acknowledge its clock moved to +420 s")),
            "{}: {:?}",
            r.name,
            r.checks
        );
    }
}

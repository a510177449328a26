//! The `authconform` binary: exit codes (0 / 1 / 2), the closing line, and profile errors that
//! name the file, the key and the fix.

use std::process::Command;

fn authconform(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_authconform"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap()
}

#[test]
fn run_on_the_builtin_target_exits_0_with_the_closing_line() {
    let out_dir = format!("{}/cli-run", env!("CARGO_TARGET_TMPDIR"));
    let out = authconform(&["run", "--tags", "@rfc8414 and @as", "--out", &out_dir]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().last(), Some("2 passed, 0 failed, 0 skipped"));
}

#[test]
fn an_invalid_profile_exits_2_naming_the_file_and_key() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("bad-profile.yaml");
    std::fs::write(&file, "name: bad\nissuer: https://idp.example\nclients:\n  confidential:\n    client_id: c\n    client_secret: s\n    redirect_uri: https://c.example/cb\n    auth_method: private_key_jwt\nusers: [{username: u}]\nlogin: [{submit: Sign in}]\n").unwrap();
    let out = authconform(&["run", "--target", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad-profile.yaml")
            && err.contains("clients.confidential.auth_method")
            && err.contains("client_secret_basic"),
        "{err}"
    );
}

#[test]
fn a_bad_tag_expression_exits_2() {
    let out = authconform(&["run", "--tags", "@as and and"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tags"));
}

#[test]
fn list_and_explain_show_checks_with_spec_references() {
    let out = authconform(&["list"]);
    assert_eq!(out.status.code(), Some(0));
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("A wrong code_verifier is refused and burns the code")
            && list.contains("RFC 7636 §4.6")
    );
    let out = authconform(&["explain", "as.pkce.wrong-verifier"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("as.pkce.code-burned")
            && text.contains("the client redeems the code with a wrong code_verifier"),
        "{text}"
    );
    assert_eq!(
        authconform(&["explain", "no such scenario"]).status.code(),
        Some(2)
    );
}

//! The `@rs` suite against an *external* resource server: a second mock-idp, started here, whose
//! reference resource server trusts the runner's mock-idp at the profile's `mock_idp_listen`
//! (same fixed key, so it can verify the runner's tokens). It knows nothing of the runner's key
//! rotation, so the runner must report exactly that: the new key warned, the removed key failed.
//! It also shows a profile without `clients` runs only `@rs` scenarios.

use std::path::PathBuf;

use authconform::check::Status;
use authconform::{RunOptions, run};
use mock_idp::{Config, MockIdp};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn an_external_resource_server_is_judged_against_the_runners_issuer() {
    let mock_port = free_port();
    let mut config = Config::from_yaml(
        include_str!("../../fixtures/targets/builtin-mock-idp.yaml"),
        "builtin-mock-idp.yaml",
        &|_| None,
    )
    .unwrap();
    config.resource_server.issuer = Some(format!("http://127.0.0.1:{mock_port}"));
    config.resource_server.jwks_cache_ttl = 0;
    let rs = MockIdp::start(config).await.unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("external-rs");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let builtin = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/targets/builtin.yaml"
    ))
    .unwrap();
    let start = builtin.find("resource_server:").unwrap();
    let end = builtin.find("mcp_server:").unwrap_or(builtin.len());
    let section = &builtin[start..end];
    let section = section
        .replace("\"{mock}\"", rs.url())
        .replace("\"{mock}/api\"", &format!("{}/api", rs.url()))
        .replace("jwks_cache_seconds: 300", "jwks_cache_seconds: 0")
        .replace(
            "resource_server:\n",
            &format!("resource_server:\n  mock_idp_listen: 127.0.0.1:{mock_port}\n"),
        );
    let profile = format!("name: external-rs\ncapabilities:\n  max_wait_seconds: 1\n{section}");
    let path = dir.join("profile.yaml");
    std::fs::write(&path, profile).unwrap();
    let summary = run(&RunOptions {
        target: Some(path),
        out: Some(dir.join("out")),
        ..RunOptions::default()
    })
    .await
    .expect("the run sets up");
    rs.shutdown().await;

    assert!(
        summary
            .records
            .iter()
            .all(|r| r.tags.iter().any(|t| t == "rs")),
        "a profile without clients runs only @rs scenarios"
    );
    let status = |name: &str| {
        summary
            .records
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no scenario {name}"))
            .status
    };
    assert_eq!(
        status("A token signed by a newly published key is accepted"),
        Status::Warned
    );
    assert_eq!(
        status("A token signed by a removed key is refused once the JWKS cache expires"),
        Status::Failed
    );
    let others: Vec<_> = summary
        .records
        .iter()
        .filter(|r| !r.name.contains("key is") && r.status != Status::Passed)
        .map(|r| (&r.name, r.status, &r.note))
        .collect();
    assert!(others.is_empty(), "{others:#?}");
    assert_eq!(summary.exit_code(), 1);
}

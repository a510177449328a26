//! `authconform mutate`: the clean run passes and every fault of the built-in components (mock-idp,
//! the reference MCP and OAuth clients, the reference agent server) is killed by a scenario.

#[tokio::test]
async fn every_fault_is_killed() {
    let report = authconform::engine::mutate::mutate(&[], None, None)
        .await
        .expect("mutation runs set up");
    assert!(
        report.clean_passed,
        "clean run failed: {:?}",
        report.clean_failures
    );
    let survivors: Vec<&str> = report
        .mutants
        .iter()
        .filter(|m| !m.killed)
        .map(|m| m.fault.as_str())
        .collect();
    assert!(
        survivors.is_empty(),
        "faults no scenario catches: {survivors:?}"
    );
    assert_eq!(
        report.mutants.len(),
        mock_idp::Fault::ALL.len()
            + reference::mcp_client::ClientFault::ALL.len()
            + reference::oauth_client::OAuthClientFault::ALL.len()
            + reference::agent_server::AgentFault::ALL.len()
    );
    assert_eq!(report.exit_code(), 0);
}

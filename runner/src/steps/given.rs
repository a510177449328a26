//! Given steps: which client acts, which faults are on, what the target must be able to do.

use cucumber::given;

use crate::skip;
use crate::world::AuthWorld;

#[given(regex = r"^the (confidential|other confidential|public|service) client$")]
async fn the_client(w: &mut AuthWorld, which: String) -> Result<(), String> {
    w.agent.step = format!("Given the {which} client");
    let c = &w.ctx.profile.clients;
    let chosen = match which.as_str() {
        "confidential" => Some(c.confidential.clone()),
        "other confidential" => c.other_confidential.clone(),
        "public" => c.public.clone(),
        _ => c.service.clone(),
    };
    match chosen {
        Some(client) => w.client = Some(client),
        None => skip!(
            "the target profile has no {which} client (clients.{})",
            which.replace(' ', "_")
        ),
    }
    w.ensure_target().await
}

#[given(regex = r#"^the target runs with the fault "([a-z0-9-]+)"$"#)]
async fn with_fault(w: &mut AuthWorld, name: String) -> Result<(), String> {
    let fault: mock_idp::Fault = name
        .parse()
        .map_err(|e: mock_idp::faults::UnknownFault| e.to_string())?;
    w.ensure_target().await?;
    w.builtin_idp("switching a fault")
        .state()
        .faults
        .set(fault, true);
    Ok(())
}

#[given(regex = r"^the target's clock can be moved$")]
async fn clock_movable(w: &mut AuthWorld) -> Result<(), String> {
    if !w.ctx.profile.capabilities.clock {
        skip!("the target profile does not let the runner move its clock (capabilities.clock)");
    }
    w.ensure_target().await
}

#[given(regex = r"^the authorization server's metadata$")]
async fn metadata(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "Given the authorization server's metadata".into();
    w.metadata().await.map(|_| ())
}

//! Given steps: which client acts, which faults are on, what the target must be able to do.

use cucumber::given;

use crate::check::outcome::skip;
use crate::world::AuthWorld;

#[given(regex = r"^the (confidential|other confidential|public|service|device) client$")]
async fn the_client(w: &mut AuthWorld, which: String) -> Result<(), String> {
    w.agent.step = format!("Given the {which} client");
    let c = &w.ctx.profile.clients();
    let chosen = match which.as_str() {
        "confidential" => Some(c.confidential.clone()),
        "other confidential" => c.other_confidential.clone(),
        "public" => c.public.clone(),
        "device" => c.device.clone(),
        _ => c.service.clone(),
    };
    match chosen {
        Some(client) => w.as_flow_mut().client = Some(client),
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
    if let Some(idp) = &w.idp {
        idp.state().faults.set(fault, true);
        return Ok(());
    }
    if !w.ctx.profile.capabilities.faults {
        skip!("the target profile does not let the runner switch faults (capabilities.faults)");
    }
    let origin = url::Url::parse(&w.issuer)
        .map(|u| u.origin().ascii_serialization())
        .map_err(|e| e.to_string())?;
    let r = w
        .agent
        .send(
            reqwest::Method::POST,
            &format!("{origin}/_admin/faults/{name}"),
            &crate::http::user_agent::ClientAuth::None,
            &[],
            None,
            None,
        )
        .await?;
    if r.status == 200 {
        Ok(())
    } else {
        Err(format!("switching fault {name} failed: HTTP {}", r.status))
    }
}

#[given(regex = r"^the target's clock can be moved$")]
async fn clock_movable(w: &mut AuthWorld) -> Result<(), String> {
    let caps = &w.ctx.profile.capabilities;
    if !caps.clock && caps.max_wait_seconds == 0 {
        skip!(
            "the target's time cannot pass: the profile allows neither moving its clock (capabilities.clock) nor waiting (capabilities.max_wait_seconds)"
        );
    }
    w.ensure_target().await
}

#[given(regex = r"^the authorization server's metadata$")]
async fn metadata(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "Given the authorization server's metadata".into();
    w.metadata().await.map(|_| ())
}

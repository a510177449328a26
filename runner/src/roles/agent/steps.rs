//! Steps of the `@agent` scenarios: the agent server under test and its downstream client at the
//! mock (Given), people connecting with real, forged or no identities, and calling the tool one
//! by one or all at once (When).

use cucumber::{given, when};
use serde_json::json;

use crate::roles::agent::flow::{AGENT_CLIENT_ID, AGENT_CLIENT_SECRET, Presented};
use crate::roles::client::flow::{Tamper, damage};
use crate::world::AuthWorld;

/// The mock's users: the three of the demo and, for the many-users scenario, user-01 … user-NN.
fn ensure_users(w: &mut AuthWorld, names: Vec<String>) {
    w.mcp_client_flow_mut().tweaks.push(Box::new(move |cfg| {
        for name in &names {
            if !cfg.users.iter().any(|u| &u.username == name) {
                cfg.users.push(mock_idp::config::UserConfig {
                    username: name.clone(),
                    password: None,
                    name: None,
                    email: None,
                    claims: Default::default(),
                });
            }
        }
    }));
}

/// `user-01` … `user-NN`.
pub fn many(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("user-{i:02}")).collect()
}

/// "alice, hatter and bob" → the names.
fn names(list: &str) -> Vec<String> {
    list.replace(" and ", ", ")
        .split(", ")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[given("the agent server under test calls a protected API with each user's own token")]
async fn agent_server(w: &mut AuthWorld) {
    let redirect = w.agent_profile().redirect_uri.clone();
    w.agent
        .redactor
        .register("client_secret", AGENT_CLIENT_SECRET);
    let client: mock_idp::config::ClientConfig = serde_json::from_value(json!({
        "client_id": AGENT_CLIENT_ID,
        "client_secret": AGENT_CLIENT_SECRET,
        "token_endpoint_auth_method": "client_secret_basic",
        "redirect_uris": [redirect],
        "grant_types": ["authorization_code", "refresh_token"],
        "scope": "openid profile email",
    }))
    .expect("a valid client");
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(move |cfg| cfg.clients.push(client)));
    ensure_users(w, names("alice, bob and hatter"));
    w.mcp_client_flow_mut().stamp_api = true;
}

#[given(regex = r"^(\w+) denies every consent prompt$")]
async fn denies(w: &mut AuthWorld, person: String) {
    w.agent_flow_mut().tampers.insert(person, Tamper::Error);
}

#[given(
    regex = r"^(\w+)'s browser comes back from every consent prompt with (a forged state|no state|no code|another issuer's iss|no iss)$"
)]
async fn tampered_consent(w: &mut AuthWorld, person: String, how: String) -> Result<(), String> {
    let t = damage(&how)?;
    w.agent_flow_mut().tampers.insert(person, t);
    Ok(())
}

#[given(regex = r"^(\d+) more users$")]
async fn more_users(w: &mut AuthWorld, n: usize) {
    ensure_users(w, many(n));
}

#[when(regex = r"^(.+) connects? with (?:her|his|their) own identity tokens?$")]
async fn connect_own(w: &mut AuthWorld, who: String) -> Result<(), String> {
    let people = match who
        .strip_prefix("the ")
        .and_then(|s| s.strip_suffix(" users"))
    {
        Some(n) => many(n.parse().map_err(|_| format!("not a number: {n}"))?),
        None => names(&who),
    };
    for p in people {
        w.agent_connect(&p, &p, &p, Presented::OwnToken).await?;
    }
    Ok(())
}

#[when(
    regex = r"^(\w+) connects with (a session cookie|a query parameter|an unsigned JWT|a JWT signed by another key|an expired identity token|a JWT for another audience|a JWT from another issuer|a JWT signed with HS256 and the public key) claiming to be (\w+)$"
)]
async fn connect_forged(
    w: &mut AuthWorld,
    person: String,
    how: String,
    claimed: String,
) -> Result<(), String> {
    let how = match how.as_str() {
        "a session cookie" => Presented::Cookie,
        "a query parameter" => Presented::Query,
        "an unsigned JWT" => Presented::UnsignedJwt,
        "a JWT signed by another key" => Presented::ForeignKeyJwt,
        "a JWT for another audience" => Presented::WrongAudienceJwt,
        "a JWT from another issuer" => Presented::WrongIssuerJwt,
        "a JWT signed with HS256 and the public key" => Presented::Hs256Jwt,
        _ => Presented::ExpiredJwt,
    };
    w.agent_connect(&format!("{person}-forged"), &person, &claimed, how)
        .await
}

#[when(regex = r"^(\w+) connects anonymously$")]
async fn connect_anonymous(w: &mut AuthWorld, person: String) -> Result<(), String> {
    w.agent_connect(
        &format!("{person}-anonymous"),
        &person,
        "",
        Presented::Anonymous,
    )
    .await
}

/// The connection `person` opened last.
fn connection_of(w: &AuthWorld, person: &str) -> Result<String, String> {
    w.agent_flow()
        .opened
        .iter()
        .rev()
        .find(|(_, p)| p == person)
        .map(|(c, _)| c.clone())
        .ok_or_else(|| format!("{person} has no connection (a defect in the feature file)"))
}

#[when(regex = r"^(\w+) calls the tool$")]
async fn calls(w: &mut AuthWorld, person: String) -> Result<(), String> {
    let c = connection_of(w, &person)?;
    w.agent_calls(&[c]).await
}

#[when(regex = r"^(.+) each call the tool (once|twice), one after the other$")]
async fn each_calls(w: &mut AuthWorld, who: String, times: String) -> Result<(), String> {
    let rounds = if times == "twice" { 2 } else { 1 };
    let people = names(&who);
    for _ in 0..rounds {
        for p in &people {
            let c = connection_of(w, p)?;
            w.agent_calls(&[c]).await?;
        }
    }
    Ok(())
}

#[when(regex = r"^the (\d+) users call the tool at once$")]
async fn all_at_once(w: &mut AuthWorld, n: usize) -> Result<(), String> {
    let connections: Vec<String> = many(n)
        .iter()
        .map(|p| connection_of(w, p))
        .collect::<Result<_, _>>()?;
    w.agent_calls(&connections).await
}

#[when(regex = r"^(.+) call the tool at once and answer the consent prompts in the reverse order$")]
async fn at_once_reversed(w: &mut AuthWorld, who: String) -> Result<(), String> {
    let connections: Vec<String> = names(&who)
        .iter()
        .map(|p| connection_of(w, p))
        .collect::<Result<_, _>>()?;
    w.agent_calls_answering(&connections, true).await
}

//! Given and When steps of the MCP-server scenarios (`@mcp-server`): tokens for the server's
//! resource (or another one), sessions opened and driven by alice and bob, requests from a
//! foreign Origin or with a bad protocol version, event streams, protected resource metadata.

use cucumber::{given, when};
use mock_idp::mint::Flaw;
use reqwest::Method;
use serde_json::json;

use crate::check::outcome::skip;
use crate::roles::mcp_server::flow::McpCall;
use crate::world::AuthWorld;

fn as_user(user: &str) -> McpCall {
    McpCall {
        as_user: Some(user.into()),
        ..Default::default()
    }
}

#[given(regex = r"^a token for (alice|bob) for the MCP server$")]
async fn token(w: &mut AuthWorld, user: String) -> Result<(), String> {
    w.agent.step = format!("Given a token for {user} for the MCP server");
    let scope = w.mcp_profile().read_scope;
    w.mint_mcp_token(&user, &scope, None, None).await
}

#[given(regex = r"^a token for alice for the MCP server without its read scope$")]
async fn token_without_read(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "Given a token for alice without the MCP server's read scope".into();
    let p = w.mcp_profile();
    w.rs_flow_mut().needed_scope = Some(p.read_scope.clone());
    let other = p.write_scope.unwrap_or_else(|| "profile".into());
    w.mint_mcp_token("alice", &other, None, None).await
}

#[given(regex = r#"^a token for alice for the MCP server with the flaw "([a-z0-9-]+)"$"#)]
async fn flawed(w: &mut AuthWorld, flaw: String) -> Result<(), String> {
    w.agent.step = format!("Given a token for alice with the flaw {flaw}");
    if flaw == "not-a-jwt" {
        w.ensure_target().await?;
        w.set_raw_mcp_token("alice", "this-is-not-a-jwt");
        return Ok(());
    }
    let parsed = Flaw::parse(&flaw).ok_or_else(|| format!("unknown flaw {flaw:?}"))?;
    let scope = w.mcp_profile().read_scope;
    w.mint_mcp_token("alice", &scope, Some(parsed), None).await
}

#[given(regex = r"^a token for alice issued for another resource of the same issuer$")]
async fn other_resource(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "Given a token for alice issued for another resource".into();
    w.ensure_target().await?;
    let scope = w.mcp_profile().read_scope;
    let other = w.rs_expand("{mock}/api")?;
    w.mint_mcp_token("alice", &scope, None, Some(other)).await
}

#[when(regex = r"^(alice|bob) initializes an MCP session$")]
async fn initialize(w: &mut AuthWorld, user: String) -> Result<(), String> {
    w.agent.step = format!("When {user} initializes an MCP session");
    w.mcp_initialize(&as_user(&user)).await.map(|_| ())
}

#[when(regex = r"^the client initializes an MCP session without credentials$")]
async fn initialize_anonymous(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the client initializes an MCP session without credentials".into();
    w.mcp_initialize(&McpCall::default()).await.map(|_| ())
}

#[when(regex = r"^alice initializes an MCP session with her token in the query string$")]
async fn initialize_query(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When alice sends her token in the query string".into();
    let call = McpCall {
        token_in_query: true,
        ..as_user("alice")
    };
    w.mcp_initialize(&call).await.map(|_| ())
}

#[when(regex = r#"^alice initializes an MCP session from the Origin "([^"]+)"$"#)]
async fn initialize_origin(w: &mut AuthWorld, origin: String) -> Result<(), String> {
    w.agent.step = format!("When alice initializes from Origin {origin}");
    let call = McpCall {
        origin: Some(origin),
        ..as_user("alice")
    };
    w.mcp_initialize(&call).await.map(|_| ())
}

/// The header is for "all subsequent requests" after initialize (MCP 2025-06-18 Transports,
/// Protocol Version Header): the session is opened normally, then a request carries `version`.
#[when(regex = r#"^alice calls the read tool in her session with MCP-Protocol-Version "([^"]+)"$"#)]
async fn call_with_version(w: &mut AuthWorld, version: String) -> Result<(), String> {
    w.agent.step = format!("When alice calls the read tool with MCP-Protocol-Version {version}");
    let tool = w.mcp_profile().read_tool;
    let call = McpCall {
        session_of: Some("alice".into()),
        protocol_version: Some(version),
        ..as_user("alice")
    };
    w.mcp_call_tool(&tool, json!({}), &call).await.map(|_| ())
}

#[when(regex = r"^(alice|bob) calls the read tool in (alice|bob)'s session$")]
async fn call_read(w: &mut AuthWorld, user: String, owner: String) -> Result<(), String> {
    w.agent.step = format!("When {user} calls the read tool in {owner}'s session");
    let tool = w.mcp_profile().read_tool;
    let call = McpCall {
        session_of: Some(owner),
        ..as_user(&user)
    };
    w.mcp_call_tool(&tool, json!({}), &call).await.map(|_| ())
}

#[when(regex = r"^alice calls the write tool in her session$")]
async fn call_write(w: &mut AuthWorld) -> Result<(), String> {
    let p = w.mcp_profile();
    let (Some(tool), Some(scope)) = (p.write_tool.clone(), p.write_scope.clone()) else {
        skip!("the profile names no tool that needs a higher scope (mcp_server.write_tool)");
    };
    w.agent.step = format!("When alice calls {tool} without {scope}");
    w.rs_flow_mut().needed_scope = Some(scope);
    let args = p.write_arguments.clone().unwrap_or_else(|| json!({}));
    let call = McpCall {
        session_of: Some("alice".into()),
        ..as_user("alice")
    };
    w.mcp_call_tool(&tool, args, &call).await.map(|_| ())
}

#[when(regex = r"^the client opens an event stream in alice's session without credentials$")]
async fn stream_anonymous(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the client opens an event stream without credentials".into();
    let call = McpCall {
        session_of: Some("alice".into()),
        ..Default::default()
    };
    w.mcp_send(Method::GET, None, &call).await.map(|_| ())
}

#[when(regex = r"^alice calls the upstream tool in her session, pointing it at a recording API$")]
async fn call_upstream(w: &mut AuthWorld) -> Result<(), String> {
    let p = w.mcp_profile();
    let (Some(tool), Some(arg)) = (p.upstream_tool.clone(), p.upstream_url_argument.clone()) else {
        skip!(
            "the profile names no upstream-calling tool (mcp_server.upstream_tool, upstream_url_argument)"
        );
    };
    let recorder = crate::arena::upstream_recorder::Recorder::start()
        .await
        .map_err(|e| format!("the recording upstream did not start: {e}"))?;
    w.agent.redactor.fixed(&recorder.url, "{upstream}");
    let args = json!({ arg: recorder.url.clone() });
    w.mcp_flow_mut().upstream = Some(std::sync::Arc::new(recorder));
    w.agent.step = format!("When alice calls {tool} toward the recording upstream");
    let call = McpCall {
        session_of: Some("alice".into()),
        ..as_user("alice")
    };
    w.mcp_call_tool(&tool, args, &call).await.map(|_| ())
}

#[when(regex = r"^the client opens the legacy SSE endpoint without credentials$")]
async fn legacy_sse(w: &mut AuthWorld) -> Result<(), String> {
    w.ensure_target().await?;
    let Some(url) = w.mcp_profile().legacy_sse_url else {
        skip!("the profile names no legacy HTTP+SSE endpoint (mcp_server.legacy_sse_url)");
    };
    let url = w.rs_expand(&url)?;
    w.agent.step = "When the client opens the legacy SSE endpoint without credentials".into();
    let resp = w
        .agent
        .send(
            Method::GET,
            &url,
            &crate::http::user_agent::ClientAuth::None,
            &[("accept", "text/event-stream")],
            None,
            None,
        )
        .await?;
    w.last = Some(resp);
    Ok(())
}

#[when(regex = r"^the client fetches the protected resource metadata$")]
async fn fetch_metadata(w: &mut AuthWorld) -> Result<(), String> {
    w.agent.step = "When the client fetches the protected resource metadata".into();
    let named = w
        .last
        .as_ref()
        .and_then(|r| r.header("www-authenticate"))
        .and_then(|c| protocol::www_authenticate::param(c, "resource_metadata"));
    let mut candidates: Vec<String> = named.into_iter().collect();
    let url = url::Url::parse(&w.mcp_url()?).map_err(|e| e.to_string())?;
    let origin = url.origin().ascii_serialization();
    let path = url.path().trim_end_matches('/');
    candidates.push(format!(
        "{origin}/.well-known/oauth-protected-resource{path}"
    ));
    candidates.push(format!("{origin}/.well-known/oauth-protected-resource"));
    let challenge = w.last.clone();
    for c in candidates {
        let r = w.agent.get(&c).await?;
        if r.status == 200
            && let Some(j) = r.json()
        {
            w.mcp_flow_mut().metadata = Some((c, j));
            break;
        }
    }
    // Checks about the challenge still read the 401.
    w.last = challenge;
    Ok(())
}

//! `mock-idp mint`: a token to order from the command line, minted by a running mock-idp
//! (`--server`, through `POST /_admin/mint`) or offline from a config whose keys are pinned
//! (`--config`). Prints the token alone, or `--json` the token with its header and claims.
//!
//! Exit codes: 0 minted; 1 the server could not be reached; 2 bad arguments, a config that
//! cannot mint offline, or the server refused.

use std::path::PathBuf;
use std::process::ExitCode;

use mock_idp::config::SigningAlg;
use mock_idp::mint::{Flaw, MintRequest, Minted};
use mock_idp::{AppState, Config};
use serde_json::{Map, Value};

#[derive(clap::Args, Clone, Default)]
pub struct MintArgs {
    /// Mint on this running mock-idp (its admin API), e.g. http://localhost:5001.
    #[arg(long, conflicts_with = "config")]
    server: Option<String>,
    /// The admin token, when the server is configured with one.
    #[arg(long, env = "MOCK_IDP_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Mint offline from this config (its keys must be pinned: private_key_file or _pem).
    #[arg(long)]
    config: Option<PathBuf>,
    /// `sub` (default alice).
    #[arg(long)]
    sub: Option<String>,
    /// `iss` (default the issuer).
    #[arg(long)]
    iss: Option<String>,
    /// `aud`; repeat for several (default the issuer's /api).
    #[arg(long)]
    aud: Vec<String>,
    /// `scope`, space-separated.
    #[arg(long)]
    scope: Option<String>,
    /// `client_id` (default mint).
    #[arg(long)]
    client_id: Option<String>,
    /// Seconds from now to `exp`; negative: already expired.
    #[arg(long, allow_hyphen_values = true)]
    expires_in: Option<i64>,
    /// Seconds from now to `nbf`.
    #[arg(long, allow_hyphen_values = true)]
    not_before: Option<i64>,
    /// Sign with this published key.
    #[arg(long)]
    kid: Option<String>,
    /// Sign with a published key of this algorithm (ES256, RS256, EdDSA).
    #[arg(long)]
    alg: Option<String>,
    /// Header `typ` (default at+jwt).
    #[arg(long)]
    typ: Option<String>,
    /// A claim, NAME=VALUE; VALUE is JSON when it parses as JSON, else a string. Repeatable.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    claims: Vec<String>,
    /// A deliberate defect (expired, not-yet-valid, wrong-issuer, ...).
    #[arg(long)]
    flaw: Option<String>,
    /// Print {token, header, claims} as JSON instead of the token alone.
    #[arg(long)]
    json: bool,
}

/// Why minting failed, and the exit code that says so.
struct Failure(u8, String);

fn usage(msg: impl Into<String>) -> Failure {
    Failure(2, msg.into())
}

impl MintArgs {
    fn request(&self) -> Result<MintRequest, Failure> {
        let flaw = match &self.flaw {
            None => None,
            Some(f) => Some(Flaw::parse(f).ok_or_else(|| {
                usage(format!(
                    "--flaw {f:?} is not a flaw; use one of {}",
                    Flaw::ALL.map(|f| f.name()).join(", ")
                ))
            })?),
        };
        let alg = match self.alg.as_deref() {
            None => None,
            Some("ES256") => Some(SigningAlg::ES256),
            Some("RS256") => Some(SigningAlg::RS256),
            Some("EdDSA") => Some(SigningAlg::EdDSA),
            Some(a) => return Err(usage(format!("--alg {a:?}: use ES256, RS256 or EdDSA"))),
        };
        let mut claims = Map::new();
        for c in &self.claims {
            let Some((name, value)) = c.split_once('=') else {
                return Err(usage(format!(
                    "--claim {c:?}: write NAME=VALUE, e.g. --claim 'roles=[\"admin\"]'"
                )));
            };
            let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into()));
            claims.insert(name.to_string(), value);
        }
        let aud = match self.aud.as_slice() {
            [] => None,
            [one] => Some(Value::String(one.clone())),
            many => Some(Value::from(many.to_vec())),
        };
        Ok(MintRequest {
            sub: self.sub.clone(),
            iss: self.iss.clone(),
            aud,
            scope: self.scope.clone(),
            client_id: self.client_id.clone(),
            expires_in: self.expires_in,
            not_before: self.not_before,
            kid: self.kid.clone(),
            alg,
            typ: self.typ.clone(),
            claims,
            flaw,
        })
    }
}

/// Runs `mock-idp mint`.
pub fn run(args: MintArgs) -> ExitCode {
    match mint(&args) {
        Ok(m) if args.json => {
            println!("{}", serde_json::to_string_pretty(&m).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Ok(m) => {
            println!("{}", m.token);
            ExitCode::SUCCESS
        }
        Err(Failure(code, msg)) => {
            eprintln!("mock-idp mint: {msg}");
            ExitCode::from(code)
        }
    }
}

fn mint(args: &MintArgs) -> Result<Minted, Failure> {
    let req = args.request()?;
    match (&args.server, &args.config) {
        (Some(server), _) => remote(server, args.admin_token.as_deref(), &req),
        (None, Some(path)) => offline(path, &req),
        (None, None) => Err(usage(
            "say where the keys are: --server URL (a running mock-idp) or --config FILE (pinned keys)",
        )),
    }
}

fn offline(path: &std::path::Path, req: &MintRequest) -> Result<Minted, Failure> {
    let config = Config::from_file(path).map_err(|e| usage(e.to_string()))?;
    if let Some(i) = config
        .keys
        .iter()
        .position(|k| k.private_key_file.is_none() && k.private_key_pem.is_none())
    {
        return Err(usage(format!(
            "{}: keys[{i}] is generated at start, so a running server signs with a different key than an offline mint would; use --server URL, or pin the key with private_key_file",
            path.display()
        )));
    }
    let issuer = config
        .issuer
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    let state = AppState::new(config, issuer, mock_idp::clock::Clock::system())
        .map_err(|e| usage(e.to_string()))?;
    mock_idp::mint::mint(&state, req).map_err(|e| usage(e.to_string()))
}

fn remote(server: &str, admin_token: Option<&str>, req: &MintRequest) -> Result<Minted, Failure> {
    if !url::Url::parse(server).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
        return Err(usage(format!(
            "--server {server:?} is not an http(s) URL; write it like http://localhost:5001"
        )));
    }
    let url = format!("{}/_admin/mint", server.trim_end_matches('/'));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(1, format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| Failure(1, e.to_string()))?;
        let mut call = client.post(&url).json(req);
        if let Some(t) = admin_token.filter(|t| !t.is_empty()) {
            call = call.bearer_auth(t);
        }
        let resp = call.send().await.map_err(|e| {
            Failure(
                1,
                format!("cannot reach {url}: {e}; is mock-idp running there?"),
            )
        })?;
        let status = resp.status();
        let body: Value = resp
            .json()
            .await
            .map_err(|e| Failure(2, format!("{url} answered {status} without JSON: {e}")))?;
        if !status.is_success() {
            let why = body
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or("no description");
            let hint = if status == reqwest::StatusCode::UNAUTHORIZED {
                "; the server has an admin_token: pass --admin-token or set MOCK_IDP_ADMIN_TOKEN"
            } else {
                ""
            };
            return Err(usage(format!("{url} refused ({status}): {why}{hint}")));
        }
        serde_json::from_value(body).map_err(|e| usage(format!("unexpected answer: {e}")))
    })
}

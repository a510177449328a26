//! MCP's DPoP extension (`io.modelcontextprotocol/auth/dpop`, SEP-1932) for an MCP client whose
//! profile lists it: the MCP server takes only DPoP-bound tokens (its protected resource metadata
//! says `dpop_bound_access_tokens_required`, RFC 9728 §2; mock-idp `mcp.dpop_required`) and the
//! authorization server takes DPoP proofs. The checks read the proofs the client sent: one valid
//! proof on every token request (RFC 9449 §5), on every MCP request the token with the `DPoP`
//! scheme and a proof with `ath` made with the key the token is bound to (§7, §7.1), and no
//! proof sent twice (§4.2 `jti`). Where both servers ask for nonces (mock-idp
//! `dpop.require_nonce`, `dpop.resource_nonce`), every later proof to each carries the nonce that
//! server gave (§4.2, §8, §9).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cucumber::given;
use mock_idp::public_jwk::PublicJwk;
use serde_json::Value;

use crate::arena::recording_proxy::Seen;
use crate::check::outcome::{Failure, Outcome, fail, skip};
use crate::roles::mcp_client::checks::every_token;
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// The extension's identifier (the conformance suite's).
pub const EXTENSION: &str = "io.modelcontextprotocol/auth/dpop";

#[given("the MCP server takes only DPoP-bound tokens")]
async fn dpop_required(w: &mut AuthWorld) {
    if !w.mcp_client_profile().implements(EXTENSION) {
        skip!(
            "the client does not implement DPoP (its profile's mcp_client.extensions does not list {EXTENSION})"
        );
    }
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(|c: &mut mock_idp::Config| {
            c.dpop.enabled = true;
            c.mcp.dpop_required = true;
        }));
}

#[given("the authorization server and the MCP server ask for DPoP nonces")]
async fn both_ask_for_nonces(w: &mut AuthWorld) {
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(|c: &mut mock_idp::Config| {
            c.dpop.require_nonce = true;
            c.dpop.resource_nonce = true;
        }));
}

/// A DPoP proof as sent, checked by RFC 9449 §4.2 and §4.3 items 2-7.
struct Proof {
    jkt: String,
    claims: Value,
}

impl Proof {
    fn claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

/// The request's one DPoP proof, well-formed and signed with the key it names.
fn proof_of(s: &Seen) -> Result<Proof, String> {
    let all: Vec<&str> = s
        .headers
        .iter()
        .filter(|(k, _)| k == "dpop")
        .map(|(_, v)| v.as_str())
        .collect();
    let jwt = match all.as_slice() {
        [one] => *one,
        [] => return Err("no DPoP header".into()),
        _ => return Err(format!("{} DPoP headers (RFC 9449 §4.3 item 1)", all.len())),
    };
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, c, sig] = parts.as_slice() else {
        return Err("the DPoP header is not a JWS (RFC 9449 §4.2)".into());
    };
    let json = |p: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
    };
    let (header, claims) = match (json(h), json(c)) {
        (Some(h), Some(c)) => (h, c),
        _ => return Err("the DPoP proof's header or claims are not JSON".into()),
    };
    if header.get("typ").and_then(Value::as_str) != Some("dpop+jwt") {
        return Err(format!("typ {} is not dpop+jwt", header["typ"]));
    }
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    let jwk = header.get("jwk").cloned().unwrap_or(Value::Null);
    if jwk.get("d").is_some() {
        return Err("the proof's jwk contains a private key (RFC 9449 §4.2)".into());
    }
    let key = PublicJwk::parse(&jwk).map_err(|e| format!("the proof's jwk: {e}"))?;
    let signature = URL_SAFE_NO_PAD.decode(sig).unwrap_or_default();
    let input = &jwt[..h.len() + 1 + c.len()];
    if !key.verifies(alg, input.as_bytes(), &signature) {
        return Err(format!(
            "the proof's {alg} signature does not verify with its jwk"
        ));
    }
    for claim in ["jti", "htm", "htu"] {
        if claims
            .get(claim)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(format!("the proof has no {claim} (RFC 9449 §4.2)"));
        }
    }
    if !claims.get("iat").is_some_and(Value::is_number) {
        return Err("the proof has no numeric iat (RFC 9449 §4.2)".into());
    }
    Ok(Proof {
        jkt: key.thumbprint(),
        claims,
    })
}

/// The proof is for this request: `htm` its method, `htu` its URL without the query.
fn for_request(p: &Proof, s: &Seen, origin: &str) -> Result<(), String> {
    let want = format!("{}{}", origin.trim_end_matches('/'), s.path());
    if p.claim("htm") != Some(s.method.as_str()) {
        return Err(format!(
            "htm {:?} for a {} request",
            p.claim("htm"),
            s.method
        ));
    }
    if p.claim("htu") != Some(want.as_str()) {
        return Err(format!("htu {:?}, not {want}", p.claim("htu")));
    }
    Ok(())
}

/// `every token request carries a valid DPoP proof for the token endpoint`
async fn token_proofs(w: &mut AuthWorld) -> Outcome {
    let origin = w.issuer.clone();
    every_token(w, None, |s| {
        let p = proof_of(s)?;
        for_request(&p, s, &origin)
    })
}

const TOKEN_PROOFS: Evaluator = exact!(
    "every token request carries a valid DPoP proof for the token endpoint",
    token_proofs
);

/// The MCP requests that carried a token.
fn mcp_requests_with_token(w: &AuthWorld) -> Result<Vec<&Seen>, Failure> {
    Ok(w.client_seen()?
        .iter()
        .filter(|s| s.path() == "/mcp" && s.header("authorization").is_some())
        .collect())
}

/// The origin the client reaches the MCP server at.
fn mcp_origin(w: &AuthWorld) -> String {
    url::Url::parse(&w.client_server_url())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// `every MCP request carries the token with the DPoP scheme and a proof for it made with the token's key`
async fn resource_proofs(w: &mut AuthWorld) -> Outcome {
    let origin = mcp_origin(w);
    let all = mcp_requests_with_token(w)?;
    if all.is_empty() {
        return fail(format!(
            "the client sent no MCP request with a token{}",
            w.said()
        ));
    }
    let bound: Vec<String> = w
        .client_seen()?
        .iter()
        .filter(|s| s.is_token_request())
        .filter_map(|s| proof_of(s).ok().map(|p| p.jkt))
        .collect();
    for (i, s) in all.iter().enumerate() {
        let n = i + 1;
        let auth = s.header("authorization").unwrap_or("");
        let Some(token) = auth
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("dpop"))
            .map(|(_, t)| t.trim())
        else {
            let scheme = auth.split(' ').next().unwrap_or("");
            return fail(format!(
                "MCP request {n}: Authorization: {scheme} …, not the DPoP scheme (RFC 9449 §7.1)"
            ));
        };
        let p = proof_of(s).map_err(|e| Failure::Failed(format!("MCP request {n}: {e}")))?;
        for_request(&p, s, &origin)
            .map_err(|e| Failure::Failed(format!("MCP request {n}: {e}")))?;
        if p.claim("ath") != Some(protocol::dpop::access_token_hash(token).as_str()) {
            return fail(format!(
                "MCP request {n}: the proof's ath is not the hash of the token it came with (RFC 9449 §7)"
            ));
        }
        if !bound.contains(&p.jkt) {
            return fail(format!(
                "MCP request {n}: the proof is made with a key no token request proved"
            ));
        }
    }
    Ok(format!(
        "{} MCP request(s), each with Authorization: DPoP and a proof with ath, made with the token's key",
        all.len()
    ))
}

const RESOURCE_PROOFS: Evaluator = exact!(
    "every MCP request carries the token with the DPoP scheme and a proof for it made with the token's key",
    resource_proofs
);

/// `no DPoP proof is sent twice`
async fn fresh_proofs(w: &mut AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let mut jtis: Vec<(String, usize)> = Vec::new();
    for (i, s) in seen.iter().enumerate() {
        let Ok(p) = proof_of(s) else { continue };
        let jti = p.claim("jti").unwrap_or("").to_string();
        if let Some((_, first)) = jtis.iter().find(|(j, _)| *j == jti) {
            return fail(format!(
                "{} {} carries the proof (jti) of request {} again",
                s.method,
                s.path(),
                first + 1
            ));
        }
        jtis.push((jti, i));
    }
    if jtis.is_empty() {
        return fail(format!("the client sent no DPoP proof{}", w.said()));
    }
    Ok(format!("{} proofs, each with a jti of its own", jtis.len()))
}

const FRESH_PROOFS: Evaluator = exact!("no DPoP proof is sent twice", fresh_proofs);

/// Which server a request went to, for its nonces.
#[derive(Clone, Copy, PartialEq)]
enum Server {
    Authorization,
    Mcp,
}

impl Server {
    fn of(s: &Seen) -> Option<Self> {
        if s.is_token_request() {
            Some(Self::Authorization)
        } else if s.path() == "/mcp" && s.header("authorization").is_some() {
            Some(Self::Mcp)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Authorization => "token request",
            Self::Mcp => "MCP request",
        }
    }
}

/// After `server` gave a nonce, every later request to it carries in its proof one it gave, and
/// at least one does.
fn nonces_followed(w: &AuthWorld, server: Server) -> Outcome {
    let seen = w.client_seen()?;
    let mut given: Vec<&str> = Vec::new();
    let mut carried = 0;
    for s in seen.iter().filter(|s| Server::of(s) == Some(server)) {
        if !given.is_empty() {
            let nonce = proof_of(s)
                .ok()
                .and_then(|p| p.claim("nonce").map(str::to_string));
            match nonce {
                Some(n) if given.contains(&n.as_str()) => carried += 1,
                Some(_) => {
                    return fail(format!(
                        "a {} after the server's DPoP-Nonce carries a nonce that server never gave",
                        server.name()
                    ));
                }
                None => {
                    return fail(format!(
                        "a {} after the server's DPoP-Nonce carries no nonce in its proof",
                        server.name()
                    ));
                }
            }
        }
        if let Some(n) = s.response_header("dpop-nonce") {
            given.push(n);
        }
    }
    match (given.len(), carried) {
        (0, _) => fail(format!(
            "the server never gave a nonce: no {} reached it{}",
            server.name(),
            w.said()
        )),
        (_, 0) => fail(format!(
            "the client never sent a {} again with the server's nonce{}",
            server.name(),
            w.said()
        )),
        _ => Ok(format!(
            "{carried} {}(s) with the nonce the server gave",
            server.name()
        )),
    }
}

/// `after the authorization server's DPoP-Nonce, every token request's proof carries a nonce it gave`
async fn token_nonces(w: &mut AuthWorld) -> Outcome {
    nonces_followed(w, Server::Authorization)
}

/// `after the MCP server's DPoP-Nonce, every MCP request's proof carries a nonce it gave`
async fn mcp_nonces(w: &mut AuthWorld) -> Outcome {
    nonces_followed(w, Server::Mcp)
}

const TOKEN_NONCES: Evaluator = exact!(
    "after the authorization server's DPoP-Nonce, every token request's proof carries a nonce it gave",
    token_nonces
);
const MCP_NONCES: Evaluator = exact!(
    "after the MCP server's DPoP-Nonce, every MCP request's proof carries a nonce it gave",
    mcp_nonces
);

/// Every `@mcp-client` DPoP check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "mcp-client.dpop.completes",
        &crate::roles::mcp_client::checks::USED_SERVER_ACCEPTED,
    ),
    Check::new("mcp-client.dpop.token-request", &TOKEN_PROOFS),
    Check::new("mcp-client.dpop.resource-request", &RESOURCE_PROOFS),
    Check::new("mcp-client.dpop.fresh", &FRESH_PROOFS),
    Check::new(
        "mcp-client.dpop.nonce.completes",
        &crate::roles::mcp_client::checks::USED_SERVER_ACCEPTED,
    ),
    Check::new("mcp-client.dpop.nonce.token-request", &TOKEN_NONCES),
    Check::new("mcp-client.dpop.nonce.resource-request", &MCP_NONCES),
];

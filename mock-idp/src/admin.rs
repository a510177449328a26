//! The admin API under `/_admin/`: reset, users, clients, clock, keys, faults, journal, mint. It answers
//! loopback callers only, unless an admin token is configured, in which case every caller must
//! present it as a bearer token. Tests and the runner drive the mock through here.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::config::{ClientConfig, SigningAlg, UserConfig};
use crate::faults::Fault;
use crate::journal::{Decision, Filter};
use crate::keys::SigningKey;
use crate::oauth::client_auth::secrets_equal;
use crate::state::AppState;

const ENDPOINT: &str = "admin";

fn error(status: StatusCode, error: &str, description: impl Into<String>) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description.into()})),
    )
        .into_response()
}

/// Parses a JSON body; errors name the field and say what was expected.
fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Box<Response>> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    // serde's derived structs also accept a JSON array, field by field in declaration order:
    // `["bob"]` would silently mean `{"sub": "bob"}`. Admin bodies are objects.
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be a JSON object with named fields, e.g. {}, not an array",
        )));
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        Box::new(error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("at {path}: {}", e.into_inner()),
        ))
    })
}

/// The admin routes, guarded.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/reset", post(reset))
        .route("/users", get(list_users).post(put_user))
        .route("/users/{username}", delete(delete_user))
        .route("/clients", get(list_clients).post(put_client))
        .route(
            "/clients/{client_id}",
            get(get_client).delete(delete_client),
        )
        .route("/clock", get(get_clock).post(set_clock))
        .route("/keys", get(list_keys))
        .route("/keys/rotate", post(rotate_key))
        .route("/keys/{kid}", delete(delete_key))
        .route("/faults", get(list_faults).put(replace_faults))
        .route("/faults/{name}", post(enable_fault).delete(disable_fault))
        .route("/journal", get(journal))
        .route("/mint", post(mint))
        .layer(middleware::from_fn_with_state(state, guard))
}

async fn guard(
    State(s): State<AppState>,
    headers: HeaderMap,
    req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let token = s.config.admin_token.as_deref().filter(|t| !t.is_empty());
    let refusal = match token {
        Some(token) => {
            let presented = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, t)| t.trim());
            match presented {
                Some(t) if secrets_equal(t, token) => None,
                _ => Some((
                    StatusCode::UNAUTHORIZED,
                    "the admin API needs the configured admin token as a bearer token",
                )),
            }
        }
        None if peer.is_some_and(|p| p.ip().is_loopback()) => None,
        None => Some((
            StatusCode::FORBIDDEN,
            "the admin API answers loopback callers only; configure admin_token to allow others",
        )),
    };
    if let Some((status, why)) = refusal {
        s.record(
            None,
            Decision::refused(
                ENDPOINT,
                "admin_forbidden",
                format!(
                    "{why} (caller {})",
                    peer.map_or("unknown".into(), |p| p.ip().to_string())
                ),
            ),
        );
        let mut resp = error(
            status,
            if status == StatusCode::UNAUTHORIZED {
                "invalid_token"
            } else {
                "access_denied"
            },
            why,
        );
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"mock-idp admin\""),
            );
        }
        return resp;
    }
    next.run(req).await
}

async fn index() -> Json<Value> {
    Json(json!({
        "endpoints": [
            "POST /_admin/reset",
            "GET|POST /_admin/users", "DELETE /_admin/users/{username}",
            "GET|POST /_admin/clients", "GET|DELETE /_admin/clients/{client_id}",
            "GET|POST /_admin/clock",
            "GET /_admin/keys", "POST /_admin/keys/rotate", "DELETE /_admin/keys/{kid}",
            "GET|PUT /_admin/faults", "POST|DELETE /_admin/faults/{name}",
            "GET /_admin/journal?client_id=&user=&code=&endpoint=&outcome=&since=&limit=",
            "POST /_admin/mint",
        ]
    }))
}

async fn reset(State(s): State<AppState>) -> Response {
    s.reset();
    s.record(
        None,
        Decision::info(
            ENDPOINT,
            "reset",
            "reset clients, users, keys, faults, clock, grants and journal to the configuration",
        ),
    );
    Json(json!({"reset": true})).into_response()
}

async fn list_users(State(s): State<AppState>) -> Json<Value> {
    Json(json!(
        s.registry.users().iter().map(|u| &**u).collect::<Vec<_>>()
    ))
}

async fn put_user(State(s): State<AppState>, body: Bytes) -> Response {
    let user: UserConfig = match json_body(&body) {
        Ok(u) => u,
        Err(r) => return *r,
    };
    if user.username.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "username must not be empty",
        );
    }
    let user = s.registry.put_user(user);
    s.record(
        None,
        Decision::info(
            ENDPOINT,
            "user_saved",
            format!("saved user {}", user.config.username),
        )
        .user(&user.config.username),
    );
    (StatusCode::CREATED, Json(json!(&*user))).into_response()
}

async fn delete_user(State(s): State<AppState>, Path(username): Path<String>) -> Response {
    if s.registry.remove_user(&username) {
        s.record(
            None,
            Decision::info(ENDPOINT, "user_removed", format!("removed user {username}"))
                .user(&username),
        );
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no user {username:?}"),
        )
    }
}

async fn list_clients(State(s): State<AppState>) -> Json<Value> {
    Json(json!(
        s.registry
            .clients()
            .iter()
            .map(|c| &**c)
            .collect::<Vec<_>>()
    ))
}

async fn get_client(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    match s.registry.client(&id) {
        Some(c) => Json(json!(&*c)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no client {id:?}"),
        ),
    }
}

async fn put_client(State(s): State<AppState>, body: Bytes) -> Response {
    let client: ClientConfig = match json_body(&body) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if let Err(e) = client.validate("client") {
        return error(StatusCode::BAD_REQUEST, "invalid_client_metadata", e);
    }
    s.record(
        None,
        Decision::info(
            ENDPOINT,
            "client_saved",
            format!("saved client {}", client.client_id),
        )
        .client(&client.client_id),
    );
    let answer = json!(&client);
    s.registry.put_client(client);
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn delete_client(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    if s.registry.remove_client(&id) {
        s.record(
            None,
            Decision::info(ENDPOINT, "client_removed", format!("removed client {id}")).client(&id),
        );
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no client {id:?}"),
        )
    }
}

fn clock_json(s: &AppState) -> Json<Value> {
    Json(json!({"now": s.now(), "offset": s.clock.offset(), "frozen": s.clock.is_frozen()}))
}

async fn get_clock(State(s): State<AppState>) -> Json<Value> {
    clock_json(&s)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    /// Seconds to move forward (negative: back).
    advance: Option<i64>,
    /// Absolute virtual time, seconds since the epoch.
    set: Option<i64>,
    /// Stop (true) or restart (false) the clock.
    freeze: Option<bool>,
    /// Back to system time.
    reset: Option<bool>,
}

/// The latest virtual time the admin API sets: 9999-12-31T23:59:59Z.
const MAX_CLOCK_SECS: i64 = 253_402_300_799;

fn system_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

async fn set_clock(State(s): State<AppState>, body: Bytes) -> Response {
    let change: ClockChange = match json_body(&body) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if change.advance.is_none()
        && change.set.is_none()
        && change.freeze.is_none()
        && change.reset.is_none()
    {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send {\"advance\": seconds}, {\"set\": unix_seconds}, {\"freeze\": bool} or {\"reset\": true}",
        );
    }
    // Refuse a change that would put the clock outside 1970..=9999 before applying any of it:
    // the clock's arithmetic (and every `now + ttl`) would overflow past that.
    let base = match (change.set, change.reset) {
        (Some(at), _) => at,
        (None, Some(true)) => system_secs(),
        (None, _) => s.now(),
    };
    let target = base.checked_add(change.advance.unwrap_or(0));
    let in_range = |t: i64| (0..=MAX_CLOCK_SECS).contains(&t);
    if !change.set.is_none_or(in_range) || !target.is_some_and(in_range) {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!(
                "the clock must stay between 0 and {MAX_CLOCK_SECS} (9999-12-31T23:59:59Z) seconds since the epoch"
            ),
        );
    }
    if change.reset == Some(true) {
        s.clock.reset();
    }
    match change.freeze {
        Some(true) => s.clock.freeze_at(s.now()),
        Some(false) => s.clock.unfreeze(),
        None => {}
    }
    if let Some(at) = change.set {
        s.clock.set(at);
    }
    if let Some(d) = change.advance {
        s.clock.advance(d);
    }
    s.record(
        None,
        Decision::info(
            ENDPOINT,
            "clock_changed",
            format!("clock now {} (offset {} s)", s.now(), s.clock.offset()),
        ),
    );
    clock_json(&s).into_response()
}

async fn list_keys(State(s): State<AppState>) -> Json<Value> {
    let ring = s.keys.ring();
    let keys: Vec<Value> = ring
        .keys
        .iter()
        .map(|k| json!({"kid": k.kid, "alg": k.alg.as_str(), "retire_at": k.retire_at, "jwk": k.public_jwk()}))
        .collect();
    Json(json!({"active": ring.active().kid, "keys": keys}))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Rotate {
    alg: Option<SigningAlg>,
    kid: Option<String>,
    /// Seconds the previous key stays published; default `tokens.key_overlap`.
    overlap: Option<i64>,
}

async fn rotate_key(State(s): State<AppState>, body: Bytes) -> Response {
    let r: Rotate = match json_body(&body) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    let alg = r.alg.unwrap_or(s.keys.ring().active().alg);
    let key = match SigningKey::generate(alg, r.kid) {
        Ok(k) => k,
        Err(e) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                e.to_string(),
            );
        }
    };
    let overlap = r.overlap.unwrap_or(s.config.tokens.key_overlap).max(0);
    match s.keys.rotate(key, s.now(), overlap) {
        Ok(k) => {
            s.record(None, Decision::info(ENDPOINT, "key_rotated", format!("rotated signing key: {} ({}) is active; the previous key stays published {overlap} s", k.kid, alg.as_str())));
            (
                StatusCode::CREATED,
                Json(json!({"kid": k.kid, "alg": alg.as_str(), "jwk": k.public_jwk()})),
            )
                .into_response()
        }
        Err(e) => error(StatusCode::CONFLICT, "invalid_request", e.to_string()),
    }
}

async fn delete_key(State(s): State<AppState>, Path(kid): Path<String>) -> Response {
    match s.keys.remove(&kid) {
        Ok(()) => {
            s.record(
                None,
                Decision::info(
                    ENDPOINT,
                    "key_removed",
                    format!("removed signing key {kid}; tokens it signed no longer verify"),
                ),
            );
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e @ crate::keys::KeyError::UnknownKid(_)) => {
            error(StatusCode::NOT_FOUND, "not_found", e.to_string())
        }
        Err(e) => error(StatusCode::CONFLICT, "invalid_request", e.to_string()),
    }
}

fn faults_json(s: &AppState) -> Json<Value> {
    Json(json!(Fault::ALL.iter().map(|f| json!({"name": f.name(), "description": f.description(), "enabled": s.fault(*f)})).collect::<Vec<_>>()))
}

async fn list_faults(State(s): State<AppState>) -> Json<Value> {
    faults_json(&s)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultList {
    enabled: Vec<Fault>,
}

async fn replace_faults(State(s): State<AppState>, body: Bytes) -> Response {
    let list: FaultList = match json_body(&body) {
        Ok(l) => l,
        Err(r) => return *r,
    };
    s.faults.replace(&list.enabled);
    s.record(
        None,
        Decision::info(
            ENDPOINT,
            "faults_changed",
            format!(
                "faults on: {:?}",
                s.faults
                    .enabled()
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
            ),
        ),
    );
    faults_json(&s).into_response()
}

async fn switch_fault(s: &AppState, name: &str, on: bool) -> Response {
    match name.parse::<Fault>() {
        Ok(f) => {
            s.faults.set(f, on);
            s.record(
                None,
                Decision::info(
                    ENDPOINT,
                    "faults_changed",
                    format!("fault {f} {}", if on { "on" } else { "off" }),
                ),
            );
            faults_json(s).into_response()
        }
        Err(e) => error(StatusCode::NOT_FOUND, "not_found", e.to_string()),
    }
}

async fn enable_fault(State(s): State<AppState>, Path(name): Path<String>) -> Response {
    switch_fault(&s, &name, true).await
}

async fn disable_fault(State(s): State<AppState>, Path(name): Path<String>) -> Response {
    switch_fault(&s, &name, false).await
}

async fn journal(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let filter: Filter = match serde_urlencoded_filter(&q) {
        Ok(f) => f,
        Err(e) => return error(StatusCode::BAD_REQUEST, "invalid_request", e),
    };
    Json(json!({"entries": s.journal.query(&filter)})).into_response()
}

fn serde_urlencoded_filter(q: &str) -> Result<Filter, String> {
    let mut obj = serde_json::Map::new();
    for (k, v) in form_urlencoded::parse(q.as_bytes()) {
        let value = match k.as_ref() {
            "since" | "limit" => json!(
                v.parse::<u64>()
                    .map_err(|_| format!("{k} must be a whole number"))?
            ),
            _ => json!(v),
        };
        obj.insert(k.into_owned(), value);
    }
    serde_json::from_value(Value::Object(obj)).map_err(|e| format!("bad journal filter: {e}"))
}

/// `POST /_admin/mint`: a token to order (see `mint`). The journal records what was minted,
/// never the token.
async fn mint(State(s): State<AppState>, body: Bytes) -> Response {
    let req: crate::mint::MintRequest = match json_body(&body) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    match crate::mint::mint(&s, &req) {
        Ok(m) => {
            let kid = m.header.get("kid").and_then(Value::as_str).unwrap_or("-");
            let flaw = req.flaw.map_or("none", |f| f.name());
            s.record(
                None,
                Decision::info(
                    ENDPOINT,
                    "token_minted",
                    format!("minted a token (kid {kid}, flaw {flaw})"),
                )
                .maybe_user(m.claims.get("sub").and_then(Value::as_str)),
            );
            Json(m).into_response()
        }
        Err(e) => error(StatusCode::BAD_REQUEST, "invalid_request", e.to_string()),
    }
}

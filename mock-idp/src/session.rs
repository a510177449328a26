//! The browser session shared by the authorization pages and the demo UI: a random id in the
//! `mockidp_session` cookie (HttpOnly, SameSite=Lax), kept only as its hash with the username it
//! belongs to, and the CSRF token the UI's forms carry, derived from the session id.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::grants::{hash_secret, random_token};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "mockidp_session";

/// The session id the request's cookie carries.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_string())
        })
}

/// The signed-in user, if the session is live and the user still exists.
pub fn session_user(s: &AppState, headers: &HeaderMap) -> Option<String> {
    let id = session_id(headers)?;
    s.grants
        .with(|t| t.sessions.get(&hash_secret(&id)).cloned())
        .filter(|u| s.registry.user(u).is_some())
}

/// Starts a session for `username`; the `Set-Cookie` value and the new session id.
pub fn start(s: &AppState, username: &str) -> (HeaderValue, String) {
    let id = random_token(&s.keys.rng, 24);
    s.grants
        .with(|t| t.sessions.insert(hash_secret(&id), username.to_string()));
    let cookie = format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax");
    (
        HeaderValue::from_str(&cookie).expect("a cookie of base64url characters"),
        id,
    )
}

/// Ends the request's session; the `Set-Cookie` value that clears the cookie.
pub fn end(s: &AppState, headers: &HeaderMap) -> HeaderValue {
    if let Some(id) = session_id(headers) {
        s.grants.with(|t| t.sessions.remove(&hash_secret(&id)));
    }
    HeaderValue::from_static("mockidp_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The CSRF token of a session: a hash of its id, so it needs no storage and cannot be guessed
/// without the cookie.
pub fn csrf_token(session_id: &str) -> String {
    hash_secret(&format!("csrf:{session_id}"))
}

/// Whether a form's `csrf` value belongs to the request's session.
pub fn csrf_ok(headers: &HeaderMap, token: Option<&str>) -> bool {
    match (session_id(headers), token) {
        (Some(id), Some(t)) => csrf_token(&id) == t,
        _ => false,
    }
}

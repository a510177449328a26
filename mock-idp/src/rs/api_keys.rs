//! Endpoints protected by an API key (`GET /api/keyed/{name}`, one per configured key, each in
//! its own scheme: `Authorization: Bearer`, `X-API-Key`, `Authorization: Basic`, or a custom
//! header with a custom prefix) and by HTTP Basic (`GET /api/basic`, RFC 7617). A key counts
//! only in the header its scheme names; a wrong or missing key gets 401 with a challenge
//! (RFC 9110 §11.6.1, §15.5.2). Keys and passwords are compared in constant time and never
//! journaled.

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::config::{ApiKeyConfig, ApiKeyScheme};
use crate::faults::Fault;
use crate::journal::Decision;
use crate::oauth::client_auth::secrets_equal;
use crate::request_id::RequestId;
use crate::state::AppState;

const KEYED: &str = "api_key";
const BASIC: &str = "http_basic";
const REALM: &str = "mock-idp";

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The `Authorization` value after `scheme ` (scheme case-insensitive).
fn authorization<'h>(headers: &'h HeaderMap, scheme: &str) -> Option<&'h str> {
    let v = header_str(headers, header::AUTHORIZATION.as_str())?;
    let (s, rest) = v.split_once(' ')?;
    s.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

/// What the request presents where `key`'s scheme says to look.
fn presented<'h>(headers: &'h HeaderMap, key: &ApiKeyConfig) -> Option<&'h str> {
    match key.scheme {
        ApiKeyScheme::Bearer => authorization(headers, "bearer"),
        ApiKeyScheme::Basic => authorization(headers, "basic"),
        ApiKeyScheme::XApiKey => header_str(headers, "x-api-key").map(str::trim),
        ApiKeyScheme::Custom => {
            let v = header_str(headers, key.header.as_deref()?)?;
            v.strip_prefix(key.prefix.as_deref().unwrap_or(""))
        }
    }
}

/// Every value the request presents in any API-key position (fault rs-api-key-any-header).
fn presented_anywhere<'h>(headers: &'h HeaderMap, key: &ApiKeyConfig) -> Vec<&'h str> {
    let mut out: Vec<&str> = [
        authorization(headers, "bearer"),
        authorization(headers, "basic"),
        header_str(headers, "x-api-key"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(h) = key.header.as_deref().and_then(|h| header_str(headers, h)) {
        out.push(
            h.strip_prefix(key.prefix.as_deref().unwrap_or(""))
                .unwrap_or(h),
        );
    }
    out
}

fn challenge_for(key: &ApiKeyConfig, error: bool) -> String {
    match key.scheme {
        ApiKeyScheme::Bearer if error => format!(
            "Bearer realm=\"{REALM}\", error=\"invalid_token\", error_description=\"the API key is not valid\""
        ),
        ApiKeyScheme::Bearer => format!("Bearer realm=\"{REALM}\""),
        ApiKeyScheme::Basic => format!("Basic realm=\"{REALM}\", charset=\"UTF-8\""),
        ApiKeyScheme::XApiKey => format!("ApiKey realm=\"{REALM}\", header=\"X-API-Key\""),
        ApiKeyScheme::Custom => format!(
            "ApiKey realm=\"{REALM}\", header=\"{}\"",
            key.header.as_deref().unwrap_or("")
        ),
    }
}

fn unauthorized(www: &str, error: &str, description: &str) -> Response {
    let mut resp = (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(www) {
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    resp
}

/// `GET /api/keyed/{name}`.
pub async fn keyed(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let rs = &s.config.resource_server;
    let Some(key) = rs.api_keys.iter().find(|k| k.name == name) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "not_found", "error_description": format!("no API key endpoint {name:?}; resource_server.api_keys names them")})),
        )
            .into_response();
    };
    let ok = Json(json!({"key": key.name, "scheme": key.scheme.as_str()}));
    if !rs.auth_enabled {
        return ok.into_response();
    }
    let candidates = if s.fault(Fault::RsApiKeyAnyHeader) {
        presented_anywhere(&headers, key)
    } else {
        presented(&headers, key).into_iter().collect()
    };
    let record = |d: Decision| s.record(Some(rid.0), d.detail("key", key.name.clone()));
    if candidates.is_empty() {
        record(Decision::refused(
            KEYED,
            "no_api_key",
            format!(
                "no API key where the {} scheme puts it",
                key.scheme.as_str()
            ),
        ));
        return unauthorized(
            &challenge_for(key, false),
            "missing_api_key",
            "an API key is required",
        );
    }
    // Fault rs-accept-any-api-key.
    let matches =
        s.fault(Fault::RsAcceptAnyApiKey) || candidates.iter().any(|c| secrets_equal(c, &key.key));
    if !matches {
        record(Decision::refused(
            KEYED,
            "wrong_api_key",
            "the presented API key is not this endpoint's",
        ));
        return unauthorized(
            &challenge_for(key, true),
            "invalid_api_key",
            "the API key is not valid",
        );
    }
    record(Decision::accepted(
        KEYED,
        "api_key_accepted",
        "API key accepted",
    ));
    ok.into_response()
}

/// `GET /api/basic`: RFC 7617 credentials of a configured Basic user.
pub async fn basic(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
) -> Response {
    let rs = &s.config.resource_server;
    if !rs.auth_enabled {
        return Json(json!({"username": "anonymous"})).into_response();
    }
    let www = format!("Basic realm=\"{REALM}\", charset=\"UTF-8\"");
    let credentials = authorization(&headers, "basic")
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let Some(credentials) = credentials else {
        s.record(
            Some(rid.0),
            Decision::refused(BASIC, "no_credentials", "no usable Basic credentials"),
        );
        return unauthorized(
            &www,
            "missing_credentials",
            "HTTP Basic credentials are required",
        );
    };
    let (user, password) = credentials.split_once(':').unwrap_or((&credentials, ""));
    let known = rs.basic_users.iter().find(|u| u.username == user);
    // Fault rs-basic-any-password.
    let ok = known.is_some_and(|u| {
        s.fault(Fault::RsBasicAnyPassword) || secrets_equal(password, &u.password)
    });
    if !ok {
        s.record(
            Some(rid.0),
            Decision::refused(BASIC, "wrong_credentials", "unknown user or wrong password")
                .user(user),
        );
        return unauthorized(
            &www,
            "invalid_credentials",
            "unknown user or wrong password",
        );
    }
    s.record(
        Some(rid.0),
        Decision::accepted(BASIC, "basic_accepted", "HTTP Basic accepted").user(user),
    );
    Json(json!({"username": user})).into_response()
}

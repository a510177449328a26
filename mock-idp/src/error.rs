//! Errors as the specs shape them. An [`OAuthError`] carries what the client is told (RFC 6749
//! §5.2 `error` and `error_description`); the detailed reason goes to the journal through
//! [`AppState::refuse`], so the two never get mixed up.

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::journal::Decision;
use crate::state::AppState;

/// An error response of the token, registration, revocation, introspection or device
/// authorization endpoints: JSON, `Cache-Control: no-store`.
#[derive(Debug, Clone)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
    /// One response header besides the body's: the Basic challenge of a 401 (RFC 6749 §5.2), or
    /// the `DPoP-Nonce` of a `use_dpop_nonce` error (RFC 9449 §8).
    pub header: Option<Box<(HeaderName, String)>>,
}

impl OAuthError {
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            header: None,
        }
    }

    /// RFC 9449 §5: the DPoP proof of a token request is invalid.
    pub fn invalid_dpop_proof(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_dpop_proof", d)
    }

    /// RFC 9449 §8: the proof must carry the server's nonce, given in `DPoP-Nonce`.
    pub fn use_dpop_nonce(d: impl Into<String>, nonce: String) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "use_dpop_nonce", d);
        e.header = Some(Box::new((
            HeaderName::from_static(crate::dpop::NONCE_HEADER),
            nonce,
        )));
        e
    }

    pub fn invalid_request(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", d)
    }

    pub fn invalid_grant(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", d)
    }

    pub fn invalid_scope(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", d)
    }

    pub fn invalid_target(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_target", d)
    }

    pub fn unauthorized_client(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "unauthorized_client", d)
    }

    pub fn unsupported_grant_type(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "unsupported_grant_type", d)
    }

    /// RFC 6749 §5.2: 401, with `WWW-Authenticate` when the client used Basic.
    pub fn invalid_client(d: impl Into<String>, used_basic: bool) -> Self {
        let mut e = Self::new(StatusCode::UNAUTHORIZED, "invalid_client", d);
        if used_basic {
            e.header = Some(Box::new((
                header::WWW_AUTHENTICATE,
                r#"Basic realm="mock-idp", charset="UTF-8""#.to_string(),
            )));
        }
        e
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "error_description": self.description });
        let mut resp = (self.status, Json(body)).into_response();
        no_store(&mut resp);
        if let Some(h) = self.header {
            let (name, value) = *h;
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().insert(name, v);
            }
        }
        resp
    }
}

/// RFC 6749 §5.1: responses carrying tokens or credentials must not be cached.
pub fn no_store(resp: &mut Response) {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

impl AppState {
    /// Journals `decision` and returns `error` for the client.
    pub fn refuse(
        &self,
        request_id: Option<u64>,
        decision: Decision,
        error: OAuthError,
    ) -> OAuthError {
        self.record(request_id, decision.detail("error", error.error));
        error
    }
}

//! Client authentication at the token, revocation, introspection and device authorization
//! endpoints (RFC 6749 §2.3): `client_secret_basic`, `client_secret_post`, `none`, and the JWT
//! assertions `private_key_jwt` and `client_secret_jwt` (RFC 7523 §2.2, judged by
//! `client_assertion`), with the registered method enforced and exactly one method per request.

use std::sync::Arc;

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::config::{AuthMethod, ClientConfig};
use crate::error::OAuthError;
use crate::faults::Fault;
use crate::journal::Decision;
use crate::oauth::client_assertion::{self, ASSERTION_TYPE, Assertion};
use crate::params::Params;
use crate::state::AppState;

/// A client that proved who it is (or, for `none`, said who it is).
#[derive(Debug, Clone)]
pub struct AuthenticatedClient {
    pub client: Arc<ClientConfig>,
    pub method: AuthMethod,
}

struct Presented {
    client_id: String,
    secret: Option<String>,
    method: AuthMethod,
    assertion: Option<Assertion>,
}

/// The client assertion of the form (RFC 7523 §2.2), when there is one.
fn assertion_presented(params: &Params) -> Result<Option<Presented>, OAuthError> {
    let (Some(kind), Some(token)) = (
        params.get("client_assertion_type")?,
        params.get("client_assertion")?,
    ) else {
        return Ok(None);
    };
    if kind != ASSERTION_TYPE {
        return Err(OAuthError::invalid_client(
            format!("client_assertion_type {kind:?} is not {ASSERTION_TYPE}"),
            false,
        ));
    }
    if params.get("client_secret")?.is_some() {
        return Err(OAuthError::invalid_request(
            "the client used more than one authentication method (RFC 6749 §2.3)",
        ));
    }
    let a = Assertion::parse(token).map_err(|e| OAuthError::invalid_client(e, false))?;
    let sub = a
        .subject()
        .ok_or_else(|| OAuthError::invalid_client("the client_assertion has no sub", false))?
        .to_string();
    if params.get("client_id")?.is_some_and(|id| id != sub) {
        return Err(OAuthError::invalid_client(
            "client_id differs from the client_assertion's sub (RFC 7523 §3)",
            false,
        ));
    }
    Ok(Some(Presented {
        client_id: sub,
        secret: None,
        method: a.method(),
        assertion: Some(a),
    }))
}

fn presented(headers: &HeaderMap, params: &Params) -> Result<Option<Presented>, OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"));
    if let Some(p) = assertion_presented(params)? {
        if basic.is_some() {
            return Err(OAuthError::invalid_request(
                "the client used more than one authentication method (RFC 6749 §2.3)",
            ));
        }
        return Ok(Some(p));
    }
    let body_id = params.get("client_id")?;
    let body_secret = params.get("client_secret")?;
    if let Some((_, creds)) = basic {
        if body_secret.is_some() {
            return Err(OAuthError::invalid_request(
                "the client used more than one authentication method (RFC 6749 §2.3)",
            ));
        }
        let decoded = STANDARD
            .decode(creds.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                OAuthError::invalid_client(
                    "the Basic credentials are not base64 of id:secret",
                    true,
                )
            })?;
        let (id, secret) = decoded
            .split_once(':')
            .ok_or_else(|| OAuthError::invalid_client("the Basic credentials have no ':'", true))?;
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
        let id = form_decode(id);
        if body_id.is_some_and(|b| b != id) {
            return Err(OAuthError::invalid_request(
                "client_id in the body differs from the Basic credentials",
            ));
        }
        return Ok(Some(Presented {
            client_id: id,
            secret: Some(form_decode(secret)),
            method: AuthMethod::ClientSecretBasic,
            assertion: None,
        }));
    }
    Ok(body_id.map(|id| Presented {
        client_id: id.to_string(),
        secret: body_secret.map(str::to_string),
        method: if body_secret.is_some() {
            AuthMethod::ClientSecretPost
        } else {
            AuthMethod::None
        },
        assertion: None,
    }))
}

fn form_decode(s: &str) -> String {
    // Only '%', '+' and '&' make form decoding differ from the identity.
    if !s.contains(['%', '+', '&']) {
        return s.to_string();
    }
    form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Constant-time equality of two secrets (compared through their SHA-256).
pub fn secrets_equal(a: &str, b: &str) -> bool {
    use aws_lc_rs::digest::{SHA256, digest};
    let (da, db) = (digest(&SHA256, a.as_bytes()), digest(&SHA256, b.as_bytes()));
    da.as_ref()
        .iter()
        .zip(db.as_ref())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Authenticates the client of a request to `endpoint`, journaling any refusal.
pub fn authenticate(
    state: &AppState,
    rid: Option<u64>,
    endpoint: &'static str,
    headers: &HeaderMap,
    params: &Params,
) -> Result<AuthenticatedClient, OAuthError> {
    let refuse = |code: &'static str, reason: String, client: Option<&str>, err: OAuthError| {
        state.refuse(
            rid,
            Decision::refused(endpoint, code, reason).maybe_client(client),
            err,
        )
    };
    let p = match presented(headers, params) {
        Ok(Some(p)) => p,
        Ok(None) => {
            return Err(refuse(
                "client_auth_missing",
                "no client authentication: neither Basic credentials nor client_id".into(),
                None,
                OAuthError::invalid_client("client authentication is required", false),
            ));
        }
        Err(e) => {
            return Err(refuse(
                "client_auth_malformed",
                e.description.clone(),
                None,
                e,
            ));
        }
    };
    let used_basic = p.method == AuthMethod::ClientSecretBasic;
    let Some(client) = state.registry.client(&p.client_id) else {
        return Err(refuse(
            "unknown_client",
            format!("no client is registered with client_id {:?}", p.client_id),
            Some(&p.client_id),
            OAuthError::invalid_client("unknown client", used_basic),
        ));
    };
    let registered = client.auth_method();
    if p.method != registered {
        if state.fault(Fault::IgnoreAuthMethod) && p.method != AuthMethod::None {
            state.record(
                rid,
                Decision::info(
                    endpoint,
                    "fault_ignore_auth_method",
                    format!(
                        "fault ignore-auth-method: accepted {} from a client registered for {}",
                        p.method.as_str(),
                        registered.as_str()
                    ),
                )
                .client(&p.client_id),
            );
        } else {
            return Err(refuse(
                "auth_method_mismatch",
                format!(
                    "client {:?} is registered for {} but authenticated with {}",
                    p.client_id,
                    registered.as_str(),
                    p.method.as_str()
                ),
                Some(&p.client_id),
                OAuthError::invalid_client(
                    format!("this client must authenticate with {}", registered.as_str()),
                    used_basic,
                ),
            ));
        }
    }
    if let (Some(expected), Some(given)) = (&client.client_secret, &p.secret)
        && !secrets_equal(expected, given)
    {
        if state.fault(Fault::IgnoreClientSecret) {
            state.record(
                rid,
                Decision::info(
                    endpoint,
                    "fault_ignore_client_secret",
                    "fault ignore-client-secret: accepted a wrong client secret",
                )
                .client(&p.client_id),
            );
        } else {
            return Err(refuse(
                "wrong_client_secret",
                format!("client {:?} presented a wrong secret", p.client_id),
                Some(&p.client_id),
                OAuthError::invalid_client("client authentication failed", used_basic),
            ));
        }
    }
    if let Some(a) = &p.assertion {
        if let Err(reason) = client_assertion::verify(state, a, &client) {
            return Err(refuse(
                "client_assertion_invalid",
                format!("client {:?}: {reason}", p.client_id),
                Some(&p.client_id),
                OAuthError::invalid_client("the client assertion is not valid", false),
            ));
        }
        return Ok(AuthenticatedClient {
            client,
            method: p.method,
        });
    }
    if client.client_secret.is_some() && p.secret.is_none() {
        return Err(refuse(
            "client_secret_missing",
            format!("confidential client {:?} sent no secret", p.client_id),
            Some(&p.client_id),
            OAuthError::invalid_client(
                "client authentication is required for this client",
                used_basic,
            ),
        ));
    }
    Ok(AuthenticatedClient {
        client,
        method: p.method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_by_value() {
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
    }

    #[test]
    fn form_decode_fast_path_agrees_with_the_decoder() {
        let slow = |s: &str| {
            form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        for s in [
            "", "service", "a=b", "a;b", "näme:x", "a%20b", "a+b", "a&b", "%zz",
        ] {
            assert_eq!(form_decode(s), slow(s), "{s:?}");
        }
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let mut h = HeaderMap::new();
        let creds = STANDARD.encode("my%20client:p%3Ass");
        h.insert(
            header::AUTHORIZATION,
            format!("Basic {creds}").parse().unwrap(),
        );
        let p = presented(&h, &Params::default()).unwrap().unwrap();
        assert_eq!(p.client_id, "my client");
        assert_eq!(p.secret.as_deref(), Some("p:ss"));
    }
}

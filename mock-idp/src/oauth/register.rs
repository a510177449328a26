//! Dynamic client registration (RFC 7591 §3): validates the metadata, generates the client id
//! (and a secret for confidential clients), and answers 201 with the registered metadata.
//! Errors are `invalid_redirect_uri` and `invalid_client_metadata` (§3.2.2).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::config::{AuthMethod, ClientConfig, GrantType, check_redirect_uri};
use crate::error::{OAuthError, no_store};
use crate::grants::random_token;
use crate::journal::Decision;
use crate::oauth::scope;

/// The scope of a client that registered without one.
pub const DEFAULT_SCOPE: &str = "openid profile email mcp:read mcp:write";
use crate::request_id::RequestId;
use crate::state::AppState;

const ENDPOINT: &str = "register";

pub async fn register(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match handle(&s, Some(rid.0), &headers, &body) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn metadata_error(d: impl Into<String>) -> OAuthError {
    OAuthError::new(StatusCode::BAD_REQUEST, "invalid_client_metadata", d)
}

fn handle(
    s: &AppState,
    rid: Option<u64>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OAuthError> {
    let refuse = |code: &'static str, e: OAuthError| {
        s.refuse(
            rid,
            Decision::refused(ENDPOINT, code, e.description.clone()),
            e,
        )
    };
    if !s.config.registration.enabled {
        return Err(refuse(
            "registration_disabled",
            OAuthError::new(
                StatusCode::FORBIDDEN,
                "access_denied",
                "dynamic client registration is disabled",
            ),
        ));
    }
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("application/json")
    {
        return Err(refuse(
            "malformed_request",
            OAuthError::invalid_request("the body must be application/json (RFC 7591 §3.1)"),
        ));
    }
    let meta: Value = serde_json::from_slice(body).map_err(|e| {
        refuse(
            "malformed_request",
            OAuthError::invalid_request(format!("the body is not JSON: {e}")),
        )
    })?;
    let Some(obj) = meta.as_object() else {
        return Err(refuse(
            "malformed_request",
            metadata_error("the body must be a JSON object"),
        ));
    };
    let strings = |name: &str| -> Result<Option<Vec<String>>, OAuthError> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        metadata_error(format!("{name} must be an array of strings"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(metadata_error(format!(
                "{name} must be an array of strings"
            ))),
        }
    };
    let string = |name: &str| -> Result<Option<String>, OAuthError> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(v)) => Ok(Some(v.clone())),
            Some(_) => Err(metadata_error(format!("{name} must be a string"))),
        }
    };
    let bool_field = |name: &str| -> Result<bool, OAuthError> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(metadata_error(format!("{name} must be a boolean"))),
        }
    };
    let check = || -> Result<ClientConfig, (&'static str, OAuthError)> {
        let m = |e: OAuthError| ("invalid_client_metadata", e);
        let asked = match string("token_endpoint_auth_method").map_err(m)?.as_deref() {
            None | Some("client_secret_basic") => AuthMethod::ClientSecretBasic,
            Some("client_secret_post") => AuthMethod::ClientSecretPost,
            Some("client_secret_jwt") => AuthMethod::ClientSecretJwt,
            Some("private_key_jwt") => AuthMethod::PrivateKeyJwt,
            Some("none") => AuthMethod::None,
            Some(other) => {
                return Err(m(metadata_error(format!(
                    "token_endpoint_auth_method {other:?} is not supported"
                ))));
            }
        };
        // The server's one method replaces what the client asked (RFC 7591 §3.2.1).
        let auth = s.config.registration.only_auth_method.unwrap_or(asked);
        // RFC 7591 §2 jwks: the client's public keys, required for private_key_jwt (jwks_uri
        // is not fetched: register the keys by value).
        let jwks = match obj.get("jwks") {
            None | Some(Value::Null) => None,
            Some(j) if j.get("keys").and_then(Value::as_array).is_some() => Some(j.clone()),
            Some(_) => {
                return Err(m(metadata_error(
                    "jwks must be a JWK Set: {\"keys\": [...]}",
                )));
            }
        };
        if auth == AuthMethod::PrivateKeyJwt && jwks.is_none() {
            return Err(m(metadata_error(
                "private_key_jwt needs the client's public keys in jwks (jwks_uri is not fetched by this server)",
            )));
        }
        let grant_types = match strings("grant_types").map_err(m)? {
            None => vec![GrantType::AuthorizationCode],
            Some(g) => g
                .iter()
                .map(|x| {
                    GrantType::parse(x).ok_or_else(|| {
                        m(metadata_error(format!("grant_type {x:?} is not supported")))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        // RFC 7591 §2: response_types defaults to ["code"]; a client without the code grant
        // needs none, so its default is empty.
        let response_types = strings("response_types").map_err(m)?.unwrap_or_else(|| {
            if grant_types.contains(&GrantType::AuthorizationCode) {
                vec!["code".into()]
            } else {
                Vec::new()
            }
        });
        if let Some(bad) = response_types.iter().find(|r| *r != "code") {
            return Err(m(metadata_error(format!(
                "response_type {bad:?} is not supported"
            ))));
        }
        let uses_code = grant_types.contains(&GrantType::AuthorizationCode);
        if uses_code != response_types.contains(&"code".to_string()) {
            return Err(m(metadata_error(
                "grant_types authorization_code and response_types code go together (RFC 7591 §2.1)",
            )));
        }
        if auth == AuthMethod::None && grant_types.contains(&GrantType::ClientCredentials) {
            return Err(m(metadata_error(
                "client_credentials needs a confidential client",
            )));
        }
        let redirect_uris = strings("redirect_uris").map_err(m)?.unwrap_or_default();
        if uses_code && redirect_uris.is_empty() {
            return Err((
                "invalid_redirect_uri",
                OAuthError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_redirect_uri",
                    "redirect_uris is required for the authorization_code grant",
                ),
            ));
        }
        for uri in &redirect_uris {
            let bad = |d: String| {
                (
                    "invalid_redirect_uri",
                    OAuthError::new(StatusCode::BAD_REQUEST, "invalid_redirect_uri", d),
                )
            };
            let parsed = check_redirect_uri(uri).map_err(bad)?;
            let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
            if parsed.scheme() == "http" && !loopback {
                return Err(bad(format!(
                    "{uri:?} uses http on a non-loopback host; use https (OAuth 2.1 §2.3.1)"
                )));
            }
        }
        let scope_str = string("scope")
            .map_err(m)?
            // No scope registered: the OpenID scopes and the MCP server's, which MCP clients
            // registering dynamically rarely name (RFC 7591 §2 leaves the default to the server).
            .unwrap_or_else(|| DEFAULT_SCOPE.into());
        scope::parse(&scope_str).map_err(|e| m(metadata_error(e)))?;
        let has_secret = !matches!(auth, AuthMethod::None | AuthMethod::PrivateKeyJwt);
        let secret = has_secret.then(|| random_token(&s.keys.rng, 32));
        Ok(ClientConfig {
            client_id: random_token(&s.keys.rng, 16),
            client_secret: secret,
            client_name: string("client_name").map_err(m)?,
            client_uri: string("client_uri").map_err(m)?,
            redirect_uris,
            grant_types,
            response_types,
            scope: scope_str,
            token_endpoint_auth_method: Some(auth),
            require_pkce: None,
            allow_plain_pkce: false,
            loopback_any_port: auth == AuthMethod::None,
            allowed_resources: None,
            dpop_bound_access_tokens: bool_field("dpop_bound_access_tokens").map_err(m)?,
            jwks: jwks.clone(),
        })
    };
    let client = check().map_err(|(code, e)| refuse(code, e))?;
    let now = s.now();
    let mut answer = json!({
        "client_id": client.client_id,
        "client_id_issued_at": now,
        "client_name": client.client_name,
        "client_uri": client.client_uri,
        "redirect_uris": client.redirect_uris,
        "grant_types": client.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        "response_types": client.response_types,
        "scope": client.scope,
        "token_endpoint_auth_method": client.auth_method().as_str(),
    });
    // RFC 9449 §5.2: "If omitted, the default value is false."
    if client.dpop_bound_access_tokens {
        answer["dpop_bound_access_tokens"] = json!(true);
    }
    if let Some(secret) = &client.client_secret {
        answer["client_secret"] = json!(secret);
        answer["client_secret_expires_at"] = json!(0);
    }
    if let Some(map) = answer.as_object_mut() {
        map.retain(|_, v| !v.is_null());
    }
    s.record(
        rid,
        Decision::accepted(
            ENDPOINT,
            "client_registered",
            format!(
                "registered client {:?}",
                client.client_name.as_deref().unwrap_or("(unnamed)")
            ),
        )
        .client(&client.client_id),
    );
    s.registry.put_client(client);
    let mut r = (StatusCode::CREATED, Json(answer)).into_response();
    no_store(&mut r);
    Ok(r)
}

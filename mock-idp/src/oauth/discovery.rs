//! Authorization server metadata (RFC 8414) and OpenID Provider metadata (OIDC Discovery 1.0),
//! and the JWKS. `issuer` is always the configured issuer of the tenant, never the Host header
//! (unless `trust_proxy` is configured, or the `issuer-from-host-header` fault is on).

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::config::{AuthMethod, GrantType};
use crate::faults::Fault;
use crate::state::{AppState, Tenant};

/// The scopes any client can get (`scopes_supported`): a dynamically registered client's
/// default, then every configured client's.
pub fn scopes_supported(s: &AppState) -> Vec<String> {
    let mut scopes: Vec<String> = crate::oauth::register::DEFAULT_SCOPE
        .split(' ')
        .map(str::to_string)
        .collect();
    for c in s.registry.clients() {
        for sc in c.scope.split(' ').filter(|x| !x.is_empty()) {
            if !scopes.iter().any(|x| x == sc) {
                scopes.push(sc.to_string());
            }
        }
    }
    if s.config.offline_access && !scopes.iter().any(|x| x == "offline_access") {
        scopes.push("offline_access".into());
    }
    scopes
}

/// The metadata document of `tenant`'s issuer.
pub fn metadata(s: &AppState, tenant: &Tenant, headers: &HeaderMap) -> Value {
    let issuer = s.issuer_for(tenant, headers);
    let ring = s.keys.ring();
    let mut algs: Vec<&str> = ring.keys.iter().map(|k| k.alg.as_str()).collect();
    algs.sort_unstable();
    algs.dedup();
    let scopes = scopes_supported(s);
    let auth_methods: Vec<&str> = match s.config.registration.only_auth_method {
        Some(only) => vec![only.as_str()],
        None => [
            AuthMethod::ClientSecretBasic,
            AuthMethod::ClientSecretPost,
            AuthMethod::PrivateKeyJwt,
            AuthMethod::ClientSecretJwt,
            AuthMethod::None,
        ]
        .map(AuthMethod::as_str)
        .to_vec(),
    };
    // RFC 8414 §2: the algorithms of private_key_jwt and client_secret_jwt assertions.
    let assertion_algs = [
        "ES256", "ES384", "RS256", "PS256", "EdDSA", "HS256", "HS384", "HS512",
    ];
    let grant_types: Vec<&str> = GrantType::ALL
        .into_iter()
        .filter(|g| s.config.grant_enabled(*g))
        .map(GrantType::as_str)
        .collect();
    let mut m = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth/authorize"),
        "token_endpoint": format!("{issuer}/oauth/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "revocation_endpoint": format!("{issuer}/oauth/revoke"),
        "introspection_endpoint": format!("{issuer}/oauth/introspect"),
        "device_authorization_endpoint": format!("{issuer}/oauth/device_authorization"),
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": grant_types,
        "token_endpoint_auth_methods_supported": auth_methods,
        "token_endpoint_auth_signing_alg_values_supported": assertion_algs,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": true,
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs,
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "name", "preferred_username", "email", "email_verified"],
        "prompt_values_supported": ["none", "login", "consent"],
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
    });
    if s.config.dpop.enabled {
        // RFC 9449 §5.1.
        m["dpop_signing_alg_values_supported"] = json!(s.config.dpop.algs);
    }
    assertion_grant_metadata(s, &mut m);
    if s.config.registration.enabled {
        m["registration_endpoint"] = json!(format!("{issuer}/oauth/register"));
    }
    if s.config.registration.client_id_metadata_documents {
        m["client_id_metadata_document_supported"] = json!(true);
    }
    if s.fault(Fault::OmitCodeChallengeMethods)
        && let Some(obj) = m.as_object_mut()
    {
        obj.remove("code_challenge_methods_supported");
    }
    // RFC 9207 §3: advertised only by a server that sends `iss` (config.authorization_response_iss).
    if !s.config.authorization_response_iss
        && let Some(obj) = m.as_object_mut()
    {
        obj.remove("authorization_response_iss_parameter_supported");
    }
    m
}

/// What the ID-JAG draft (§9.1, §9.2) asks each side to advertise: an IdP the token types it
/// issues by token exchange, a resource authorization server the grant profiles it takes.
fn assertion_grant_metadata(s: &AppState, m: &mut Value) {
    use crate::config::AssertionProfile;
    if s.config.grant_enabled(GrantType::TokenExchange) {
        m["identity_chaining_requested_token_types_supported"] =
            json!([crate::oauth::id_jag::ID_JAG_TOKEN_TYPE]);
    }
    let takes_id_jags = s
        .config
        .jwt_bearer
        .issuers
        .iter()
        .any(|i| i.profile == AssertionProfile::IdJag);
    if takes_id_jags {
        m["authorization_grant_profiles_supported"] = json!([crate::oauth::id_jag::ID_JAG_PROFILE]);
    }
}

/// Serves the metadata of the tenant carried by the route.
pub async fn serve(
    State(s): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    headers: HeaderMap,
) -> Response {
    // MCP 2025-03-26 servers without metadata: clients fall back to the default endpoints.
    if !s.config.mcp.discovery.has_server_metadata() {
        let body = json!({"error": "not_found", "error_description": "this server publishes no metadata (mcp.discovery: 2025-03-26-default-endpoints); its endpoints are /authorize, /token and /register"});
        return (axum::http::StatusCode::NOT_FOUND, Json(body)).into_response();
    }
    Json(metadata(&s, &tenant, &headers)).into_response()
}

/// `GET /jwks`: the published keys at the mock's current time.
pub async fn jwks(State(s): State<AppState>) -> Response {
    Json(s.keys.ring().jwks(s.now())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::config::Config;

    #[test]
    fn grant_types_supported_is_the_enabled_grant_types_in_table_order() {
        let s = AppState::new(
            Config::default(),
            "http://127.0.0.1:5001".into(),
            Clock::frozen_at(1_800_000_000),
        )
        .unwrap();
        let m = metadata(&s, &Tenant(None), &HeaderMap::new());
        let advertised: Vec<&str> = m["grant_types_supported"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let enabled: Vec<&str> = GrantType::ALL
            .into_iter()
            .filter(|g| !matches!(g, GrantType::JwtBearer | GrantType::TokenExchange))
            .map(GrantType::as_str)
            .collect();
        assert_eq!(advertised, enabled);
    }

    #[test]
    fn offline_access_is_listed_only_when_configured() {
        let with = |on: bool| {
            let config = Config {
                offline_access: on,
                ..Config::default()
            };
            let s = AppState::new(
                config,
                "http://127.0.0.1:5001".into(),
                Clock::frozen_at(1_800_000_000),
            )
            .unwrap();
            scopes_supported(&s).contains(&"offline_access".to_string())
        };
        assert!(with(true));
        assert!(!with(false));
    }
}

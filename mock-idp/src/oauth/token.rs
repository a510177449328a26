//! The token endpoint (RFC 6749 §3.2, §5): parses the form, authenticates the client, checks the
//! grant type is allowed for it, and hands over to the grant's module with a
//! [`TokenRequest`](super::token_request::TokenRequest).

use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::config::GrantType;
use crate::dpop;
use crate::error::OAuthError;
use crate::faults::Fault;
use crate::journal::Decision;
use crate::oauth::client_auth;
use crate::oauth::token_request::{ENDPOINT, TokenRequest};
use crate::oauth::{
    token_client_credentials, token_code, token_device, token_exchange, token_jwt_bearer,
    token_refresh,
};
use crate::params::form_body;
use crate::request_id::RequestId;
use crate::state::{AppState, Tenant};

/// `POST /oauth/token`.
pub async fn post(
    State(s): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match handle(&s, &tenant, Some(rid.0), &headers, &body) {
        Ok(resp) => resp,
        Err(e) => e.into_response(),
    }
}

fn handle(
    s: &AppState,
    tenant: &Tenant,
    rid: Option<u64>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OAuthError> {
    let params = form_body(headers, body).map_err(|e| {
        s.refuse(
            rid,
            Decision::refused(ENDPOINT, "malformed_request", e.description.clone()),
            e.clone(),
        )
    })?;
    if let Some(rep) = params.first_repeated(&["resource"]) {
        let e = OAuthError::from(rep);
        return Err(s.refuse(
            rid,
            Decision::refused(ENDPOINT, "parameter_repeated", e.description.clone()),
            e,
        ));
    }
    let client = client_auth::authenticate(s, rid, ENDPOINT, headers, &params)?;
    let grant_type = params.get("grant_type")?;
    let issuer = s.issuer_for(tenant, headers);
    let dpop = dpop_proof(s, rid, &issuer, headers, &client)?;
    let req = TokenRequest {
        state: s,
        rid,
        issuer,
        client,
        params: &params,
        dpop,
    };
    let Some(grant_type) = grant_type else {
        return Err(req.refuse(
            "grant_type_missing",
            "the request has no grant_type",
            OAuthError::invalid_request("missing parameter grant_type"),
        ));
    };
    let Some(grant) = GrantType::parse(grant_type).filter(|g| s.config.grant_enabled(*g)) else {
        return Err(req.refuse(
            "grant_type_unsupported",
            format!("grant_type {grant_type:?} is not supported"),
            OAuthError::unsupported_grant_type(format!(
                "grant_type {grant_type:?} is not supported"
            )),
        ));
    };
    if !req.client.client.grant_types.contains(&grant) {
        return Err(req.refuse(
            "grant_not_allowed",
            format!(
                "client {:?} is not registered for grant_type {grant_type}",
                req.client_id()
            ),
            OAuthError::unauthorized_client(format!(
                "this client may not use grant_type {grant_type}"
            )),
        ));
    }
    match grant {
        GrantType::AuthorizationCode => token_code::redeem(&req),
        GrantType::RefreshToken => token_refresh::refresh(&req),
        GrantType::ClientCredentials => token_client_credentials::issue(&req),
        GrantType::DeviceCode => token_device::poll(&req),
        GrantType::JwtBearer => token_jwt_bearer::issue(&req),
        GrantType::TokenExchange => token_exchange::exchange(&req),
    }
}

/// The token request's DPoP proof, checked (RFC 9449 §4.3, §5); a client registered with
/// `dpop_bound_access_tokens` must send one (§5.2). DPoP switched off: the header is ignored.
fn dpop_proof(
    s: &AppState,
    rid: Option<u64>,
    issuer: &str,
    headers: &HeaderMap,
    client: &client_auth::AuthenticatedClient,
) -> Result<Option<dpop::Proof>, OAuthError> {
    if !s.config.dpop.enabled {
        return Ok(None);
    }
    let client_id = &client.client.client_id;
    let refuse = |code: &'static str, reason: String, err: OAuthError| {
        s.refuse(
            rid,
            Decision::refused(ENDPOINT, code, reason).client(client_id),
            err,
        )
    };
    let uri = super::token_endpoint(s, issuer);
    let expect = dpop::Expect {
        at: dpop::At::TokenEndpoint,
        method: "POST",
        uri: &uri,
        access_token: None,
    };
    match dpop::check(s, headers, &expect) {
        Ok(Some(p)) => Ok(Some(p)),
        // Fault dpop-ignore-bound-client.
        Ok(None)
            if client.client.dpop_bound_access_tokens && !s.fault(Fault::DpopIgnoreBoundClient) =>
        {
            let reason = "the client is registered with dpop_bound_access_tokens and sent no DPoP proof (RFC 9449 §5.2)";
            Err(refuse(
                "dpop_proof_missing",
                reason.into(),
                OAuthError::invalid_dpop_proof(reason),
            ))
        }
        Ok(None) => Ok(None),
        Err(dpop::Refused::NonceNeeded(reason)) => {
            let nonce = dpop::current_nonce(s, dpop::At::TokenEndpoint);
            Err(refuse(
                "dpop_nonce_needed",
                reason.clone(),
                OAuthError::use_dpop_nonce(reason, nonce),
            ))
        }
        Err(dpop::Refused::Invalid(reason)) => Err(refuse(
            "dpop_proof_invalid",
            reason.clone(),
            OAuthError::invalid_dpop_proof(reason),
        )),
    }
}

//! The client credentials grant (RFC 6749 §4.4): the hot path. No grant table, no lock beyond
//! the journal append; one signature with a pre-parsed key.

use axum::response::Response;

use crate::error::OAuthError;
use crate::journal::Decision;
use crate::oauth::authorize::check_resources;
use crate::oauth::issue::{self, AccessGrant};
use crate::oauth::scope;
use crate::oauth::token_request::{ENDPOINT, TokenRequest};

pub fn issue(req: &TokenRequest<'_>) -> Result<Response, OAuthError> {
    let s = req.state;
    let client = &req.client.client;
    if client.is_public() {
        return Err(req.refuse(
            "public_client_credentials",
            "a public client asked for client_credentials",
            OAuthError::unauthorized_client(
                "client_credentials needs a confidential client (RFC 6749 §4.4)",
            ),
        ));
    }
    let allowed = scope::parse(&client.scope).unwrap_or_default();
    let requested = match req.params.get("scope")?.map(scope::parse) {
        None => allowed.clone(),
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            return Err(req.refuse("scope_malformed", e.clone(), OAuthError::invalid_scope(e)));
        }
    };
    let extra = scope::not_in(&requested, &allowed);
    if !extra.is_empty() {
        let msg = format!("scope not allowed for this client: {}", extra.join(" "));
        return Err(req.refuse(
            "scope_not_allowed",
            msg.clone(),
            OAuthError::invalid_scope(msg),
        ));
    }
    let requested_resources = req.params.all("resource");
    // Without a resource indicator there is nothing to check (check_resources would build the
    // table of known resources only to accept the empty list).
    let resources = if requested_resources.is_empty() {
        Vec::new()
    } else {
        check_resources(s, client, &requested_resources).map_err(|e| {
            req.refuse(
                "resource_not_allowed",
                e.clone(),
                OAuthError::invalid_target(e),
            )
        })?
    };
    let audience = if resources.is_empty() {
        vec![s.default_audience()]
    } else {
        resources
    };
    let scope = scope::join(&requested);
    let access = issue::access_token(
        s,
        &AccessGrant {
            issuer: &req.issuer,
            client_id: &client.client_id,
            user: None,
            subject: None,
            scope: &scope,
            audience: &audience,
            auth_time: None,
            jkt: req.jkt(),
        },
    );
    s.record(
        req.rid,
        Decision::accepted(
            ENDPOINT,
            "token_issued",
            "client_credentials: issued an access token",
        )
        .client(&client.client_id),
    );
    Ok(issue::token_response(s, &access, &scope, None, None))
}

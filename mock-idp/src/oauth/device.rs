//! The device authorization grant's two user-facing ends (RFC 8628): the device authorization
//! endpoint (§3.1, §3.2) and the verification page where a user enters the code (§3.3).
//! Polling the token endpoint lives in `token_device`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::config::GrantType;
use crate::error::{OAuthError, no_store};
use crate::grants::{
    DeviceAuthorization, DeviceStatus, hash_secret, normalize_user_code, random_token,
    random_user_code,
};
use crate::journal::Decision;
use crate::oauth::authorize::check_resources;
use crate::oauth::{client_auth, scope};
use crate::pages::{esc, page};
use crate::params::{Params, form_body};
use crate::request_id::RequestId;
use crate::state::{AppState, Tenant};

const ENDPOINT: &str = "device_authorization";

/// `POST /oauth/device_authorization`.
pub async fn authorization(
    State(s): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match start(&s, &tenant, Some(rid.0), &headers, &body) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn start(
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
    let client = client_auth::authenticate(s, rid, ENDPOINT, headers, &params)?.client;
    let refuse = |code, reason: String, err| {
        s.refuse(
            rid,
            Decision::refused(ENDPOINT, code, reason).client(&client.client_id),
            err,
        )
    };
    if !client.grant_types.contains(&GrantType::DeviceCode) {
        return Err(refuse(
            "grant_not_allowed",
            "client is not registered for the device_code grant".into(),
            OAuthError::unauthorized_client(
                "this client may not use the device authorization grant",
            ),
        ));
    }
    let allowed = scope::parse(&client.scope).unwrap_or_default();
    let requested = match params.get("scope")?.map(scope::parse) {
        None => allowed.clone(),
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            return Err(refuse(
                "scope_malformed",
                e.clone(),
                OAuthError::invalid_scope(e),
            ));
        }
    };
    let extra = scope::not_in(&requested, &allowed);
    if !extra.is_empty() {
        let msg = format!("scope not allowed for this client: {}", extra.join(" "));
        return Err(refuse(
            "scope_not_allowed",
            msg.clone(),
            OAuthError::invalid_scope(msg),
        ));
    }
    let resources = check_resources(s, &client, &params.all("resource")).map_err(|e| {
        refuse(
            "resource_not_allowed",
            e.clone(),
            OAuthError::invalid_target(e),
        )
    })?;
    let issuer = s.issuer_for(tenant, headers);
    let device_code = random_token(&s.keys.rng, 32);
    let user_code = random_user_code(&s.keys.rng);
    let now = s.now();
    let ttl = s.config.tokens.device_code_ttl;
    let interval = s.config.tokens.device_poll_interval;
    s.grants.with(|t| {
        let hash = hash_secret(&device_code);
        t.user_codes
            .insert(normalize_user_code(&user_code), hash.clone());
        t.devices.insert(
            hash,
            DeviceAuthorization {
                issuer: issuer.clone(),
                client_id: client.client_id.clone(),
                scope: requested,
                resources,
                user_code: user_code.clone(),
                expires_at: now + ttl,
                interval,
                last_poll: None,
                status: DeviceStatus::Pending,
            },
        );
        t.note_insert(now);
    });
    s.record(
        rid,
        Decision::accepted(
            ENDPOINT,
            "device_code_issued",
            format!("issued a device code, user code {user_code}"),
        )
        .client(&client.client_id),
    );
    let verification_uri = format!("{issuer}/device");
    let mut resp = Json(json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": verification_uri,
        "verification_uri_complete": format!("{verification_uri}?user_code={}", form_urlencoded::byte_serialize(user_code.as_bytes()).collect::<String>()),
        "expires_in": ttl,
        "interval": interval,
    }))
    .into_response();
    no_store(&mut resp);
    Ok(resp)
}

fn verification_form(
    action: &str,
    user_code: &str,
    message: Option<&str>,
    status: StatusCode,
) -> Response {
    let msg = message
        .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(m)))
        .unwrap_or_default();
    let body = format!(
        "<p>Enter the code shown on your device, sign in, and approve or deny.</p>{msg}\
<form method=\"post\" action=\"{action}\">\
<label for=\"user_code\">Code</label><input id=\"user_code\" name=\"user_code\" value=\"{code}\" autocomplete=\"off\" required>\
<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required>\
<label for=\"password\">Password (if your user has one)</label><input id=\"password\" name=\"password\" type=\"password\">\
<div><button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\
<button type=\"submit\" name=\"action\" value=\"deny\">Deny</button></div></form>",
        action = esc(action),
        code = esc(user_code),
    );
    page(status, "Connect a device", &body)
}

/// `GET /device`: the verification page, prefilled from `?user_code=`.
pub async fn page_get(
    State(s): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let params = Params::parse(q.unwrap_or_default().as_bytes());
    let code = params.one("user_code").ok().flatten().unwrap_or("");
    let action = format!("{}/device", s.issuer_for(&tenant, &headers));
    verification_form(&action, code, None, StatusCode::OK)
}

/// `POST /device`: the user approves or denies a device.
pub async fn page_post(
    State(s): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let issuer = s.issuer_for(&tenant, &headers);
    let action = format!("{issuer}/device");
    let params = match form_body(&headers, &body) {
        Ok(p) => p,
        Err(e) => {
            return verification_form(&action, "", Some(&e.description), StatusCode::BAD_REQUEST);
        }
    };
    let field = |n| params.one(n).ok().flatten().unwrap_or("");
    let (user_code, username, decision) = (field("user_code"), field("username"), field("action"));
    let user_ok = s
        .registry
        .user(username)
        .is_some_and(|u| match &u.config.password {
            None => true,
            Some(p) => field("password") == p,
        });
    if !user_ok {
        s.record(
            Some(rid.0),
            Decision::refused(
                "device",
                "login_failed",
                format!("device verification: sign-in as {username:?} failed"),
            ),
        );
        return verification_form(
            &action,
            user_code,
            Some("Unknown user or wrong password."),
            StatusCode::UNAUTHORIZED,
        );
    }
    if !matches!(decision, "approve" | "deny") {
        return verification_form(
            &action,
            user_code,
            Some("Choose Approve or Deny."),
            StatusCode::BAD_REQUEST,
        );
    }
    let now = s.now();
    let normalized = normalize_user_code(user_code);
    let outcome = s.grants.with(|t| {
        let hash = t.user_codes.get(&normalized)?.clone();
        // A user code belongs to the issuer whose page it was shown for.
        let d = t.devices.get_mut(&hash).filter(|d| d.issuer == issuer)?;
        if d.expires_at <= now || d.status != DeviceStatus::Pending {
            return Some(Err(d.client_id.clone()));
        }
        d.status = if decision == "approve" {
            DeviceStatus::Approved(username.to_string())
        } else {
            DeviceStatus::Denied
        };
        Some(Ok(d.client_id.clone()))
    });
    match outcome {
        Some(Ok(client_id)) => {
            let approved = decision == "approve";
            s.record(
                Some(rid.0),
                Decision::accepted(
                    "device",
                    if approved {
                        "device_approved"
                    } else {
                        "device_denied"
                    },
                    format!(
                        "{username} {} the device",
                        if approved { "approved" } else { "denied" }
                    ),
                )
                .client(&client_id)
                .user(username),
            );
            let text = if approved {
                "Device connected. You can return to your device."
            } else {
                "Access denied. The device will be told."
            };
            page(
                StatusCode::OK,
                if approved {
                    "Device connected"
                } else {
                    "Access denied"
                },
                &format!("<p>{}</p>", esc(text)),
            )
        }
        Some(Err(client_id)) => {
            s.record(
                Some(rid.0),
                Decision::refused(
                    "device",
                    "user_code_expired",
                    "the user code has expired or was already answered",
                )
                .client(&client_id),
            );
            verification_form(
                &action,
                user_code,
                Some("This code has expired or was already used."),
                StatusCode::BAD_REQUEST,
            )
        }
        None => {
            s.record(
                Some(rid.0),
                Decision::refused(
                    "device",
                    "user_code_unknown",
                    "no device authorization has this user code",
                ),
            );
            verification_form(
                &action,
                user_code,
                Some("Unknown code. Check what your device shows."),
                StatusCode::BAD_REQUEST,
            )
        }
    }
}

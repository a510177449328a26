//! The authorization endpoint (RFC 6749 §4.1.1, OAuth 2.1, RFC 7636, RFC 8707, RFC 9207).
//!
//! Order of checks follows RFC 6749 §4.1.2.1: a bad client_id or redirect_uri gets a 400 page and
//! never a redirect; every other problem goes back to the (verified) redirect_uri with `error`,
//! the original `state` and `iss`. Login and consent are forms, or skipped in `auto` login mode.

use axum::body::Bytes;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::config::{ClientConfig, GrantType, LoginMode};
use crate::faults::Fault;
use crate::grants::{
    AuthorizationCode, PendingAuthorization, Pkce, PkceMethod, hash_secret, random_token,
};
use crate::journal::Decision;
use crate::oauth::{authorize_pages, pkce, redirect_uri, scope};
use crate::pages;
use crate::params::{Params, form_body};
use crate::request_id::RequestId;
use crate::state::{AppState, Tenant};

const ENDPOINT: &str = "authorize";
/// How long a login/consent form stays usable.
const PENDING_TTL: i64 = 600;

/// `GET /oauth/authorize`.
pub async fn get(
    State(s): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let params = Params::parse(q.unwrap_or_default().as_bytes());
    start(&s, &tenant, rid.0, &headers, &params, false)
}

/// `POST /oauth/authorize`: an authorization request sent as a form (OIDC Core §3.1.2.1), or
/// the answer to our own login or consent form.
pub async fn post(
    State(s): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = match form_body(&headers, &body) {
        Ok(p) => p,
        Err(e) => {
            s.record(
                Some(rid.0),
                Decision::refused(ENDPOINT, "malformed_request", e.description.clone()),
            );
            return pages::authorize_error(
                StatusCode::BAD_REQUEST,
                "Bad request",
                &pages::esc(&e.description),
                None,
            );
        }
    };
    if params.one("mockidp_request").ok().flatten().is_some() {
        return continue_form(&s, &tenant, rid.0, &headers, &params);
    }
    start(&s, &tenant, rid.0, &headers, &params, true)
}

/// Where error and success responses go once the redirect_uri is trusted.
struct Responder {
    redirect_uri: String,
    state: Option<String>,
    issuer: String,
    after_post: bool,
}

impl Responder {
    fn redirect(&self, s: &AppState, pairs: &[(&str, &str)]) -> Response {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            ser.append_pair(k, v);
        }
        if let Some(st) = &self.state
            && !s.fault(Fault::DropState)
        {
            ser.append_pair("state", st);
        }
        // RFC 9207 §3: a server that publishes no metadata cannot advertise iss, so sends none.
        let advertised = s.config.mcp.discovery.has_server_metadata();
        if s.config.authorization_response_iss && advertised && !s.fault(Fault::OmitIss) {
            ser.append_pair("iss", &self.issuer);
        }
        let sep = if s.fault(Fault::AnswerInFragment) {
            '#'
        } else if self.redirect_uri.contains('?') {
            '&'
        } else {
            '?'
        };
        let location = format!("{}{sep}{}", self.redirect_uri, ser.finish());
        if self.after_post {
            Redirect::to(&location).into_response()
        } else {
            found(&location)
        }
    }

    fn error(
        &self,
        s: &AppState,
        rid: u64,
        client_id: &str,
        error: &'static str,
        description: &str,
        code: &'static str,
    ) -> Response {
        s.record(
            Some(rid),
            Decision::refused(ENDPOINT, code, description.to_string())
                .client(client_id)
                .detail("error", error),
        );
        self.redirect(s, &[("error", error), ("error_description", description)])
    }
}

fn found(location: &str) -> Response {
    let mut resp = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

fn page_error(
    s: &AppState,
    rid: u64,
    client_id: Option<&str>,
    code: &'static str,
    title: &str,
    reason: String,
) -> Response {
    s.record(
        Some(rid),
        Decision::refused(ENDPOINT, code, reason.clone()).maybe_client(client_id),
    );
    pages::authorize_error(
        StatusCode::BAD_REQUEST,
        title,
        &format!("<p>{}</p>", pages::esc(&reason)),
        client_id,
    )
}

fn start(
    s: &AppState,
    tenant: &Tenant,
    rid: u64,
    headers: &HeaderMap,
    params: &Params,
    after_post: bool,
) -> Response {
    let issuer = s.issuer_for(tenant, headers);
    let client_id = match params.one("client_id") {
        Ok(Some(c)) => c,
        Ok(None) => {
            return page_error(
                s,
                rid,
                None,
                "client_id_missing",
                "Missing client_id",
                "The request has no client_id.".into(),
            );
        }
        Err(_) => {
            return page_error(
                s,
                rid,
                None,
                "parameter_repeated",
                "Bad request",
                "client_id was sent more than once.".into(),
            );
        }
    };
    let Some(client) = s.registry.client(client_id) else {
        return page_error(
            s,
            rid,
            Some(client_id),
            "unknown_client",
            "Unknown client",
            format!("No client is registered with client_id {client_id:?}."),
        );
    };
    let received = match params.one("redirect_uri") {
        Ok(r) => r,
        Err(_) => {
            return page_error(
                s,
                rid,
                Some(client_id),
                "parameter_repeated",
                "Bad request",
                "redirect_uri was sent more than once.".into(),
            );
        }
    };
    let (redirect_to, how) = match redirect_uri::check(&client, received, &s.faults) {
        Ok(ok) => ok,
        Err(m) => return mismatch_page(s, rid, &client, m),
    };
    if let redirect_uri::Match::Fault(f) = how {
        s.record(
            Some(rid),
            Decision::info(
                ENDPOINT,
                "fault_redirect_uri",
                format!(
                    "fault {f}: accepted redirect_uri {redirect_to:?}, which is not registered"
                ),
            )
            .client(client_id),
        );
    }
    let state_param = params.all("state").first().map(|s| s.to_string());
    let responder = Responder {
        redirect_uri: redirect_to.clone(),
        state: state_param,
        issuer: issuer.clone(),
        after_post,
    };
    let err = |error, desc: &str, code| responder.error(s, rid, client_id, error, desc, code);

    if let Some(rep) = params.first_repeated(&["resource"]) {
        return err(
            "invalid_request",
            &format!("parameter {} was sent more than once", rep.0),
            "parameter_repeated",
        );
    }
    if params.one("request").ok().flatten().is_some()
        || params.one("request_uri").ok().flatten().is_some()
    {
        return err(
            "request_not_supported",
            "request objects are not supported",
            "request_object_unsupported",
        );
    }
    match params.one("response_type").ok().flatten() {
        None => {
            return err(
                "invalid_request",
                "response_type is missing",
                "response_type_missing",
            );
        }
        Some("code") => {}
        Some(other) => {
            return err(
                "unsupported_response_type",
                &format!("response_type {other:?} is not supported; use code"),
                "response_type_unsupported",
            );
        }
    }
    if !client.response_types.iter().any(|r| r == "code")
        || !client.grant_types.contains(&GrantType::AuthorizationCode)
    {
        return err(
            "unauthorized_client",
            "this client may not use the authorization code grant",
            "grant_not_allowed",
        );
    }
    if let Some(mode) = params.one("response_mode").ok().flatten()
        && mode != "query"
    {
        return err(
            "invalid_request",
            &format!("response_mode {mode:?} is not supported; use query"),
            "response_mode_unsupported",
        );
    }
    let registered = scope::parse(&client.scope).unwrap_or_default();
    let requested = match params.one("scope").ok().flatten().map(scope::parse) {
        None => registered.clone(),
        Some(Ok(v)) => v,
        Some(Err(e)) => return err("invalid_scope", &e, "scope_malformed"),
    };
    let allowed = if s.config.registration.restrict_scope {
        registered
    } else {
        // Any scope the metadata lists (registration.restrict_scope: false).
        crate::oauth::discovery::scopes_supported(s)
    };
    let extra = scope::not_in(&requested, &allowed);
    if !extra.is_empty() {
        return err(
            "invalid_scope",
            &format!("scope not allowed for this client: {}", extra.join(" ")),
            "scope_not_allowed",
        );
    }
    let pkce = match check_pkce(s, &client, params) {
        Ok(p) => p,
        Err((desc, code)) => return err("invalid_request", &desc, code),
    };
    let resources = match check_resources(s, &client, &params.all("resource")) {
        Ok(r) => r,
        Err(desc) => return err("invalid_target", &desc, "resource_not_allowed"),
    };
    let pending = PendingAuthorization {
        issuer,
        client_id: client.client_id.clone(),
        redirect_uri: redirect_to,
        redirect_uri_sent: received.is_some(),
        state: responder.state.clone(),
        scope: requested,
        resources,
        pkce,
        nonce: params.one("nonce").ok().flatten().map(str::to_string),
        // RFC 9449 §10: a server without DPoP does not know the parameter.
        dpop_jkt: params
            .one("dpop_jkt")
            .ok()
            .flatten()
            .filter(|_| s.config.dpop.enabled)
            .map(str::to_string),
        user: None,
        expires_at: s.now() + PENDING_TTL,
    };
    let login_hint = params.one("login_hint").ok().flatten();
    let prompt = params.one("prompt").ok().flatten().unwrap_or("");
    let prompts: Vec<&str> = prompt.split(' ').filter(|p| !p.is_empty()).collect();

    if s.config.login.mode == LoginMode::Auto
        && !prompts.iter().any(|p| *p == "login" || *p == "consent")
    {
        let user = login_hint
            .or(s.config.login.default_user.as_deref())
            .filter(|u| s.registry.user(u).is_some());
        if let Some(user) = user {
            s.record(
                Some(rid),
                Decision::accepted(
                    ENDPOINT,
                    "auto_login",
                    format!("auto login mode: {user} signed in and consented without a page"),
                )
                .client(client_id)
                .user(user),
            );
            return issue_code(s, rid, &responder, pending, user);
        }
        if prompts.contains(&"none") {
            return err(
                "login_required",
                "no user is signed in and login_hint names no known user",
                "login_required",
            );
        }
    }
    let session_user = crate::session::session_user(s, headers);
    if prompts.contains(&"none") {
        return match session_user {
            None => err(
                "login_required",
                "prompt=none but no user is signed in",
                "login_required",
            ),
            Some(_) => err(
                "consent_required",
                "prompt=none but consent must be given on a page",
                "consent_required",
            ),
        };
    }
    let request_id = random_token(&s.keys.rng, 16);
    let action = format!("{}/oauth/authorize", pending.issuer);
    let signed_in = session_user.filter(|_| !prompts.contains(&"login"));
    let mut pending = pending;
    pending.user = signed_in.clone();
    let page = match &signed_in {
        Some(user) => authorize_pages::consent(&action, &request_id, &client, &pending, user),
        None => authorize_pages::login(
            &action,
            &request_id,
            &client,
            login_hint,
            wants_password(s, login_hint),
            None,
        ),
    };
    s.record(
        Some(rid),
        Decision::accepted(
            ENDPOINT,
            "authorization_request_valid",
            format!(
                "authorization request is valid; showing the {} page",
                if signed_in.is_some() {
                    "consent"
                } else {
                    "login"
                }
            ),
        )
        .client(client_id)
        .maybe_user(signed_in.as_deref()),
    );
    s.grants.with(|t| {
        t.pending.insert(request_id, pending);
        t.note_insert(s.now());
    });
    page
}

fn wants_password(s: &AppState, hint: Option<&str>) -> bool {
    match hint.and_then(|h| s.registry.user(h)) {
        Some(u) => u.config.password.is_some(),
        None => s
            .registry
            .users()
            .iter()
            .any(|u| u.config.password.is_some()),
    }
}

fn mismatch_page(
    s: &AppState,
    rid: u64,
    client: &ClientConfig,
    m: redirect_uri::Mismatch,
) -> Response {
    let registered: String = m
        .registered
        .iter()
        .map(|r| format!("<li><code>{}</code></li>", pages::esc(r)))
        .collect();
    let received = m.received.as_deref().unwrap_or("(none)");
    s.record(
        Some(rid),
        Decision::refused(
            ENDPOINT,
            "redirect_uri_mismatch",
            format!(
                "redirect_uri_mismatch: registered {}, got {received}: {}",
                m.registered.join(", "),
                m.reason
            ),
        )
        .client(&client.client_id)
        .detail("registered", m.registered.clone())
        .detail("received", received),
    );
    let body = format!(
        "<p>{reason}</p><h2>Registered for client <code>{cid}</code></h2><ul>{registered}</ul>\
<h2>Received</h2><p><code>{received}</code></p><p>redirect_uri must match a registered URI exactly, character for character \
(RFC 6749 §3.1.2.3, RFC 9700 §4.1.3).</p>",
        reason = pages::esc(&m.reason),
        cid = pages::esc(&client.client_id),
        received = pages::esc(received),
    );
    pages::authorize_error(
        StatusCode::BAD_REQUEST,
        "redirect_uri mismatch",
        &body,
        Some(&client.client_id),
    )
}

fn check_pkce(
    s: &AppState,
    client: &ClientConfig,
    params: &Params,
) -> Result<Option<Pkce>, (String, &'static str)> {
    let challenge = params.one("code_challenge").ok().flatten();
    let method = params.one("code_challenge_method").ok().flatten();
    let Some(challenge) = challenge else {
        if method.is_some() {
            return Err((
                "code_challenge_method without code_challenge".into(),
                "pkce_malformed",
            ));
        }
        if client.pkce_required() && !s.fault(Fault::AllowPkceDowngrade) {
            return Err((
                "code_challenge is required for this client (PKCE, RFC 9700 §2.1.1)".into(),
                "pkce_required",
            ));
        }
        return Ok(None);
    };
    let method = match method.unwrap_or("plain") {
        "S256" => PkceMethod::S256,
        "plain" if client.allow_plain_pkce || s.fault(Fault::AllowPlainPkce) => PkceMethod::Plain,
        "plain" => {
            return Err(("code_challenge_method plain is not allowed; use S256 (RFC 7636 §4.2, RFC 9700 §2.1.1)".into(), "pkce_plain_refused"));
        }
        other => {
            return Err((
                format!("code_challenge_method {other:?} is not supported; use S256"),
                "pkce_method_unsupported",
            ));
        }
    };
    if !pkce::well_formed(challenge) {
        return Err((
            format!(
                "code_challenge must be 43 to 128 unreserved characters, got {} characters (RFC 7636 §4.2)",
                challenge.len()
            ),
            "pkce_malformed",
        ));
    }
    Ok(Some(Pkce {
        challenge: challenge.to_string(),
        method,
    }))
}

/// RFC 8707 §2: each `resource` is an absolute URI without fragment that this client may ask for.
pub fn check_resources(
    s: &AppState,
    client: &ClientConfig,
    requested: &[&str],
) -> Result<Vec<String>, String> {
    let known = s.known_resources();
    let allowed = client.allowed_resources.as_ref().unwrap_or(&known);
    let mut out: Vec<String> = Vec::new();
    for r in requested {
        crate::config::check_resource(r)?;
        if !allowed.iter().any(|a| a == r) && !s.fault(Fault::IgnoreResourceRestriction) {
            return Err(format!("resource {r:?} is not one this client may ask for"));
        }
        if !out.iter().any(|o| o == r) {
            out.push(r.to_string());
        }
    }
    Ok(out)
}

fn continue_form(
    s: &AppState,
    tenant: &Tenant,
    rid: u64,
    headers: &HeaderMap,
    params: &Params,
) -> Response {
    let _ = tenant;
    let Ok(Some(request_id)) = params.one("mockidp_request") else {
        return page_error(
            s,
            rid,
            None,
            "form_malformed",
            "Bad request",
            "The form was sent twice over.".into(),
        );
    };
    let now = s.now();
    let pending = s.grants.with(|t| {
        t.pending
            .get(request_id)
            .filter(|p| p.expires_at > now)
            .cloned()
    });
    let Some(mut pending) = pending else {
        return page_error(s, rid, None, "form_expired", "This form has expired",
            "This login or consent form is unknown or has expired. Go back to the application and start again.".into());
    };
    let Some(client) = s.registry.client(&pending.client_id) else {
        return page_error(
            s,
            rid,
            None,
            "unknown_client",
            "Unknown client",
            "The client was removed while you were signing in.".into(),
        );
    };
    let action = format!("{}/oauth/authorize", pending.issuer);
    let responder = Responder {
        redirect_uri: pending.redirect_uri.clone(),
        state: pending.state.clone(),
        issuer: pending.issuer.clone(),
        after_post: true,
    };
    match params.one("action").ok().flatten().unwrap_or("") {
        "login" => {
            let username = params.one("username").ok().flatten().unwrap_or("");
            let password = params.one("password").ok().flatten();
            let user = s.registry.user(username);
            let ok = user.as_ref().is_some_and(|u| match &u.config.password {
                None => true,
                Some(p) => password == Some(p.as_str()),
            });
            if !ok {
                s.record(
                    Some(rid),
                    Decision::refused(
                        ENDPOINT,
                        "login_failed",
                        format!("sign-in as {username:?} failed: unknown user or wrong password"),
                    )
                    .client(&client.client_id),
                );
                return authorize_pages::login(
                    &action,
                    request_id,
                    &client,
                    Some(username),
                    wants_password(s, Some(username)),
                    Some("Unknown user or wrong password."),
                );
            }
            pending.user = Some(username.to_string());
            s.grants.with(|t| {
                t.pending.insert(request_id.to_string(), pending.clone());
            });
            let (cookie, _) = crate::session::start(s, username);
            s.record(
                Some(rid),
                Decision::accepted(ENDPOINT, "login_succeeded", format!("{username} signed in"))
                    .client(&client.client_id)
                    .user(username),
            );
            let mut page =
                authorize_pages::consent(&action, request_id, &client, &pending, username);
            page.headers_mut().insert(header::SET_COOKIE, cookie);
            page
        }
        decision @ ("approve" | "deny") => {
            let Some(user) = pending.user.clone() else {
                return page_error(
                    s,
                    rid,
                    Some(&client.client_id),
                    "consent_without_login",
                    "Sign in first",
                    "Consent was given before signing in.".into(),
                );
            };
            s.grants.with(|t| t.pending.remove(request_id));
            if decision == "deny" {
                s.record(
                    Some(rid),
                    Decision::refused(ENDPOINT, "consent_denied", format!("{user} denied consent"))
                        .client(&client.client_id)
                        .user(&user)
                        .detail("error", "access_denied"),
                );
                return responder.redirect(
                    s,
                    &[
                        ("error", "access_denied"),
                        ("error_description", "the user denied the request"),
                    ],
                );
            }
            s.record(
                Some(rid),
                Decision::accepted(
                    ENDPOINT,
                    "consent_given",
                    format!("{user} approved the request"),
                )
                .client(&client.client_id)
                .user(&user),
            );
            issue_code(s, rid, &responder, pending, &user)
        }
        other => {
            let _ = headers;
            page_error(
                s,
                rid,
                Some(&client.client_id),
                "form_malformed",
                "Bad request",
                format!("Unknown form action {other:?}; expected login, approve or deny."),
            )
        }
    }
}

fn issue_code(
    s: &AppState,
    rid: u64,
    responder: &Responder,
    request: PendingAuthorization,
    user: &str,
) -> Response {
    let code = random_token(&s.keys.rng, 32);
    let now = s.now();
    let client_id = request.client_id.clone();
    let record = AuthorizationCode {
        request,
        user: user.to_string(),
        auth_time: now,
        expires_at: now + s.config.tokens.code_ttl,
        used: false,
        grant_id: None,
    };
    s.grants.with(|t| {
        t.codes.insert(hash_secret(&code), record);
        t.note_insert(now);
    });
    s.record(
        Some(rid),
        Decision::accepted(
            ENDPOINT,
            "code_issued",
            format!(
                "issued an authorization code to {client_id} for {user}, valid {} s",
                s.config.tokens.code_ttl
            ),
        )
        .client(&client_id)
        .user(user)
        .detail("code", crate::journal::fingerprint(&code)),
    );
    responder.redirect(s, &[("code", &code)])
}

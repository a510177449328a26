//! The home page: sign in or sign up by username when nobody is signed in; the user's clients
//! otherwise. Signing in starts the same browser session the authorization endpoint uses, so a
//! flow started afterwards skips the login page.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::nav::nav;
use crate::config::UserConfig;
use crate::journal::Decision;
use crate::pages::{esc, hidden, page};
use crate::params::form_body;
use crate::session;
use crate::state::AppState;

const ENDPOINT: &str = "ui";

/// A username the UI accepts for sign-up: 1 to 64 of letters, digits and `._-@`.
fn valid_username(u: &str) -> bool {
    !u.is_empty()
        && u.len() <= 64
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

pub async fn home(State(s): State<AppState>, headers: HeaderMap) -> Response {
    match session::session_user(&s, &headers) {
        None => sign_in_page(&s, StatusCode::OK, None, ""),
        Some(user) => {
            let id = session::session_id(&headers).unwrap_or_default();
            signed_in_page(&s, &user, &id)
        }
    }
}

fn sign_in_page(s: &AppState, status: StatusCode, error: Option<&str>, username: &str) -> Response {
    let err = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    let body = format!(
        "{nav}<p>A strict OAuth 2.1 / OpenID Connect provider for development and tests. \
Issuer: <code>{issuer}</code>.</p>\
<h2>Sign in or sign up</h2>{err}\
<form method=\"post\" action=\"/login\">\
<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" value=\"{u}\" required>\
<label for=\"password\">Password (only for accounts configured with one)</label>\
<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">\
<div><button type=\"submit\">Sign in / Sign up</button></div></form>\
<p>A new username creates an account with no password. Demo accounts: alice, bob, hatter.</p>",
        nav = nav(None),
        issuer = esc(&s.base_url),
        u = esc(username),
    );
    page(status, "Home", &body)
}

fn signed_in_page(s: &AppState, user: &str, session_id: &str) -> Response {
    let owned: Vec<String> = s
        .grants
        .with(|t| {
            t.client_owners
                .iter()
                .filter(|(_, owner)| *owner == user)
                .map(|(c, _)| c.clone())
                .collect::<Vec<_>>()
        })
        .into_iter()
        .collect();
    let mut clients: Vec<_> = owned.iter().filter_map(|c| s.registry.client(c)).collect();
    clients.sort_by(|a, b| a.client_id.cmp(&b.client_id));
    let list = if clients.is_empty() {
        "<p>You have no clients yet. <a href=\"/clients/new\">Create one</a>.</p>".to_string()
    } else {
        let rows: String = clients
            .iter()
            .map(|c| {
                format!(
                    "<tr><td>{name}</td><td><code>{id}</code></td><td>{uris}</td><td>{grants}</td><td><code>{auth}</code></td><td><a href=\"/debugger?client_id={q}\">journal</a></td></tr>",
                    name = esc(c.client_name.as_deref().unwrap_or("")),
                    id = esc(&c.client_id),
                    uris = c
                        .redirect_uris
                        .iter()
                        .map(|u| format!("<code>{}</code>", esc(u)))
                        .collect::<Vec<_>>()
                        .join("<br>"),
                    grants = c
                        .grant_types
                        .iter()
                        .map(|g| esc(g.as_str()))
                        .collect::<Vec<_>>()
                        .join("<br>"),
                    auth = esc(c.auth_method().as_str()),
                    q = form_urlencoded::byte_serialize(c.client_id.as_bytes()).collect::<String>(),
                )
            })
            .collect();
        format!(
            "<table><caption>Your clients</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Client id</th>\
<th scope=\"col\">Redirect URIs</th><th scope=\"col\">Grant types</th><th scope=\"col\">Token endpoint auth</th><th scope=\"col\">Debugger</th></tr></thead>\
<tbody>{rows}</tbody></table>"
        )
    };
    let body = format!(
        "{nav}<h2>Your clients</h2>{list}<p><a href=\"/clients/new\">Create Client</a></p>\
<h2>Endpoints</h2><ul><li>Discovery: <code>{issuer}/.well-known/openid-configuration</code></li>\
<li>Authorization: <code>{issuer}/oauth/authorize</code></li><li>Token: <code>{issuer}/oauth/token</code></li></ul>\
<form method=\"post\" action=\"/logout\">{csrf}<button type=\"submit\">Sign out</button></form>",
        nav = nav(Some(user)),
        issuer = esc(s.base_url.trim_end_matches('/')),
        csrf = hidden("csrf", &session::csrf_token(session_id)),
    );
    page(StatusCode::OK, "Home", &body)
}

/// `POST /login`: signs in a known user (with the password, if the account has one) or signs up
/// a new one; redirects home.
pub async fn login(State(s): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let Ok(params) = form_body(&headers, body.as_bytes()) else {
        return sign_in_page(
            &s,
            StatusCode::BAD_REQUEST,
            Some("Send the form as application/x-www-form-urlencoded, as the page does."),
            "",
        );
    };
    let username = params.one("username").ok().flatten().unwrap_or("").trim();
    let password = params.one("password").ok().flatten().unwrap_or("");
    if !valid_username(username) {
        return sign_in_page(
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("A username is 1 to 64 letters, digits or . _ - @."),
            username,
        );
    }
    match s.registry.user(username) {
        Some(u) => {
            if let Some(p) = &u.config.password
                && p != password
            {
                s.record(
                    None,
                    Decision::refused(
                        ENDPOINT,
                        "login_failed",
                        format!("sign-in as {username:?} failed: wrong password"),
                    )
                    .user(username),
                );
                return sign_in_page(
                    &s,
                    StatusCode::UNAUTHORIZED,
                    Some("Wrong password for this account."),
                    username,
                );
            }
            s.record(
                None,
                Decision::accepted(ENDPOINT, "login_succeeded", format!("{username} signed in"))
                    .user(username),
            );
        }
        None => {
            s.registry.put_user(UserConfig {
                username: username.to_string(),
                password: None,
                name: None,
                email: None,
                claims: Default::default(),
            });
            s.record(
                None,
                Decision::accepted(
                    ENDPOINT,
                    "user_created",
                    format!("{username} signed up (no password)"),
                )
                .user(username),
            );
        }
    }
    let (cookie, _) = session::start(&s, username);
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().insert(header::SET_COOKIE, cookie);
    resp
}

/// `POST /logout`: ends the session (with the page's CSRF token) and redirects home.
pub async fn logout(State(s): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let params = form_body(&headers, body.as_bytes()).ok();
    let token = params.as_ref().and_then(|p| p.one("csrf").ok().flatten());
    if !session::csrf_ok(&headers, token) {
        return page(
            StatusCode::FORBIDDEN,
            "Not signed out",
            "<p class=\"error\" role=\"alert\">The form did not come from your session (CSRF check failed). Go back <a href=\"/\">home</a> and try again.</p>",
        );
    }
    let cookie = session::end(&s, &headers);
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().insert(header::SET_COOKIE, cookie);
    resp
}

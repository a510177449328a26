//! The login and consent pages of the authorization endpoint. Both forms post back to the
//! authorization endpoint with the id of the pending request, never the request itself.

use axum::http::StatusCode;
use axum::response::Response;

use crate::config::ClientConfig;
use crate::grants::PendingAuthorization;
use crate::pages::{esc, hidden, page};

/// The login form; `error` is shown above it after a failed attempt.
pub fn login(
    action: &str,
    request_id: &str,
    client: &ClientConfig,
    login_hint: Option<&str>,
    ask_password: bool,
    error: Option<&str>,
) -> Response {
    let name = client.client_name.as_deref().unwrap_or(&client.client_id);
    let err = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    let password = if ask_password {
        "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">"
    } else {
        ""
    };
    let body = format!(
        "<p><strong>{name}</strong> asks you to sign in.</p>{err}\
<form method=\"post\" action=\"{action}\">{rid}{act}\
<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" value=\"{hint}\" required>\
{password}<div><button type=\"submit\">Sign in</button></div></form>",
        name = esc(name),
        action = esc(action),
        rid = hidden("mockidp_request", request_id),
        act = hidden("action", "login"),
        hint = esc(login_hint.unwrap_or("")),
    );
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    page(status, "Sign in", &body)
}

/// The consent page: who asks, for what, and where the answer goes.
pub fn consent(
    action: &str,
    request_id: &str,
    client: &ClientConfig,
    pending: &PendingAuthorization,
    user: &str,
) -> Response {
    let name = client.client_name.as_deref().unwrap_or(&client.client_id);
    let host = url::Url::parse(&pending.redirect_uri)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| pending.redirect_uri.clone());
    let scopes: String = pending
        .scope
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", esc(s)))
        .collect();
    let resources: String = if pending.resources.is_empty() {
        String::new()
    } else {
        let items: String = pending
            .resources
            .iter()
            .map(|r| format!("<li><code>{}</code></li>", esc(r)))
            .collect();
        format!("<h2>For these resources</h2><ul>{items}</ul>")
    };
    let body = format!(
        "<p>Signed in as <strong>{user}</strong>.</p>\
<p><strong>{name}</strong> (client <code>{cid}</code>) asks for access.</p>\
<h2>Requested scopes</h2><ul>{scopes}</ul>{resources}\
<p>After you answer, your browser goes to <strong>{host}</strong>.</p>\
<form method=\"post\" action=\"{action}\">{rid}\
<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\
<button type=\"submit\" name=\"action\" value=\"deny\">Deny</button></form>",
        user = esc(user),
        name = esc(name),
        cid = esc(&client.client_id),
        host = esc(&host),
        action = esc(action),
        rid = hidden("mockidp_request", request_id),
    );
    page(StatusCode::OK, "Authorize access", &body)
}

//! "Create Client": the form (name, URI, allowed scope, redirect URIs, grant types and response
//! types one per line, token endpoint auth method) and its handling. A new client gets a random
//! id and, unless it is public, a random secret, both shown once on the answer page; the secret is
//! never shown again. Invalid input comes back in the form with every problem listed.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Redirect, Response};

use super::nav::nav;
use crate::config::{AuthMethod, ClientConfig, GrantType};
use crate::grants::random_token;
use crate::journal::Decision;
use crate::pages::{esc, hidden, page};
use crate::params::form_body;
use crate::session;
use crate::state::AppState;

const ENDPOINT: &str = "ui";

/// What the form holds (as typed, for showing it again).
#[derive(Debug, Default, Clone)]
struct Input {
    client_name: String,
    client_uri: String,
    scope: String,
    redirect_uris: String,
    grant_types: String,
    response_types: String,
    auth_method: String,
}

impl Input {
    fn defaults() -> Self {
        Self {
            scope: "openid profile email".into(),
            grant_types: "authorization_code\nrefresh_token".into(),
            response_types: "code".into(),
            auth_method: "client_secret_basic".into(),
            ..Self::default()
        }
    }
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The client the input describes, or every problem with it.
fn parse(input: &Input) -> Result<ClientConfig, Vec<String>> {
    let mut problems = Vec::new();
    let name = input.client_name.trim();
    if name.is_empty() || name.len() > 100 {
        problems.push("Client name: 1 to 100 characters.".to_string());
    }
    let client_uri = input.client_uri.trim();
    if !client_uri.is_empty()
        && !url::Url::parse(client_uri).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
    {
        problems.push(format!("Client URI: {client_uri:?} is not an http(s) URL."));
    }
    let scope: Vec<&str> = input.scope.split_whitespace().collect();
    if scope.is_empty() {
        problems.push("Allowed scope: at least one scope, separated by spaces.".into());
    }
    let mut grants = Vec::new();
    for g in lines(&input.grant_types) {
        match GrantType::ALL.iter().find(|k| k.as_str() == g) {
            Some(k) if !grants.contains(k) => grants.push(*k),
            Some(_) => {}
            None => problems.push(format!(
                "Grant types: {g:?} is not one of {}.",
                GrantType::ALL.map(GrantType::as_str).join(", ")
            )),
        }
    }
    if grants.is_empty() {
        problems.push("Grant types: at least one, one per line.".into());
    }
    let response_types = lines(&input.response_types);
    for r in &response_types {
        if r != "code" {
            problems.push(format!(
                "Response types: {r:?} is not supported; OAuth 2.1 keeps only \"code\"."
            ));
        }
    }
    let redirect_uris = lines(&input.redirect_uris);
    for u in &redirect_uris {
        match url::Url::parse(u) {
            Err(e) => problems.push(format!(
                "Redirect URIs: {u:?} is not an absolute URL ({e})."
            )),
            Ok(p) if p.fragment().is_some() => problems.push(format!(
                "Redirect URIs: {u:?} has a fragment, which RFC 6749 §3.1.2 forbids."
            )),
            Ok(p) if matches!(p.scheme(), "javascript" | "data" | "file") => problems.push(
                format!("Redirect URIs: {u:?} uses a scheme no browser may be sent to."),
            ),
            Ok(_) => {}
        }
    }
    let redirecting = grants.contains(&GrantType::AuthorizationCode);
    if redirecting && redirect_uris.is_empty() {
        problems.push(
            "Redirect URIs: the authorization_code grant needs at least one, one per line.".into(),
        );
    }
    if redirecting && response_types.is_empty() {
        problems.push("Response types: the authorization_code grant needs \"code\".".into());
    }
    let method = match input.auth_method.as_str() {
        "client_secret_basic" => AuthMethod::ClientSecretBasic,
        "client_secret_post" => AuthMethod::ClientSecretPost,
        "none" => AuthMethod::None,
        other => {
            problems.push(format!(
                "Token endpoint auth method: {other:?} is not one of client_secret_basic, client_secret_post, none."
            ));
            AuthMethod::ClientSecretBasic
        }
    };
    if method == AuthMethod::None && grants.contains(&GrantType::ClientCredentials) {
        problems.push(
            "Grant types: client_credentials needs a confidential client (not auth method none)."
                .into(),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ClientConfig {
        client_id: String::new(),
        client_secret: None,
        client_name: Some(name.to_string()),
        client_uri: (!client_uri.is_empty()).then(|| client_uri.to_string()),
        redirect_uris,
        grant_types: grants,
        response_types: if response_types.is_empty() {
            vec!["code".into()]
        } else {
            response_types
        },
        scope: scope.join(" "),
        token_endpoint_auth_method: Some(method),
        require_pkce: None,
        allow_plain_pkce: false,
        loopback_any_port: false,
        allowed_resources: None,
        dpop_bound_access_tokens: false,
        jwks: None,
    })
}

fn form_page(
    status: StatusCode,
    user: &str,
    csrf: &str,
    input: &Input,
    problems: &[String],
) -> Response {
    let errors = if problems.is_empty() {
        String::new()
    } else {
        let items: String = problems
            .iter()
            .map(|p| format!("<li>{}</li>", esc(p)))
            .collect();
        format!(
            "<div class=\"error\" role=\"alert\"><p>The client was not created:</p><ul>{items}</ul></div>"
        )
    };
    let option = |value: &str, label: &str| {
        let selected = if input.auth_method == value {
            " selected"
        } else {
            ""
        };
        format!("<option value=\"{value}\"{selected}>{label}</option>")
    };
    let body = format!(
        "{nav}{errors}<form method=\"post\" action=\"/clients\">{csrf}\
<label for=\"client_name\">Client name</label><input id=\"client_name\" name=\"client_name\" value=\"{name}\" required>\
<label for=\"client_uri\">Client URI</label><input id=\"client_uri\" name=\"client_uri\" type=\"url\" value=\"{uri}\">\
<label for=\"scope\">Allowed scope (separated by spaces)</label><input id=\"scope\" name=\"scope\" value=\"{scope}\">\
<label for=\"redirect_uris\">Redirect URIs (one per line)</label><textarea id=\"redirect_uris\" name=\"redirect_uris\" rows=\"3\" cols=\"60\">{redirects}</textarea>\
<label for=\"grant_types\">Grant types (one per line)</label><textarea id=\"grant_types\" name=\"grant_types\" rows=\"3\" cols=\"60\">{grants}</textarea>\
<label for=\"response_types\">Response types (one per line)</label><textarea id=\"response_types\" name=\"response_types\" rows=\"2\" cols=\"60\">{responses}</textarea>\
<label for=\"auth_method\">Token endpoint auth method</label><select id=\"auth_method\" name=\"token_endpoint_auth_method\">{o1}{o2}{o3}</select>\
<div><button type=\"submit\">Create Client</button></div></form>\
<p>Grant types: {known}. A client with auth method <code>none</code> is public and must use PKCE (S256).</p>",
        nav = nav(Some(user)),
        csrf = hidden("csrf", csrf),
        name = esc(&input.client_name),
        uri = esc(&input.client_uri),
        scope = esc(&input.scope),
        redirects = esc(&input.redirect_uris),
        grants = esc(&input.grant_types),
        responses = esc(&input.response_types),
        o1 = option("client_secret_basic", "client_secret_basic (HTTP Basic)"),
        o2 = option(
            "client_secret_post",
            "client_secret_post (in the form body)"
        ),
        o3 = option("none", "none (public client, PKCE)"),
        known = GrantType::ALL
            .map(|g| format!("<code>{}</code>", g.as_str()))
            .join(", "),
    );
    page(status, "Create Client", &body)
}

/// `GET /clients/new`.
pub async fn form(State(s): State<AppState>, headers: HeaderMap) -> Result<Response, Redirect> {
    let user = session::session_user(&s, &headers).ok_or(Redirect::to("/"))?;
    let id = session::session_id(&headers).unwrap_or_default();
    Ok(form_page(
        StatusCode::OK,
        &user,
        &session::csrf_token(&id),
        &Input::defaults(),
        &[],
    ))
}

/// `POST /clients`: creates the client and shows its credentials once.
pub async fn create(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, Redirect> {
    let user = session::session_user(&s, &headers).ok_or(Redirect::to("/"))?;
    let sid = session::session_id(&headers).unwrap_or_default();
    let csrf = session::csrf_token(&sid);
    let Ok(params) = form_body(&headers, body.as_bytes()) else {
        return Ok(form_page(
            StatusCode::BAD_REQUEST,
            &user,
            &csrf,
            &Input::defaults(),
            &["Send the form as application/x-www-form-urlencoded, as the page does.".into()],
        ));
    };
    let field = |n: &str| params.one(n).ok().flatten().unwrap_or("").to_string();
    let input = Input {
        client_name: field("client_name"),
        client_uri: field("client_uri"),
        scope: field("scope"),
        redirect_uris: field("redirect_uris"),
        grant_types: field("grant_types"),
        response_types: field("response_types"),
        auth_method: field("token_endpoint_auth_method"),
    };
    if !session::csrf_ok(&headers, params.one("csrf").ok().flatten()) {
        return Ok(form_page(
            StatusCode::FORBIDDEN,
            &user,
            &csrf,
            &input,
            &["The form did not come from your session (CSRF check failed); submit it again from this page.".into()],
        ));
    }
    let mut client = match parse(&input) {
        Ok(c) => c,
        Err(problems) => {
            return Ok(form_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &user,
                &csrf,
                &input,
                &problems,
            ));
        }
    };
    client.client_id = random_token(&s.keys.rng, 18);
    if client.auth_method() != AuthMethod::None {
        client.client_secret = Some(random_token(&s.keys.rng, 32));
    }
    let shown = client.clone();
    s.registry.put_client(client);
    s.grants.with(|t| {
        t.client_owners
            .insert(shown.client_id.clone(), user.clone())
    });
    s.record(
        None,
        Decision::accepted(
            ENDPOINT,
            "client_created",
            format!(
                "{user} created client {:?} ({})",
                shown.client_name.as_deref().unwrap_or(""),
                shown.auth_method().as_str()
            ),
        )
        .client(&shown.client_id)
        .user(&user),
    );
    Ok(created_page(&s, &user, &shown))
}

fn created_page(s: &AppState, user: &str, c: &ClientConfig) -> Response {
    let issuer = s.base_url.trim_end_matches('/');
    let secret = match &c.client_secret {
        Some(secret) => format!(
            "<dt>Client secret</dt><dd><code id=\"client_secret\">{}</code></dd>",
            esc(secret)
        ),
        None => "<dt>Client secret</dt><dd>none: a public client (PKCE S256 required)</dd>".into(),
    };
    let redirect = c.redirect_uris.first().map(String::as_str).unwrap_or("");
    let body = format!(
        "{nav}<p class=\"error\" role=\"status\"><strong>Copy the secret now: it is not shown again.</strong></p>\
<dl><dt>Client name</dt><dd>{name}</dd><dt>Client id</dt><dd><code id=\"client_id\">{id}</code></dd>{secret}\
<dt>Token endpoint auth method</dt><dd><code>{auth}</code></dd></dl>\
<h2>In an agent toolkit's config</h2><pre>client_id: {id}\nclient_secret: {secret_snippet}\n\
authorization_url: {issuer}/oauth/authorize\ntoken_url: {issuer}/oauth/token\nredirect_uri: {redirect}\n\
scopes: [{scopes}]</pre><p><a href=\"/\">Back to your clients</a></p>",
        nav = nav(Some(user)),
        name = esc(c.client_name.as_deref().unwrap_or("")),
        id = esc(&c.client_id),
        auth = esc(c.auth_method().as_str()),
        secret_snippet = esc(c.client_secret.as_deref().unwrap_or("\"\"")),
        issuer = esc(issuer),
        redirect = esc(redirect),
        scopes = esc(&c.scope.split(' ').collect::<Vec<_>>().join(", ")),
    );
    page(StatusCode::CREATED, "Client created", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Input {
        Input {
            client_name: "My agent".into(),
            redirect_uris: "http://localhost:8000/auth/redirect\n".into(),
            ..Input::defaults()
        }
    }

    #[test]
    fn a_good_form_makes_a_confidential_client() {
        let c = parse(&good()).unwrap();
        assert_eq!(c.redirect_uris, ["http://localhost:8000/auth/redirect"]);
        assert_eq!(
            c.grant_types,
            [GrantType::AuthorizationCode, GrantType::RefreshToken]
        );
        assert_eq!(c.auth_method(), AuthMethod::ClientSecretBasic);
        assert_eq!(c.scope, "openid profile email");
    }

    #[test]
    fn every_problem_is_listed() {
        let bad = Input {
            client_name: String::new(),
            client_uri: "ftp://x".into(),
            scope: " ".into(),
            redirect_uris: "not a url\nhttps://a.example/cb#frag\njavascript:alert(1)".into(),
            grant_types: "password\nimplicit".into(),
            response_types: "token".into(),
            auth_method: "private_key_jwt".into(),
        };
        let problems = parse(&bad).unwrap_err();
        assert!(problems.len() >= 9, "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("\"password\"")));
        assert!(problems.iter().any(|p| p.contains("fragment")));
        assert!(problems.iter().any(|p| p.contains("private_key_jwt")));
    }

    #[test]
    fn a_code_client_needs_a_redirect_uri_and_client_credentials_a_secret() {
        let p = parse(&Input {
            redirect_uris: String::new(),
            ..good()
        })
        .unwrap_err();
        assert!(p.iter().any(|p| p.contains("needs at least one")));
        let p = parse(&Input {
            grant_types: "client_credentials".into(),
            auth_method: "none".into(),
            ..good()
        })
        .unwrap_err();
        assert!(p.iter().any(|p| p.contains("confidential")));
    }
}

//! Server-rendered HTML: one layout, escaping, and the pages of the authorization flow (login,
//! consent, errors). No external assets; readable without CSS. The demo UI (issue 7) builds on
//! the same layout.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}\
label{display:block;margin-top:.75rem}input{font-size:1rem;padding:.3rem}button{font-size:1rem;margin:.75rem .5rem 0 0;padding:.4rem 1rem}\
code,pre{background:#f3f3f3;padding:.1rem .3rem}.error{border-left:4px solid #b00020;padding-left:1rem}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}";

/// A whole page around `body` (already escaped HTML).
pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>{t} · mock-idp</title><style>{STYLE}</style></head>\n<body><header><p><a href=\"/\">mock-idp</a></p></header>\n<main>\n<h1>{t}</h1>\n{body}\n</main></body></html>\n",
        t = esc(title)
    )
}

/// An HTML page with a status code, never cached.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let mut resp = (status, Html(layout(title, body))).into_response();
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    resp
}

/// A 4xx page for an authorization request that must not redirect (RFC 6749 §4.1.2.1).
pub fn authorize_error(
    status: StatusCode,
    title: &str,
    explanation: &str,
    client_id: Option<&str>,
) -> Response {
    let query = client_id
        .map(|c| {
            format!(
                "?client_id={}",
                form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>()
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<div class=\"error\" role=\"alert\">{explanation}</div>\n<p>mock-idp did not redirect back to the client, \
because the redirect target could not be trusted. <a href=\"/debugger{q}\">The debugger</a> explains every \
refusal in plain words (as JSON: <a href=\"/_admin/journal{q}\">/_admin/journal{q}</a>).</p>",
        q = esc(&query)
    );
    page(status, title, &body)
}

/// Hidden form fields carrying the pending request id.
pub fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        esc(name),
        esc(value)
    )
}

//! The navigation bar every UI page starts with. A leaf the pages import, so no page imports the
//! module that routes to it.

use crate::pages::esc;

/// The navigation every UI page starts with, naming the signed-in user if there is one.
pub(super) fn nav(user: Option<&str>) -> String {
    let who = match user {
        Some(u) => format!(" · signed in as <strong>{}</strong>", esc(u)),
        None => String::new(),
    };
    format!(
        "<nav aria-label=\"Main\"><a href=\"/\">Home</a> · <a href=\"/clients/new\">Create Client</a> · <a href=\"/debugger\">Debugger</a> · <a href=\"/.well-known/openid-configuration\">Discovery</a>{who}</nav>"
    )
}

//! Where an authorization response goes. A server answers an authorization request by sending
//! the browser somewhere: a 3xx `Location`, a page that posts a form by itself (`form_post`), or
//! a meta refresh; the parameters ride in the query, the fragment or the form. Every such
//! navigation that leaves the target, or carries a code, token or error, is a [`Delivery`], so a
//! check can judge it wherever it went (design.md: "A redirect is judged wherever it goes").

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::http::html_form;
use crate::http::user_agent::Response;

/// How the parameters travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Query,
    Fragment,
    FormPost,
    MetaRefresh,
}

impl Mode {
    /// The word for messages.
    pub fn word(self) -> &'static str {
        match self {
            Mode::Query => "in the query",
            Mode::Fragment => "in the fragment",
            Mode::FormPost => "by form_post",
            Mode::MetaRefresh => "by a meta refresh",
        }
    }
}

/// One navigation a server sent the browser on.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Where the browser goes, as the server wrote it (resolved against the page).
    pub url: String,
    pub mode: Mode,
    /// The query, fragment and form parameters, merged.
    pub params: BTreeMap<String, String>,
}

/// The parameters that make a navigation an authorization response.
const RESPONSE_PARAMS: &[&str] = &["code", "access_token", "id_token", "error"];

impl Delivery {
    /// Whether it carries a code, a token or an error.
    pub fn carries_response(&self) -> bool {
        RESPONSE_PARAMS.iter().any(|p| self.params.contains_key(*p))
    }

    /// Whether it goes to exactly `uri`: the same string, then nothing or the parameters the
    /// server added (`?`, `&` after an existing query, `#`).
    pub fn goes_to(&self, uri: &str) -> bool {
        match self.url.strip_prefix(uri) {
            Some("") => true,
            Some(rest) => {
                rest.starts_with('#')
                    || rest.starts_with('?') && !uri.contains('?')
                    || rest.starts_with('&') && uri.contains('?')
            }
            None => false,
        }
    }

    /// A short account for messages: where, how, which parameters (names only).
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.params.keys().map(String::as_str).collect();
        format!(
            "{} {} (parameters: {})",
            self.url.split(['?', '#']).next().unwrap_or(&self.url),
            self.mode.word(),
            names.join(", ")
        )
    }
}

/// The navigation `resp` sends the browser on, if it leaves `target_origin` or carries an
/// authorization response; `None` for a page or a redirect within the target.
pub fn delivery(resp: &Response, target_origin: &str) -> Option<Delivery> {
    let d = if resp.is_redirect() {
        let url = join(&resp.url, resp.location()?);
        from_url(url, Mode::Query)
    } else if resp.status == 200 {
        form_post(resp, target_origin).or_else(|| meta_refresh(resp))?
    } else {
        return None;
    };
    (origin(&d.url) != target_origin || d.carries_response()).then_some(d)
}

fn from_url(url: String, mode: Mode) -> Delivery {
    let mut params = BTreeMap::new();
    let mut mode = mode;
    if let Ok(u) = url::Url::parse(&url) {
        params.extend(u.query_pairs().into_owned());
        if let Some(f) = u.fragment() {
            let fragment: BTreeMap<String, String> =
                form_urlencoded::parse(f.as_bytes()).into_owned().collect();
            if RESPONSE_PARAMS.iter().any(|p| fragment.contains_key(*p)) {
                mode = Mode::Fragment;
            }
            for (k, v) in fragment {
                params.entry(k).or_insert(v);
            }
        }
    }
    Delivery { url, mode, params }
}

/// A page whose form posts an authorization response off the target (OAuth 2.0 Form Post
/// Response Mode §2: the form auto-submits to the redirect URI).
fn form_post(resp: &Response, target_origin: &str) -> Option<Delivery> {
    html_form::page(&resp.body).forms.into_iter().find_map(|f| {
        let url = join(&resp.url, f.action.as_deref()?);
        let params: BTreeMap<String, String> = f.submission(None).into_iter().collect();
        let response = RESPONSE_PARAMS.iter().any(|p| params.contains_key(*p));
        (f.method == "post" && response && origin(&url) != target_origin).then_some(Delivery {
            url,
            mode: Mode::FormPost,
            params,
        })
    })
}

static META_REFRESH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<meta\b[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']\s*\d*\s*;?\s*url\s*=\s*([^"'>]+)["']"#)
        .expect("meta refresh regex")
});

fn meta_refresh(resp: &Response) -> Option<Delivery> {
    let target = META_REFRESH.captures(&resp.body)?.get(1)?.as_str().trim();
    let url = join(&resp.url, &html_form::unescape(target));
    let mut d = from_url(url, Mode::MetaRefresh);
    if d.mode == Mode::Query {
        d.mode = Mode::MetaRefresh;
    }
    Some(d)
}

fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// Resolves `location` against `base`. An absolute location is kept as the server wrote it
/// (parsing would lower-case its host and drop a default port: the exact string is what is
/// judged).
pub fn join(base: &str, location: &str) -> String {
    if url::Url::parse(location).is_ok() {
        return location.to_string();
    }
    url::Url::parse(base)
        .and_then(|b| b.join(location))
        .map(|u| u.to_string())
        .unwrap_or_else(|_| location.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(url: &str, d: &Delivery) -> bool {
        d.goes_to(url)
    }

    #[test]
    fn exact_destination_allows_only_added_parameters() {
        let d = from_url("https://c.example/cb?code=x&state=y".into(), Mode::Query);
        assert!(at("https://c.example/cb", &d));
        assert!(!at("https://c.example/c", &d));
        let d = from_url("https://c.example/cb/?code=x".into(), Mode::Query);
        assert!(!at("https://c.example/cb", &d));
        let d = from_url("https://c.example/cb?a=1&code=x".into(), Mode::Query);
        assert!(at("https://c.example/cb?a=1", &d));
        let d = from_url("https://c.example/cb#error=x".into(), Mode::Query);
        assert!(at("https://c.example/cb", &d));
        assert_eq!(d.mode, Mode::Fragment);
        assert_eq!(d.params["error"], "x");
    }

    #[test]
    fn an_absolute_location_is_judged_as_written() {
        assert_eq!(
            join(
                "https://as.example/authorize",
                "https://CLIENT.example:443/cb?code=x"
            ),
            "https://CLIENT.example:443/cb?code=x"
        );
        assert_eq!(
            join("https://as.example/a/b", "/login"),
            "https://as.example/login"
        );
    }

    #[test]
    fn a_redirect_off_the_target_is_a_delivery_wherever_it_goes() {
        let d = from_url(
            "https://attacker.example/?state=s&code=c".into(),
            Mode::Query,
        );
        assert!(d.carries_response());
        assert!(
            d.describe()
                .starts_with("https://attacker.example/ in the query")
        );
    }
}

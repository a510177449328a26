//! Request parameters as RFC 6749 §3.1 and §3.2 read them: empty values count as absent, and a
//! parameter sent more than once is an error (except those a spec allows to repeat, such as
//! RFC 8707's `resource`).

use axum::http::{HeaderMap, header};

use crate::error::OAuthError;

/// Decoded `application/x-www-form-urlencoded` pairs, in order.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

/// A parameter that appeared more than once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeated(pub String);

impl Params {
    /// Parses a query string or form body.
    pub fn parse(input: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(input)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The value of `name`, `None` when absent or empty; an error when repeated.
    pub fn one(&self, name: &str) -> Result<Option<&str>, Repeated> {
        let mut found = None;
        for (k, v) in &self.0 {
            if k == name && !v.is_empty() {
                if found.is_some() {
                    return Err(Repeated(name.to_string()));
                }
                found = Some(v.as_str());
            }
        }
        Ok(found)
    }

    /// Every non-empty value of `name` (for parameters allowed to repeat).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first parameter (other than those in `repeatable`) that appears more than once.
    pub fn first_repeated(&self, repeatable: &[&str]) -> Option<Repeated> {
        let mut seen = std::collections::HashSet::new();
        self.0
            .iter()
            .filter(|(k, v)| !v.is_empty() && !repeatable.contains(&k.as_str()))
            .find(|(k, _)| !seen.insert(k.as_str()))
            .map(|(k, _)| Repeated(k.clone()))
    }

    /// The value of `name` where a repeat is a client error.
    pub fn get(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        self.one(name).map_err(|r| r.into())
    }

    /// A required parameter.
    pub fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)?
            .ok_or_else(|| OAuthError::invalid_request(format!("missing parameter {name}")))
    }
}

impl From<Repeated> for OAuthError {
    fn from(r: Repeated) -> Self {
        OAuthError::invalid_request(format!(
            "parameter {} was sent more than once (RFC 6749 §3.2)",
            r.0
        ))
    }
}

/// Parses a POST body that must be `application/x-www-form-urlencoded` (RFC 6749 §3.2).
pub fn form_body(headers: &HeaderMap, body: &[u8]) -> Result<Params, OAuthError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(OAuthError::invalid_request(format!(
            "the body must be application/x-www-form-urlencoded, got {:?}",
            if content_type.is_empty() {
                "no Content-Type"
            } else {
                content_type
            }
        )));
    }
    if std::str::from_utf8(body).is_err() {
        return Err(OAuthError::invalid_request("the body is not UTF-8"));
    }
    Ok(Params::parse(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_absent_and_repeats_are_refused() {
        let p = Params::parse(b"a=1&b=&c=x&c=y&resource=r1&resource=r2");
        assert_eq!(p.one("a"), Ok(Some("1")));
        assert_eq!(p.one("b"), Ok(None));
        assert_eq!(p.one("c"), Err(Repeated("c".into())));
        assert_eq!(p.all("resource"), vec!["r1", "r2"]);
        assert_eq!(p.first_repeated(&["resource"]), Some(Repeated("c".into())));
    }

    #[test]
    fn form_body_requires_the_form_content_type() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert_eq!(form_body(&h, b"{}").unwrap_err().error, "invalid_request");
        h.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=UTF-8"
                .parse()
                .unwrap(),
        );
        assert!(form_body(&h, b"a=1").is_ok());
    }
}

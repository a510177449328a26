//! How the reference MCP client finds who protects a server: the 401 challenge (RFC 6750 §3,
//! RFC 9728 §5.1), the protected resource metadata (RFC 9728 §3; from the challenge, else the
//! path-inserted then the root well-known URL), and the authorization server metadata in the
//! order MCP 2025-11-25 gives for issuers with and without a path (RFC 8414 §3, OIDC Discovery
//! §4), each validated before use. A server that publishes no protected resource metadata and
//! names none in its challenge is taken for an MCP 2025-03-26 server: its origin is the
//! authorization base URL, with RFC 8414 metadata or else the default endpoints.

use serde_json::{Value, json};

use super::faults::ClientFault;
use super::session::Session;
use protocol::www_authenticate::param;

/// What a Bearer challenge said.
#[derive(Debug, Clone, Default)]
pub struct Challenge {
    pub error: Option<String>,
    pub scope: Option<String>,
    pub resource_metadata: Option<String>,
}

impl Challenge {
    pub fn parse(www_authenticate: Option<&str>) -> Self {
        let Some(c) = www_authenticate else {
            return Self::default();
        };
        Self {
            error: param(c, "error"),
            scope: param(c, "scope").filter(|s| !s.is_empty()),
            resource_metadata: param(c, "resource_metadata"),
        }
    }
}

/// `url` with a well-known suffix inserted between host and path (RFC 8414 §3.1, RFC 9728 §3.1).
pub fn path_inserted(url: &url::Url, well_known: &str) -> String {
    let path = url.path().trim_end_matches('/');
    format!(
        "{}/.well-known/{well_known}{path}",
        url.origin().ascii_serialization()
    )
}

/// The same resource, compared as URLs: scheme and host case-insensitive, no trailing slash.
pub fn same_resource(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        url::Url::parse(s).ok().map(|u| {
            format!(
                "{}{}{}",
                u.origin().ascii_serialization(),
                u.path().trim_end_matches('/'),
                u.query().map(|q| format!("?{q}")).unwrap_or_default()
            )
        })
    };
    matches!((norm(a), norm(b)), (Some(x), Some(y)) if x == y)
}

impl Session {
    /// The protected resource metadata, once per session (`self.prm`); for an MCP 2025-03-26
    /// server, which has none, the authorization server's metadata too.
    pub async fn find_resource_metadata(&mut self, challenge: &Challenge) -> Result<(), String> {
        if self.prm.is_some() {
            return Ok(());
        }
        let missing = match self.protected_resource_metadata(challenge).await? {
            Ok(doc) => {
                self.prm = Some(doc);
                return Ok(());
            }
            Err(tried) => tried,
        };
        if challenge.resource_metadata.is_some() || self.has(ClientFault::NoLegacyDiscovery) {
            return Err(format!("no protected resource metadata ({missing})"));
        }
        self.legacy_authorization_server().await?;
        self.prm = Some(json!({}));
        Ok(())
    }

    /// MCP 2025-03-26 (Authorization, Server Metadata Discovery; Fallbacks for Servers without
    /// Metadata Discovery): the authorization base URL is the server's origin; its RFC 8414
    /// metadata at the root well-known URL, else (404) the default endpoints.
    async fn legacy_authorization_server(&mut self) -> Result<(), String> {
        let origin = self.server.origin().ascii_serialization();
        if !self.has(ClientFault::DefaultEndpointsFirst) {
            let url = format!("{origin}/.well-known/oauth-authorization-server");
            let r = self.http.get(&url, self.leak_token()).await?;
            if r.status == 200
                && let Some(doc) = r.json()
            {
                let got = doc.get("issuer").and_then(Value::as_str).unwrap_or("");
                if got != origin && !self.has(ClientFault::IgnoreIssuerMismatch) {
                    return Err(format!(
                        "the metadata at {url} names issuer {got:?}, not {origin} (RFC 8414 §3.3): not using it"
                    ));
                }
                self.as_meta = Some(doc);
                self.issuer = origin;
                return Ok(());
            }
            if r.status != 404 {
                return Err(format!(
                    "{url} answered {}: neither metadata nor 404 (MCP 2025-03-26 falls back to the default endpoints only on 404)",
                    r.status
                ));
            }
        }
        let base = if self.has(ClientFault::DefaultEndpointsUnderPath) {
            format!("{origin}{}", self.server.path().trim_end_matches('/'))
        } else {
            origin
        };
        // PKCE is required of every 2025-03-26 client; there is no metadata to say S256.
        self.as_meta = Some(json!({
            "issuer": base,
            "authorization_endpoint": format!("{base}/authorize"),
            "token_endpoint": format!("{base}/token"),
            "registration_endpoint": format!("{base}/register"),
            "code_challenge_methods_supported": ["S256"],
        }));
        self.issuer = base;
        Ok(())
    }

    /// RFC 9728: the protected resource metadata of the server, validated against its URL;
    /// `Ok(Err(tried))` when none is published at any URL tried.
    async fn protected_resource_metadata(
        &mut self,
        challenge: &Challenge,
    ) -> Result<Result<Value, String>, String> {
        let server = self.server.clone();
        let mut candidates = Vec::new();
        match &challenge.resource_metadata {
            Some(u) if !self.has(ClientFault::IgnoreChallengeMetadata) => {
                candidates.push(u.clone())
            }
            _ => {}
        }
        if !self.has(ClientFault::IgnoreChallengeMetadata) {
            candidates.push(path_inserted(&server, "oauth-protected-resource"));
        }
        candidates.push(format!(
            "{}/.well-known/oauth-protected-resource",
            server.origin().ascii_serialization()
        ));
        let mut tried = Vec::new();
        for url in candidates {
            let r = self.http.get(&url, None).await?;
            if r.status == 200
                && let Some(doc) = r.json()
            {
                let resource = doc.get("resource").and_then(Value::as_str).unwrap_or("");
                if !same_resource(resource, server.as_str())
                    && !self.has(ClientFault::IgnorePrmResource)
                {
                    return Err(format!(
                        "the protected resource metadata at {url} is for {resource:?}, not {server} (RFC 9728 §3.3): not authorizing"
                    ));
                }
                return Ok(Ok(doc));
            }
            tried.push(format!("{url} -> {}", r.status));
        }
        Ok(Err(tried.join(", ")))
    }

    /// The authorization server's metadata, from the URLs MCP 2025-11-25 lists in its order;
    /// its `issuer` must be the server asked for (RFC 8414 §3.3).
    pub async fn authorization_server_metadata(&mut self, issuer: &str) -> Result<Value, String> {
        let url = url::Url::parse(issuer)
            .map_err(|e| format!("authorization server {issuer:?} is not a URL: {e}"))?;
        let origin = url.origin().ascii_serialization();
        let path = url.path().trim_end_matches('/');
        let candidates = if path.is_empty() {
            vec![
                format!("{origin}/.well-known/oauth-authorization-server"),
                format!("{origin}/.well-known/openid-configuration"),
            ]
        } else {
            vec![
                format!("{origin}/.well-known/oauth-authorization-server{path}"),
                format!("{origin}/.well-known/openid-configuration{path}"),
                format!("{origin}{path}/.well-known/openid-configuration"),
            ]
        };
        let mut tried = Vec::new();
        for c in candidates {
            let r = self.http.get(&c, self.leak_token()).await?;
            if r.status == 200
                && let Some(doc) = r.json()
            {
                let got = doc.get("issuer").and_then(Value::as_str).unwrap_or("");
                // RFC 8414 §3.3: identical, not merely equivalent.
                if got != issuer && !self.has(ClientFault::IgnoreIssuerMismatch) {
                    return Err(format!(
                        "the metadata at {c} names issuer {got:?}, not {issuer} (RFC 8414 §3.3): not using it"
                    ));
                }
                return Ok(doc);
            }
            tried.push(format!("{c} -> {}", r.status));
        }
        Err(format!(
            "no authorization server metadata for {issuer} ({})",
            tried.join(", ")
        ))
    }
}

/// A metadata member as a string.
pub fn member<'a>(doc: &'a Value, name: &str) -> Option<&'a str> {
    doc.get(name).and_then(Value::as_str)
}

/// Rejects anything but an http(s) URL for endpoints the client will visit.
pub fn http_url(doc: &Value, name: &str) -> Result<String, String> {
    let u = member(doc, name).ok_or_else(|| format!("the metadata has no {name}"))?;
    match url::Url::parse(u) {
        Ok(p) if p.scheme() == "https" || p.scheme() == "http" => Ok(u.to_string()),
        Ok(p) => Err(format!(
            "{name} uses the {:?} scheme; only http(s) endpoints are visited",
            p.scheme()
        )),
        Err(e) => Err(format!("{name} {u:?} is not a URL: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_insertion_and_resource_comparison() {
        let u = url::Url::parse("http://127.0.0.1:9/mcp").unwrap();
        assert_eq!(
            path_inserted(&u, "oauth-protected-resource"),
            "http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp"
        );
        assert!(same_resource(
            "HTTP://127.0.0.1:9/mcp/",
            "http://127.0.0.1:9/mcp"
        ));
        assert!(!same_resource(
            "http://127.0.0.1:9/not-mcp",
            "http://127.0.0.1:9/mcp"
        ));
        assert!(!same_resource("", "http://127.0.0.1:9/mcp"));
    }

    #[test]
    fn only_http_endpoints_are_visited() {
        let doc =
            serde_json::json!({"a": "javascript:alert(1)", "b": "https://as.example/authorize"});
        assert!(http_url(&doc, "a").unwrap_err().contains("javascript"));
        assert_eq!(http_url(&doc, "b").unwrap(), "https://as.example/authorize");
    }
}

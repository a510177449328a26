//! Redaction and normalization for everything the runner writes: secrets, tokens, codes and
//! random values are replaced by stable placeholders (`<access_token#1>`) the moment they are
//! seen, and target URLs by `{target}`, so reports never carry a secret and two runs of the same
//! build give byte-identical transcripts.

use std::collections::HashMap;

/// The placeholders of one scenario.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    /// (secret value, placeholder), longest values first when applied.
    known: Vec<(String, String)>,
    counters: HashMap<String, usize>,
}

/// Form and JSON field names whose values are random but not secret: replaced too, so that two
/// runs give byte-identical transcripts.
pub const VOLATILE_FIELDS: &[&str] = &[
    "code_challenge",
    "user_code",
    "state",
    "nonce",
    "jti",
    "mockidp_request",
    "csrfmiddlewaretoken",
];

/// Whether a field's value is replaced by a placeholder: a secret (`protocol::secrets`) or a
/// random value.
pub fn is_redacted_field(name: &str) -> bool {
    protocol::secrets::is_secret_name(name) || VOLATILE_FIELDS.contains(&name)
}

impl Redactor {
    /// Registers `value` as a secret of `kind`; returns its placeholder (stable for that value).
    pub fn register(&mut self, kind: &str, value: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        if let Some((_, p)) = self.known.iter().find(|(v, _)| v == value) {
            return p.clone();
        }
        let n = self.counters.entry(kind.to_string()).or_insert(0);
        *n += 1;
        let placeholder = if kind.starts_with('{') {
            kind.to_string()
        } else {
            format!("<{kind}#{n}>")
        };
        self.known.push((value.to_string(), placeholder.clone()));
        self.known.sort_by_key(|k| std::cmp::Reverse(k.0.len()));
        placeholder
    }

    /// Registers a fixed replacement (e.g. the target URL → `{target}`).
    pub fn fixed(&mut self, value: &str, placeholder: &str) {
        if !value.is_empty() && !self.known.iter().any(|(v, _)| v == value) {
            self.known
                .push((value.to_string(), placeholder.to_string()));
            self.known.sort_by_key(|k| std::cmp::Reverse(k.0.len()));
        }
    }

    /// `text` with every registered value replaced.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (value, placeholder) in &self.known {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), placeholder);
            }
            let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
            if encoded != *value && out.contains(encoded.as_str()) {
                out = out.replace(encoded.as_str(), placeholder);
            }
        }
        out
    }

    /// Registers the secret fields of a form or query string.
    pub fn register_form(&mut self, query: &str) {
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            if is_redacted_field(k.as_ref()) {
                self.register(&k, &v);
            }
        }
    }

    /// Registers the secret fields of a JSON document (any depth).
    pub fn register_json(&mut self, value: &serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        serde_json::Value::String(s) if is_redacted_field(k.as_str()) => {
                            self.register(k, s);
                        }
                        _ => self.register_json(v),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| self.register_json(v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_values_become_stable_placeholders() {
        let mut r = Redactor::default();
        r.fixed("http://127.0.0.1:4321", "{target}");
        r.register_json(
            &serde_json::json!({"access_token": "eyJabc.def.ghi", "token_type": "Bearer"}),
        );
        r.register_form("code=abc%2Bdef&state=s1&scope=openid");
        let out =
            r.apply("GET http://127.0.0.1:4321/cb?code=abc%2Bdef&state=s1 Bearer eyJabc.def.ghi");
        assert_eq!(
            out,
            "GET {target}/cb?code=<code#1>&state=<state#1> Bearer <access_token#1>"
        );
    }
}

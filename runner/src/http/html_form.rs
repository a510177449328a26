//! Just enough HTML form reading for the user agent: the forms of a page, their fields and their
//! submit buttons. Login and consent pages are simple; this does not try to be a browser.

use std::sync::LazyLock;

use regex::Regex;

/// A `<form>` with its action, method and fields.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub action: Option<String>,
    pub method: String,
    /// Non-button fields with their current values (hidden inputs included).
    pub fields: Vec<(String, String)>,
    /// Submit buttons: (name, value, label).
    pub buttons: Vec<(Option<String>, Option<String>, String)>,
}

static FORM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<form\b([^>]*)>(.*?)</form>").unwrap());
static INPUT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?is)<input\b([^>]*)>").unwrap());
static BUTTON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<button\b([^>]*)>(.*?)</button>").unwrap());
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)([a-z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#).unwrap()
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
static TITLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?is)<title>(.*?)</title>").unwrap());

fn attrs(s: &str) -> Vec<(String, String)> {
    ATTR.captures_iter(s)
        .map(|c| {
            let v = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map_or("", |m| m.as_str());
            (c[1].to_ascii_lowercase(), unescape(v))
        })
        .collect()
}

fn attr(list: &[(String, String)], name: &str) -> Option<String> {
    list.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// Undoes the few entities pages use in attribute values.
pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every form of a page.
pub fn forms(html: &str) -> Vec<Form> {
    FORM.captures_iter(html)
        .map(|c| {
            let fa = attrs(&c[1]);
            let body = &c[2];
            let mut form = Form {
                action: attr(&fa, "action"),
                method: attr(&fa, "method")
                    .unwrap_or_else(|| "get".into())
                    .to_ascii_lowercase(),
                ..Form::default()
            };
            for i in INPUT.captures_iter(body) {
                let a = attrs(&i[1]);
                let ty = attr(&a, "type")
                    .unwrap_or_else(|| "text".into())
                    .to_ascii_lowercase();
                let name = attr(&a, "name");
                let value = attr(&a, "value");
                if ty == "submit" {
                    let label = value.clone().unwrap_or_default();
                    form.buttons.push((name, value, label));
                } else if let Some(name) = name {
                    if matches!(ty.as_str(), "checkbox" | "radio")
                        && !a.iter().any(|(k, _)| k == "checked")
                    {
                        continue;
                    }
                    form.fields.push((name, value.unwrap_or_default()));
                }
            }
            for b in BUTTON.captures_iter(body) {
                let a = attrs(&b[1]);
                if attr(&a, "type").is_some_and(|t| !t.eq_ignore_ascii_case("submit")) {
                    continue;
                }
                let label = unescape(TAG.replace_all(&b[2], "").trim());
                form.buttons
                    .push((attr(&a, "name"), attr(&a, "value"), label));
            }
            form
        })
        .collect()
}

/// The page's `<title>`, for transcripts.
pub fn title(html: &str) -> Option<String> {
    TITLE.captures(html).map(|c| unescape(c[1].trim()))
}

impl Form {
    /// Whether a submit button's label or value matches `label` (case-insensitive).
    pub fn button(&self, label: &str) -> Option<&(Option<String>, Option<String>, String)> {
        self.buttons.iter().find(|(_, v, l)| {
            l.eq_ignore_ascii_case(label)
                || v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(label))
        })
    }

    /// Whether the form has a field of this name.
    pub fn has_field(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }

    /// Sets a field (adding it if absent).
    pub fn set(&mut self, name: &str, value: &str) {
        match self.fields.iter_mut().find(|(k, _)| k == name) {
            Some(f) => f.1 = value.to_string(),
            None => self.fields.push((name.to_string(), value.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_buttons() {
        let html = r#"<form method="post" action="/oauth/authorize"><input type="hidden" name="mockidp_request" value="r1">
<label>U</label><input id="username" name="username" value="">
<button type="submit" name="action" value="approve">Approve</button><button type="submit" name="action" value="deny">Deny</button></form>"#;
        let f = &forms(html)[0];
        assert_eq!(f.method, "post");
        assert_eq!(f.action.as_deref(), Some("/oauth/authorize"));
        assert_eq!(
            f.fields,
            vec![
                ("mockidp_request".into(), "r1".into()),
                ("username".into(), "".into())
            ]
        );
        assert_eq!(f.button("deny").unwrap().1.as_deref(), Some("deny"));
    }
}

//! The profile's script for the runner's user agent on the target's own pages: `login`,
//! `consent` and `device`, each a list of steps a user performs. What a step means on a page
//! (which form or link it fits, what is sent) is the `@as` role's business; this file only
//! reads and checks the script.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::check::outcome::skip;

/// One thing the user does on a page. Values may use `{username}` and `{password}` (and
/// `{user_code}` on the device pages).
///
/// A **form step** acts on the first form of the page that has everything it names:
/// - `fill: {field: value}` types into text fields (hidden fields and textareas count);
/// - `check: {name: value}` ticks the checkbox, or picks the radio, of that name whose value or
///   label is `value` (a checkbox or radio is only sent when checked);
/// - `select: {name: value}` picks the option of the select of that name whose value or text
///   is `value` (otherwise the option marked `selected` is sent, else the first);
/// - `submit: LABEL` presses the button whose label or value is `LABEL` (case aside), also a
///   button outside the form tied to it by `form="id"`, with its `formaction`/`formmethod`;
///   without `submit`, the form's first button, or the form as it is if it has none.
///
/// A **link step**, `follow: LABEL`, follows the link (`<a href>`) whose text or `title` is
/// `LABEL`: a GET of its URL, resolved against the page's. It takes no other key.
///
/// On each page the runner plays the first remaining answer step (`consent`, `device`) that
/// fits, else the first login step that fits (login is played when a page asks for it); a form
/// step wins over a link step, because some targets put the same link (`[ Cancel ]`) on every
/// page, the login page included.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UaStep {
    #[serde(default)]
    pub fill: BTreeMap<String, String>,
    #[serde(default)]
    pub check: BTreeMap<String, String>,
    #[serde(default)]
    pub select: BTreeMap<String, String>,
    #[serde(default)]
    pub submit: Option<String>,
    #[serde(default)]
    pub follow: Option<String>,
}

impl UaStep {
    /// How the step reads in a message: `{fill: [login, password], submit: "Sign-in"}`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let keys = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>().join(", ");
        let pairs = |m: &BTreeMap<String, String>| {
            m.iter()
                .map(|(k, v)| format!("{k}: {v:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.fill.is_empty() {
            parts.push(format!("fill: [{}]", keys(&self.fill)));
        }
        if !self.check.is_empty() {
            parts.push(format!("check: {{{}}}", pairs(&self.check)));
        }
        if !self.select.is_empty() {
            parts.push(format!("select: {{{}}}", pairs(&self.select)));
        }
        if let Some(s) = &self.submit {
            parts.push(format!("submit: {s:?}"));
        }
        if let Some(f) = &self.follow {
            parts.push(format!("follow: {f:?}"));
        }
        format!("{{{}}}", parts.join(", "))
    }

    fn validate(&self, key: &str) -> Result<(), (String, String)> {
        if self.follow.is_some()
            && (!self.fill.is_empty()
                || !self.check.is_empty()
                || !self.select.is_empty()
                || self.submit.is_some())
        {
            return Err((
                format!("{key}.follow"),
                "a follow step only follows a link; put fill, check, select and submit in a step of their own".into(),
            ));
        }
        if self.follow.as_deref().is_some_and(|f| f.trim().is_empty()) {
            return Err((
                format!("{key}.follow"),
                "name the link by its text or title, for example follow: \"Cancel\"".into(),
            ));
        }
        Ok(())
    }
}

/// Checks a list of steps; errors name the step (`consent.deny[0].follow`).
pub(crate) fn validate_steps(key: &str, steps: &[UaStep]) -> Result<(), (String, String)> {
    steps
        .iter()
        .enumerate()
        .try_for_each(|(i, s)| s.validate(&format!("{key}[{i}]")))
}

/// The user's answers on a page that asks for one (`consent`, `device`): the steps that approve
/// and the steps that deny, or `none` when the target shows no such page. An empty (or absent)
/// `deny` list, or `none`, skips the scenarios where the user denies, with the reason.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    pub approve: Vec<UaStep>,
    pub deny: Vec<UaStep>,
    /// The profile says `none`: the target shows no such page (for consent: signing in is
    /// approving).
    pub none: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerSteps {
    #[serde(default)]
    approve: Vec<UaStep>,
    #[serde(default)]
    deny: Vec<UaStep>,
}

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AnswersVisitor;
        impl<'de> Visitor<'de> for AnswersVisitor {
            type Value = Answers;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("none, or {approve: [steps], deny: [steps]}")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Answers, E> {
                if v == "none" {
                    Ok(Answers {
                        none: true,
                        ..Answers::default()
                    })
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Answers, A::Error> {
                let steps = AnswerSteps::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Answers {
                    approve: steps.approve,
                    deny: steps.deny,
                    none: false,
                })
            }
        }
        d.deserialize_any(AnswersVisitor)
    }
}

impl Answers {
    /// The steps that deny on the consent page. Skips the scenario when the profile gives none:
    /// `consent: none` (the target asks no consent) or no `consent.deny` steps.
    pub fn consent_denial(&self) -> Vec<UaStep> {
        if self.none {
            skip!(
                "the target asks no consent (the profile says consent: none), so there is no page where the user can deny"
            );
        }
        if self.deny.is_empty() {
            skip!(
                "the target profile does not say how a user denies on the consent page (consent.deny is empty)"
            );
        }
        self.deny.clone()
    }

    /// The steps that approve on the device verification page; skips the scenario without.
    pub fn device_approval(&self) -> Vec<UaStep> {
        self.device_steps(&self.approve, "device.approve")
    }

    /// The steps that deny on the device verification page; skips the scenario without.
    pub fn device_denial(&self) -> Vec<UaStep> {
        self.device_steps(&self.deny, "device.deny")
    }

    fn device_steps(&self, steps: &[UaStep], key: &str) -> Vec<UaStep> {
        if self.none {
            skip!(
                "the profile says the target has no device verification page the user agent can play (device: none)"
            );
        }
        if steps.is_empty() {
            skip!(
                "the target profile does not say how a user answers on the device page ({key} is empty)"
            );
        }
        steps.to_vec()
    }

    pub(crate) fn validate(&self, key: &str) -> Result<(), (String, String)> {
        validate_steps(&format!("{key}.approve"), &self.approve)?;
        validate_steps(&format!("{key}.deny"), &self.deny)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reason `f` skipped the scenario with.
    fn skip_reason(f: impl FnOnce() -> Vec<UaStep> + std::panic::UnwindSafe) -> String {
        let payload = std::panic::catch_unwind(f).expect_err("the scenario is skipped");
        let message = payload.downcast::<String>().expect("a skip message");
        message
            .strip_prefix(crate::check::outcome::SKIP)
            .expect("a skip, not a failure")
            .to_string()
    }

    fn answers(yaml: &str) -> Answers {
        yaml_serde::from_str(yaml).unwrap()
    }

    #[test]
    fn an_answer_the_profile_cannot_give_is_skipped_with_the_reason() {
        let none = answers("none");
        assert!(none.approve.is_empty());
        assert_eq!(
            skip_reason(|| none.consent_denial()),
            "the target asks no consent (the profile says consent: none), so there is no page where the user can deny"
        );
        assert!(skip_reason(|| none.device_approval()).ends_with("(device: none)"));
        let approve_only = answers("{approve: [{submit: Allow}]}");
        assert_eq!(
            skip_reason(|| approve_only.consent_denial()),
            "the target profile does not say how a user denies on the consent page (consent.deny is empty)"
        );
        assert_eq!(
            skip_reason(|| approve_only.device_denial()),
            "the target profile does not say how a user answers on the device page (device.deny is empty)"
        );
        assert_eq!(approve_only.device_approval().len(), 1);
        let both = answers("{approve: [{submit: Allow}], deny: [{follow: Cancel}]}");
        assert_eq!(both.consent_denial()[0].follow.as_deref(), Some("Cancel"));
        assert_eq!(both.device_denial()[0].follow.as_deref(), Some("Cancel"));
    }
}

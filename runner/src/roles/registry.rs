//! Checks routed by id. Each role's `checks.rs` ends with its table, `CHECKS`: one row per check
//! id naming the one [`Evaluator`] that judges it. An evaluator says which assertion text it
//! judges (a fixed sentence, or a pattern whose captures it reads), so a feature file whose
//! `check` step names an unknown id, or words an assertion its evaluator does not judge, fails a
//! unit test (`every_check_step_has_its_evaluator`) instead of a run.

use futures::future::BoxFuture;

use crate::check::outcome::Outcome;
use crate::world::AuthWorld;

/// Judges one assertion against the World.
pub(crate) type Judge = for<'a> fn(&'a mut AuthWorld, &'a str) -> BoxFuture<'a, Outcome>;

/// The assertion text an evaluator judges.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Text {
    /// Exactly this sentence.
    Exact(&'static str),
    /// Sentences matching this regex; the evaluator reads its captures.
    Pattern(&'static str),
}

impl Text {
    /// Whether `assertion` is a sentence this evaluator judges.
    pub(crate) fn fits(&self, assertion: &str) -> bool {
        match self {
            Text::Exact(t) => *t == assertion,
            Text::Pattern(p) => compiled(p).is_some_and(|r| r.is_match(assertion)),
        }
    }
}

/// The regex of a pattern evaluator, compiled once per run (a check step asks for it each time).
fn compiled(pattern: &'static str) -> Option<regex::Regex> {
    static CACHE: std::sync::LazyLock<
        std::sync::Mutex<std::collections::HashMap<&'static str, Option<regex::Regex>>>,
    > = std::sync::LazyLock::new(Default::default);
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    cache
        .entry(pattern)
        .or_insert_with(|| regex::Regex::new(pattern).ok())
        .clone()
}

/// One evaluator: the sentences it judges and the function that judges them.
pub(crate) struct Evaluator {
    pub text: Text,
    pub judge: Judge,
}

/// Whether the concrete check `id` is an instance of `template`, whose `<name>` parts (the
/// placeholders of a scenario outline) each stand for one or more of `[a-z0-9_-]`.
pub(crate) fn id_fits(template: &str, id: &str) -> bool {
    match template.find('<') {
        None => template == id,
        Some(open) => {
            let Some(close) = template[open..].find('>').map(|c| open + c) else {
                return template == id;
            };
            let (head, tail) = (&template[..open], &template[close + 1..]);
            let Some(rest) = id.strip_prefix(head) else {
                return false;
            };
            let word =
                |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
            let run = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
            (1..=run).any(|n| id_fits(tail, &rest[n..]))
        }
    }
}

/// A row of a role's table: a check id and its evaluator.
pub(crate) struct Check {
    pub id: &'static str,
    pub evaluator: &'static Evaluator,
}

impl Check {
    pub(crate) const fn new(id: &'static str, evaluator: &'static Evaluator) -> Self {
        Self { id, evaluator }
    }
}

/// An evaluator of one fixed sentence, from `async fn(&mut AuthWorld) -> Outcome`.
macro_rules! exact {
    ($text:literal, $f:path) => {
        $crate::roles::registry::Evaluator {
            text: $crate::roles::registry::Text::Exact($text),
            judge: {
                fn judge<'a>(
                    w: &'a mut $crate::world::AuthWorld,
                    _: &'a str,
                ) -> futures::future::BoxFuture<'a, $crate::check::outcome::Outcome> {
                    Box::pin($f(w))
                }
                judge
            },
        }
    };
}

/// An evaluator of the sentences matching a regex, from
/// `async fn(&mut AuthWorld, &str) -> Outcome` (it gets the sentence and reads the captures).
macro_rules! pattern {
    ($re:expr, $f:path) => {
        $crate::roles::registry::Evaluator {
            text: $crate::roles::registry::Text::Pattern($re),
            judge: {
                fn judge<'a>(
                    w: &'a mut $crate::world::AuthWorld,
                    assertion: &'a str,
                ) -> futures::future::BoxFuture<'a, $crate::check::outcome::Outcome> {
                    Box::pin($f(w, assertion))
                }
                judge
            },
        }
    };
}

pub(crate) use {exact, pattern};

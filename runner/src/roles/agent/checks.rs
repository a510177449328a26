//! What a check step can assert about a multi-user agent server under test: whose token reached
//! the protected API for whose call (the mock's `/api/me` answers with the token's user, and the
//! recording proxy keeps every request), what each caller was answered, and where the consent
//! prompts went. `None` means the assertion is not one of these.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use serde_json::Value;

use crate::arena::recording_proxy::Seen;
use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::agent::flow::{AgentCall, Presented};
use crate::roles::mcp_client::flow::CALLBACK_BOUND;
use crate::roles::registry::{Check, Evaluator, exact, pattern};
use crate::world::AuthWorld;

/// One request to the API, judged by the token it carried (whatever the API answered).
struct ApiRequest {
    index: usize,
    /// Whose token, or `None` for a request without a usable one.
    user: Option<String>,
    /// The stamp of the answer (see `McpClientFlow::stamp_api`).
    served: Option<String>,
}

fn api_requests(w: &AuthWorld) -> Vec<ApiRequest> {
    w.mcp_client_flow()
        .seen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.path().ends_with("/api/me"))
        .map(|(index, s)| ApiRequest {
            index,
            user: s
                .bearer()
                .and_then(protocol::jwt::unverified_sub)
                .or_else(|| api_user(s)),
            served: serde_json::from_str::<Value>(&s.response_body)
                .ok()
                .and_then(|d| d.get("served")?.as_str().map(String::from)),
        })
        .collect()
}

/// The user a successful API answer names (for a token that is not a JWT).
fn api_user(s: &Seen) -> Option<String> {
    if s.status != 200 {
        return None;
    }
    let doc: Value = serde_json::from_str(&s.response_body).ok()?;
    doc.get("username")?.as_str().map(String::from)
}

fn who(user: &Option<String>) -> String {
    match user {
        Some(u) => format!("{u}'s token"),
        None => "no token of anybody's".into(),
    }
}

/// The users whose tokens reached the API during `call`'s batch, in order.
fn api_users(w: &AuthWorld, call: &AgentCall) -> Vec<Option<String>> {
    let (from, to) = call.window;
    api_requests(w)
        .into_iter()
        .filter(|r| r.index >= from && r.index < to)
        .map(|r| r.user)
        .collect()
}

fn calls_of<'a>(w: &'a AuthWorld, person: &str) -> Vec<&'a AgentCall> {
    w.agent_flow()
        .calls
        .iter()
        .filter(|c| c.person == person)
        .collect()
}

fn made_calls(w: &AuthWorld) -> Result<(), Failure> {
    if w.agent_flow().calls.is_empty() {
        return fail("no call was made: the agent server under test was not run");
    }
    Ok(())
}

/// Connections that presented the person's own identity token.
fn genuine(w: &AuthWorld, call: &AgentCall) -> bool {
    w.agent_flow().kinds.get(&call.connection) == Some(&Presented::OwnToken)
}

fn said(call: &AgentCall) -> String {
    match &call.answer {
        None => "no answer".into(),
        Some(a) if a.get("ok").is_some() => format!("{}", a.get("result").unwrap_or(&Value::Null)),
        Some(a) => format!(
            "{}: {}",
            a.get("error").and_then(Value::as_str).unwrap_or("error"),
            a.get("message").and_then(Value::as_str).unwrap_or("")
        ),
    }
}

/// The point of a forged-identity case was reached: `victim` got a token of their own first.
fn victim_served(w: &AuthWorld, victim: &str) -> Result<(), Failure> {
    if calls_of(w, victim)
        .iter()
        .any(|c| c.result_user().as_deref() == Some(victim))
    {
        Ok(())
    } else {
        fail(format!(
            "{victim}'s own call was never answered with {victim}'s data, so there were no tokens of {victim}'s to protect"
        ))
    }
}

/// Every API request made while `person`'s calls ran carried `person`'s own token (or, with
/// `other`, never `other`'s).
fn person_tokens(w: &AuthWorld, person: &str, other: Option<&str>) -> Outcome {
    let calls = calls_of(w, person);
    if calls.is_empty() {
        return fail(format!("{person} made no call"));
    }
    let mut bad = Vec::new();
    let mut n = 0;
    for c in &calls {
        for u in api_users(w, c) {
            n += 1;
            let wrong = match other {
                Some(o) => u.as_deref() == Some(o),
                None => u.as_deref() != Some(person),
            };
            if wrong {
                bad.push(format!(
                    "while {person}'s call ran (connection {:?}, {}), the API was called with {}",
                    c.connection,
                    w.agent_flow()
                        .presented
                        .get(&c.connection)
                        .map(String::as_str)
                        .unwrap_or(""),
                    who(&u)
                ));
            }
        }
    }
    if bad.is_empty() {
        Ok(format!(
            "{n} API request(s) for {person}'s call(s), none with another person's token"
        ))
    } else {
        fail(bad.join("; "))
    }
}

/// `person` was answered with nobody else's data (`other`: not with that one's).
fn answered_not_other(w: &AuthWorld, person: &str, other: Option<&str>) -> Outcome {
    let calls = calls_of(w, person);
    if calls.is_empty() {
        return fail(format!("{person} made no call"));
    }
    for c in &calls {
        // An answer whose shape cannot be read is searched for the other person's name.
        if c.answer.as_ref().and_then(|a| a.get("ok")) == Some(&Value::Bool(true))
            && c.result_doc().is_none()
        {
            let text = said(c);
            let named = match other {
                Some(o) => text.contains(o).then(|| o.to_string()),
                None => None,
            };
            if let Some(o) = named {
                return fail(format!(
                    "{person} (connection {:?}) was answered with text naming {o}: {text}",
                    c.connection
                ));
            }
        }
        if let Some(u) = c.result_user() {
            let wrong = match other {
                Some(o) => u == o,
                None => u != person,
            };
            if wrong {
                return fail(format!(
                    "{person} (connection {:?}) was answered with {u}'s data: {}",
                    c.connection,
                    said(c)
                ));
            }
        }
    }
    Ok(calls
        .iter()
        .map(|c| format!("{person} was answered {}", said(c)))
        .collect::<Vec<_>>()
        .join("; "))
}

/// Per batch: the users whose tokens reached the API are the callers of that batch, each no
/// more often than they called (a batch of one: exactly the caller).
fn every_request_own(w: &AuthWorld) -> Outcome {
    made_calls(w)?;
    let mut batches: BTreeMap<usize, Vec<&AgentCall>> = BTreeMap::new();
    for c in &w.agent_flow().calls {
        batches.entry(c.batch).or_default().push(c);
    }
    let mut total = 0;
    let mut bad = Vec::new();
    for calls in batches.values() {
        let mut allowed: BTreeMap<&str, usize> = BTreeMap::new();
        for c in calls {
            *allowed.entry(c.person.as_str()).or_default() += 1;
        }
        let users = api_users(w, calls[0]);
        total += users.len();
        let mut used: BTreeMap<String, usize> = BTreeMap::new();
        for u in users.into_iter().flatten() {
            *used.entry(u).or_default() += 1;
        }
        for (u, n) in used {
            let may = allowed.get(u.as_str()).copied().unwrap_or(0);
            if n > may {
                let callers: Vec<&str> = allowed.keys().copied().collect();
                bad.push(if calls.len() == 1 {
                    format!("{}'s call reached the API with {u}'s token", calls[0].person)
                } else {
                    format!(
                        "{u}'s token reached the API {n} time(s) while {} of {} caller(s) were {u} ({})",
                        may,
                        calls.len(),
                        if callers.len() > 5 { "many callers".to_string() } else { callers.join(", ") }
                    )
                });
            }
        }
    }
    // The server has no business calling the API for anybody outside a call.
    let windows: Vec<(usize, usize)> = w.agent_flow().calls.iter().map(|c| c.window).collect();
    for r in api_requests(w) {
        if !windows.iter().any(|(f, t)| r.index >= *f && r.index < *t) {
            bad.push(format!(
                "the API was called with {} while no call was under way",
                who(&r.user)
            ));
        }
    }
    if total == 0 {
        return fail("no call reached the API at all");
    }
    if bad.is_empty() {
        Ok(format!(
            "{total} API request(s), each with the token of a caller it served"
        ))
    } else {
        bad.truncate(5);
        fail(bad.join("; "))
    }
}

fn every_call_answered(w: &AuthWorld, except: Option<&str>) -> Outcome {
    made_calls(w)?;
    let mut bad = Vec::new();
    let mut n = 0;
    let requests = api_requests(w);
    let judged = |c: &&AgentCall| genuine(w, c) && Some(c.person.as_str()) != except;
    for c in w.agent_flow().calls.iter().filter(judged) {
        n += 1;
        // The answer must be the API's own, for a request made with the caller's token during
        // the call (the proxy stamps every API answer), not text the server wrote itself.
        let from_api = c.served().and_then(|stamp| {
            requests
                .iter()
                .find(|r| r.served.as_deref() == Some(stamp.as_str()))
        });
        match from_api {
            None if c.result_user().is_some() => {
                bad.push(format!(
                    "{} (connection {:?}) was answered {}, which is no answer the API gave",
                    c.person,
                    c.connection,
                    said(c)
                ));
                continue;
            }
            Some(r)
                if r.user.as_deref() != Some(c.person.as_str())
                    || r.index < c.window.0
                    || r.index >= c.window.1 =>
            {
                bad.push(format!(
                    "{} (connection {:?}) was answered with what the API said to a request made with {}",
                    c.person,
                    c.connection,
                    who(&r.user)
                ));
                continue;
            }
            _ => {}
        }
        if c.result_user().as_deref() != Some(c.person.as_str()) {
            bad.push(format!(
                "{} (connection {:?}) was answered {}",
                c.person,
                c.connection,
                said(c)
            ));
        }
    }
    if n == 0 {
        return fail("no call came from a connection with its person's own identity");
    }
    if bad.is_empty() {
        Ok(format!(
            "{n} call(s), each answered with its caller's own data"
        ))
    } else {
        let more = bad.len().saturating_sub(5);
        bad.truncate(5);
        if more > 0 {
            bad.push(format!("and {more} more"));
        }
        fail(bad.join("; "))
    }
}

fn consent_once(w: &AuthWorld) -> Outcome {
    made_calls(w)?;
    let mut people: BTreeMap<&str, usize> = BTreeMap::new();
    for c in w.agent_flow().calls.iter().filter(|c| genuine(w, c)) {
        people.entry(c.person.as_str()).or_default();
    }
    for k in &w.agent_flow().consents {
        if let Some(n) = people.get_mut(k.person.as_str()) {
            *n += 1;
        }
    }
    let bad: Vec<String> = people
        .iter()
        .filter(|(_, n)| **n != 1)
        .map(|(p, n)| format!("{p} was asked {n} time(s)"))
        .collect();
    if bad.is_empty() {
        Ok(format!("{} user(s), one consent each", people.len()))
    } else {
        let more = bad.len().saturating_sub(5);
        let mut shown: Vec<String> = bad.into_iter().take(5).collect();
        if more > 0 {
            shown.push(format!("and {more} more"));
        }
        fail(shown.join("; "))
    }
}

fn consent_reached_caller(w: &AuthWorld) -> Outcome {
    made_calls(w)?;
    if w.agent_flow().consents.is_empty() {
        return fail("no consent prompt reached any connection");
    }
    let bad: Vec<String> = w
        .agent_flow()
        .consents
        .iter()
        .filter(|k| !k.call_waiting)
        .map(|k| {
            format!(
                "a consent prompt reached connection {:?} ({}), where no call was waiting",
                k.connection,
                if k.person.is_empty() {
                    "nobody's".to_string()
                } else {
                    format!("{}'s", k.person)
                }
            )
        })
        .collect();
    if bad.is_empty() {
        Ok(format!(
            "{} consent prompt(s), each on the connection whose call needed it",
            w.agent_flow().consents.len()
        ))
    } else {
        fail(bad.join("; "))
    }
}

const NO_FOREIGN_TOKEN_PATTERN: &str =
    r"^no API request made for (\w+)'s calls? carried (another person's|\w+'s) token$";
const NOT_ANSWERED_WITH_PATTERN: &str =
    r"^(\w+) was not answered with (another person's|\w+'s) data$";
static NO_FOREIGN_TOKEN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(NO_FOREIGN_TOKEN_PATTERN).expect("a valid regex"));
static NOT_ANSWERED_WITH_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(NOT_ANSWERED_WITH_PATTERN).expect("a valid regex"));

/// The person an assertion names (the pattern's first capture).
fn person_in(re: &Regex, assertion: &str) -> Result<String, Failure> {
    re.captures(assertion)
        .map(|m| m[1].to_string())
        .ok_or_else(|| Failure::Failed(format!("{assertion:?} names no person")))
}

/// The person and the other person (`None`: anyone else) an assertion names.
fn person_and_other(re: &Regex, assertion: &str) -> Result<(String, Option<String>), Failure> {
    let m = re
        .captures(assertion)
        .ok_or_else(|| Failure::Failed(format!("{assertion:?} names no person")))?;
    let other = m[2]
        .strip_suffix("'s")
        .filter(|o| *o != "another person")
        .map(str::to_string);
    Ok((m[1].to_string(), other))
}

/// `no API request made for <person>'s call(s) carried <other>'s token`
async fn no_foreign_token(w: &mut AuthWorld, assertion: &str) -> Outcome {
    let (person, other) = person_and_other(&NO_FOREIGN_TOKEN_RE, assertion)?;
    match other.as_deref() {
        Some(victim) => victim_served(w, victim),
        None => made_calls(w),
    }
    .and_then(|()| person_tokens(w, &person, other.as_deref()))
}

/// `<person> was not answered with <other>'s data`
async fn not_answered_with(w: &mut AuthWorld, assertion: &str) -> Outcome {
    let (person, other) = person_and_other(&NOT_ANSWERED_WITH_RE, assertion)?;
    match other.as_deref() {
        Some(victim) => victim_served(w, victim),
        None => made_calls(w),
    }
    .and_then(|()| answered_not_other(w, &person, other.as_deref()))
}

const ANSWERED_WITH_ERROR_PATTERN: &str = r"^(\w+)'s calls? (?:was|were) answered with an error$";
static ANSWERED_WITH_ERROR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(ANSWERED_WITH_ERROR_PATTERN).expect("a valid regex"));

/// `<person>'s call(s) was/were answered with an error`: each of the person's calls got an
/// answer, and none carried a result. A call never answered in the time allowed is hung.
async fn answered_with_error(w: &mut AuthWorld, assertion: &str) -> Outcome {
    let person = person_in(&ANSWERED_WITH_ERROR_RE, assertion)?;
    made_calls(w)?;
    let calls = calls_of(w, &person);
    if calls.is_empty() {
        return fail(format!("{person} made no call"));
    }
    for c in &calls {
        match &c.answer {
            None if w.agent_flow().given_up.contains(&c.connection) => {
                return fail(format!(
                    "{person}'s call (connection {:?}) was still waiting {} s after the tampered callback, with no word to {person} (given up)",
                    c.connection,
                    CALLBACK_BOUND.as_secs()
                ));
            }
            None => {
                return Err(Failure::Hung(format!(
                    "{person}'s call (connection {:?}) was never answered",
                    c.connection
                )));
            }
            Some(a) if a.get("error").is_none() => {
                return fail(format!(
                    "{person}'s call (connection {:?}) was answered {}",
                    c.connection,
                    said(c)
                ));
            }
            Some(_) => {}
        }
    }
    Ok(format!(
        "{} call(s) answered with an error: {}",
        calls.len(),
        said(calls[0])
    ))
}

pub(crate) const ANSWERED_WITH_ERROR: Evaluator =
    pattern!(ANSWERED_WITH_ERROR_PATTERN, answered_with_error);
pub(crate) const NO_FOREIGN_TOKEN: Evaluator = pattern!(NO_FOREIGN_TOKEN_PATTERN, no_foreign_token);
pub(crate) const NOT_ANSWERED_WITH: Evaluator =
    pattern!(NOT_ANSWERED_WITH_PATTERN, not_answered_with);

/// `each user was asked for consent exactly once`
async fn asked_consent_once(w: &mut AuthWorld) -> Outcome {
    consent_once(w)
}

/// `every call was answered with the API's answer for the person who made it`
async fn answers_are_callers(w: &mut AuthWorld) -> Outcome {
    every_call_answered(w, None)
}

const ANSWERS_ARE_CALLERS_EXCEPT_PATTERN: &str =
    r"^every call but (\w+)'s was answered with the API's answer for the person who made it$";
static ANSWERS_ARE_CALLERS_EXCEPT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(ANSWERS_ARE_CALLERS_EXCEPT_PATTERN).expect("a valid regex"));

/// `every call but <person>'s was answered with the API's answer for the person who made it`
async fn answers_are_callers_except(w: &mut AuthWorld, assertion: &str) -> Outcome {
    let person = person_in(&ANSWERS_ARE_CALLERS_EXCEPT_RE, assertion)?;
    every_call_answered(w, Some(&person))
}

pub(crate) const ANSWERS_ARE_CALLERS_EXCEPT: Evaluator = pattern!(
    ANSWERS_ARE_CALLERS_EXCEPT_PATTERN,
    answers_are_callers_except
);

/// `every API request carried the token of a person whose call it served`
async fn requests_carry_callers_token(w: &mut AuthWorld) -> Outcome {
    every_request_own(w)
}

/// `every consent prompt reached the connection whose call needed it`
async fn prompts_reach_caller(w: &mut AuthWorld) -> Outcome {
    consent_reached_caller(w)
}

pub(crate) const ASKED_CONSENT_ONCE: Evaluator = exact!(
    "each user was asked for consent exactly once",
    asked_consent_once
);
pub(crate) const ANSWERS_ARE_CALLERS: Evaluator = exact!(
    "every call was answered with the API's answer for the person who made it",
    answers_are_callers
);
pub(crate) const REQUESTS_CARRY_CALLERS_TOKEN: Evaluator = exact!(
    "every API request carried the token of a person whose call it served",
    requests_carry_callers_token
);
pub(crate) const PROMPTS_REACH_CALLER: Evaluator = exact!(
    "every consent prompt reached the connection whose call needed it",
    prompts_reach_caller
);

const NO_TOKEN_AFTER_TAMPER_PATTERN: &str =
    r"^no token was requested after (\w+)'s tampered callback$";
static NO_TOKEN_AFTER_TAMPER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(NO_TOKEN_AFTER_TAMPER_PATTERN).expect("a valid regex"));

/// `no token was requested after alice's tampered callback`: no token request reached the
/// authorization server from the first tampered callback to the end of that person's calls.
async fn no_token_after_tamper(w: &mut AuthWorld, assertion: &str) -> Outcome {
    let person = person_in(&NO_TOKEN_AFTER_TAMPER_RE, assertion)?;
    made_calls(w)?;
    let Some(first) = w.agent_flow().tampered.iter().find(|t| t.person == person) else {
        return Err(Failure::Skipped(format!(
            "no consent prompt reached {person}, so no tampered callback was delivered"
        )));
    };
    let to = calls_of(w, &person)
        .iter()
        .map(|c| c.window.1)
        .max()
        .unwrap_or(first.from);
    let seen = &w.mcp_client_flow().seen;
    match seen
        .get(first.from..to.max(first.from))
        .unwrap_or_default()
        .iter()
        .find(|s| s.is_token_request())
    {
        None => Ok(format!(
            "no token request after {person}'s tampered callback (connection {:?})",
            first.connection
        )),
        Some(s) => fail(format!(
            "after {person}'s tampered callback: POST {} ({}) -> {}",
            s.target,
            crate::roles::mcp_client::callback_checks::grant_type(s),
            s.status
        )),
    }
}

pub(crate) const NO_TOKEN_AFTER_TAMPER: Evaluator =
    pattern!(NO_TOKEN_AFTER_TAMPER_PATTERN, no_token_after_tamper);

/// Every `@agent` check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("agent.concurrency.own-token", &REQUESTS_CARRY_CALLERS_TOKEN),
    Check::new("agent.concurrency.answered", &ANSWERS_ARE_CALLERS),
    Check::new("agent.concurrency.consent-once", &ASKED_CONSENT_ONCE),
    Check::new("agent.concurrency.consent-routing", &PROMPTS_REACH_CALLER),
    Check::new("agent.consent.routing", &PROMPTS_REACH_CALLER),
    Check::new("agent.consent.denied.reported", &ANSWERED_WITH_ERROR),
    Check::new("agent.consent.denied.no-token", &NO_FOREIGN_TOKEN),
    Check::new("agent.consent.denied.no-data", &NOT_ANSWERED_WITH),
    Check::new(
        "agent.consent.denied.others-served",
        &ANSWERS_ARE_CALLERS_EXCEPT,
    ),
    Check::new("agent.callback.<id>.no-redemption", &NO_TOKEN_AFTER_TAMPER),
    Check::new("agent.callback.<id>.no-token", &NO_FOREIGN_TOKEN),
    Check::new("agent.callback.<id>.no-data", &NOT_ANSWERED_WITH),
    Check::new(
        "agent.callback.<id>.others-served",
        &ANSWERS_ARE_CALLERS_EXCEPT,
    ),
    Check::new("agent.callback.<id>.reported", &ANSWERED_WITH_ERROR),
    Check::new("agent.consent.own-token", &NO_FOREIGN_TOKEN),
    Check::new("agent.consent.answered", &ANSWERS_ARE_CALLERS),
    Check::new(
        "agent.consent.order.own-token",
        &REQUESTS_CARRY_CALLERS_TOKEN,
    ),
    Check::new("agent.consent.order.answered", &ANSWERS_ARE_CALLERS),
    Check::new("agent.identity.<id>.not-alices-token", &NO_FOREIGN_TOKEN),
    Check::new("agent.identity.<id>.not-alices-data", &NOT_ANSWERED_WITH),
    Check::new("agent.identity.<id>.alice-unharmed", &NO_FOREIGN_TOKEN),
    Check::new("agent.anonymous.bob.not-others-token", &NO_FOREIGN_TOKEN),
    Check::new("agent.anonymous.hatter.not-others-token", &NO_FOREIGN_TOKEN),
    Check::new("agent.anonymous.hatter.not-others-data", &NOT_ANSWERED_WITH),
    Check::new("agent.isolation.own-token", &REQUESTS_CARRY_CALLERS_TOKEN),
    Check::new("agent.isolation.answered", &ANSWERS_ARE_CALLERS),
    Check::new("agent.isolation.consent-once", &ASKED_CONSENT_ONCE),
];

//! Where the profile's user-agent steps meet a target's page: which step fits the page, what a
//! browser then sends (a form submission or a link's GET), and, when no step fits, an account
//! of the page (title, forms, buttons, links) to write one from. It sends nothing itself:
//! `AuthWorld::play` does, and decides where a flow may go.

use crate::http::html_form::{Button, Form, Kind, Page, same_label};
use crate::http::user_agent::Response;
use crate::target::UaStep;

/// What the browser does for a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// A form submission: POST `fields` to `url`, or GET `url` (the fields already in its query).
    Submit {
        post: bool,
        url: String,
        fields: Vec<(String, String)>,
    },
    /// A link: GET `url`.
    Follow { url: String },
}

impl Action {
    /// Where the browser goes.
    pub(crate) fn url(&self) -> &str {
        match self {
            Action::Submit { url, .. } | Action::Follow { url } => url,
        }
    }
}

/// The step that fits a page: which list it is in, its position there, and what it does.
#[derive(Debug)]
pub(crate) struct Fit {
    pub required: bool,
    pub index: usize,
    pub action: Action,
    /// How the transcript names the step (the button's label, `follow LABEL`).
    pub label: String,
}

/// The step to play on `page`: the first `required` step that fits, else the first `optional`
/// one, where a form step wins over a link step. Some targets put the same link (`[ Cancel ]`)
/// on every page, login included, while a form is the page's own task: so a deny step that
/// follows a link waits for the page where signing in no longer fits. `vars` are the `{name}`
/// substitutions of step values, applied in order.
pub(crate) fn fit(
    page: &Page,
    page_url: &str,
    required: &[UaStep],
    optional: &[UaStep],
    vars: &[(&str, &str)],
) -> Option<Fit> {
    let find = |steps: &[UaStep], is_required: bool, links: bool| {
        steps.iter().enumerate().find_map(|(index, step)| {
            if step.follow.is_some() != links {
                return None;
            }
            act(page, page_url, step, vars).map(|(action, label)| Fit {
                required: is_required,
                index,
                action,
                label,
            })
        })
    };
    find(required, true, false)
        .or_else(|| find(optional, false, false))
        .or_else(|| find(required, true, true))
        .or_else(|| find(optional, false, true))
}

/// `value` with every `{name}` of `vars` replaced.
fn expand(value: &str, vars: &[(&str, &str)]) -> String {
    vars.iter().fold(value.to_string(), |v, (name, val)| {
        v.replace(&format!("{{{name}}}"), val)
    })
}

/// What `step` does on `page`, if it fits: a link step needs its link; a form step needs a form
/// with every field it fills, every checkbox/radio it checks, every option it selects and the
/// button it presses.
fn act(
    page: &Page,
    page_url: &str,
    step: &UaStep,
    vars: &[(&str, &str)],
) -> Option<(Action, String)> {
    if let Some(label) = &step.follow {
        let link = page.links.iter().find(|l| {
            !l.href
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("javascript:")
                && (same_label(&l.text, label)
                    || l.title.as_deref().is_some_and(|t| same_label(t, label)))
        })?;
        return Some((
            Action::Follow {
                url: resolve(page_url, &link.href),
            },
            format!("follow {label}"),
        ));
    }
    let check: Vec<(&String, String)> = step
        .check
        .iter()
        .map(|(k, v)| (k, expand(v, vars)))
        .collect();
    let select: Vec<(&String, String)> = step
        .select
        .iter()
        .map(|(k, v)| (k, expand(v, vars)))
        .collect();
    page.forms.iter().find_map(|form| {
        let fits = step.fill.keys().all(|k| form.has_field(k))
            && check.iter().all(|(k, v)| form.can_check(k, v))
            && select.iter().all(|(k, v)| form.can_select(k, v));
        let button = match &step.submit {
            Some(label) => Some(form.button(label)?),
            None => form.buttons.first(),
        };
        if !fits {
            return None;
        }
        let mut form = form.clone();
        for (k, v) in &step.fill {
            form.set(k, &expand(v, vars));
        }
        for (k, v) in &check {
            form.check(k, v);
        }
        for (k, v) in &select {
            form.select(k, v);
        }
        let label = step.submit.clone().unwrap_or_else(|| "submit".into());
        Some((submission(&form, button, page_url), label))
    })
}

/// The request a browser makes for `form` submitted with `button` (HTML's form submission:
/// the button's `formaction`/`formmethod` win; a GET puts the fields in the action's query).
fn submission(form: &Form, button: Option<&Button>, page_url: &str) -> Action {
    let fields = form.submission(button);
    let action = button
        .and_then(|b| b.formaction.as_deref())
        .or(form.action.as_deref())
        .unwrap_or("");
    let url = resolve(page_url, action);
    let method = button
        .and_then(|b| b.formmethod.as_deref())
        .unwrap_or(&form.method);
    if method == "post" {
        return Action::Submit {
            post: true,
            url,
            fields,
        };
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter())
        .finish();
    let url = match url::Url::parse(&url) {
        Ok(mut u) => {
            u.set_fragment(None);
            u.set_query(Some(&query));
            u.to_string()
        }
        Err(_) => format!("{url}?{query}"),
    };
    Action::Submit {
        post: false,
        url,
        fields,
    }
}

/// `reference` resolved against `base`, as a browser resolves a link or a form's action (the
/// same as `flow::join`, which this module cannot import: flow plays what this module decides).
fn resolve(base: &str, reference: &str) -> String {
    url::Url::parse(base)
        .and_then(|b| b.join(reference))
        .map(|u| u.to_string())
        .unwrap_or_else(|_| reference.to_string())
}

/// The origin of a URL ("" if it is not one).
pub(crate) fn origin_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// The browser's navigation from `page` to `url` (a link or a GET form) as the redirect the
/// callback reader understands: a link to the client's redirect URI delivers the authorization
/// response like a redirect does. Never sent, never recorded: the client is not listening.
pub(crate) fn navigation(page: &Response, url: &str) -> Response {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Ok(v) = reqwest::header::HeaderValue::from_str(url) {
        headers.insert(reqwest::header::LOCATION, v);
    }
    Response {
        status: 303,
        headers,
        body: String::new(),
        url: page.url.clone(),
    }
}

/// Links listed in a "no step fits" account at most; navigation bars can be long.
const LINKS_SHOWN: usize = 20;
/// Hidden values up to this long are shown; longer ones are tokens, which change every run.
const HIDDEN_VALUE_SHOWN: usize = 16;

/// Why the user agent stopped: no step fits `page`. Lists what is on the page (its title, forms
/// with action, method, fields and buttons, and links) and the steps still to play, so that a
/// user can write the missing step.
pub(crate) fn no_step_fits(
    page: &Page,
    page_url: &str,
    required: &[UaStep],
    optional: &[UaStep],
) -> String {
    let mut out = format!(
        "no step of the profile fits the page {:?} ({page_url})",
        page.title.clone().unwrap_or_default()
    );
    if page.forms.is_empty() {
        out.push_str("\n  no forms");
    }
    for (i, f) in page.forms.iter().enumerate() {
        out.push_str(&format!("\n  {}", describe_form(i + 1, f)));
    }
    if page.links.is_empty() {
        out.push_str("\n  no links");
    } else {
        let shown: Vec<String> = page
            .links
            .iter()
            .take(LINKS_SHOWN)
            .map(|l| {
                let title = l
                    .title
                    .as_deref()
                    .map(|t| format!(" title {t:?}"))
                    .unwrap_or_default();
                format!("{:?}{title} -> {}", l.text, l.href)
            })
            .collect();
        let more = page.links.len().saturating_sub(LINKS_SHOWN);
        out.push_str(&format!(
            "\n  links: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let steps = |list: &[UaStep]| {
        list.iter()
            .map(UaStep::describe)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !required.is_empty() {
        out.push_str(&format!("\n  steps still to play: {}", steps(required)));
    }
    if !optional.is_empty() {
        out.push_str(&format!("\n  login steps not played: {}", steps(optional)));
    }
    out
}

fn describe_form(n: usize, f: &Form) -> String {
    let id =
        f.id.as_deref()
            .map(|i| format!(" #{i}"))
            .unwrap_or_default();
    let fields: Vec<String> = f.controls.iter().map(describe_control).collect();
    let buttons: Vec<String> = f
        .buttons
        .iter()
        .map(|b| {
            let mut s = format!("{:?}", b.label);
            if let Some(name) = &b.name {
                s.push_str(&format!(" ({name}={})", b.value.as_deref().unwrap_or("")));
            }
            if let Some(a) = &b.formaction {
                s.push_str(&format!(" formaction {a}"));
            }
            if let Some(m) = &b.formmethod {
                s.push_str(&format!(" formmethod {m}"));
            }
            s
        })
        .collect();
    format!(
        "form {n}{id}: {} {}; fields: {}; buttons: {}",
        f.method.to_ascii_uppercase(),
        f.action.as_deref().unwrap_or("(this page)"),
        if fields.is_empty() {
            "none".into()
        } else {
            fields.join(", ")
        },
        if buttons.is_empty() {
            "none".into()
        } else {
            buttons.join(", ")
        }
    )
}

fn describe_control(c: &crate::http::html_form::Control) -> String {
    let disabled = if c.disabled { ", disabled" } else { "" };
    match c.kind {
        Kind::Text => match c.input_type.as_str() {
            "password" => format!("{} (password{disabled})", c.name),
            "hidden" if c.value.chars().count() > HIDDEN_VALUE_SHOWN => format!(
                "{} (hidden, {} characters{disabled})",
                c.name,
                c.value.chars().count()
            ),
            ty if c.value.is_empty() => format!("{} ({ty}{disabled})", c.name),
            ty => format!("{}={:?} ({ty}{disabled})", c.name, c.value),
        },
        Kind::Checkbox | Kind::Radio => format!(
            "{}={:?} ({}{}{}{disabled})",
            c.name,
            c.value,
            c.input_type,
            c.label
                .as_deref()
                .map(|l| format!(" {l:?}"))
                .unwrap_or_default(),
            if c.checked { ", checked" } else { "" }
        ),
        Kind::Select => {
            let selected = c.selected_options();
            let options: Vec<String> = c
                .options
                .iter()
                .map(|o| {
                    let mark = if selected.iter().any(|s| std::ptr::eq(*s, o)) {
                        "*"
                    } else {
                        ""
                    };
                    if o.text == o.value {
                        format!("{:?}{mark}", o.value)
                    } else {
                        format!("{:?} {:?}{mark}", o.value, o.text)
                    }
                })
                .collect();
            format!(
                "{} (select{}: {}{disabled})",
                c.name,
                if c.multiple { " multiple" } else { "" },
                options.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::html_form::page;

    fn step(yaml: &str) -> UaStep {
        yaml_serde::from_str(yaml).unwrap()
    }

    const BASE: &str = "http://127.0.0.1:8790/interaction/u1";

    #[test]
    fn a_follow_step_gets_the_link_resolved_against_the_page() {
        let p = page(
            r#"<form action="/interaction/u1/confirm" method=post><button>Continue</button></form>
            <a href="/interaction/u1/abort">[ Cancel ]</a> <a href="javascript:void(0)" title="Back">Back</a>"#,
        );
        let f = fit(&p, BASE, &[step("follow: '[ cancel ]'")], &[], &[]).unwrap();
        assert_eq!(
            f.action,
            Action::Follow {
                url: "http://127.0.0.1:8790/interaction/u1/abort".into()
            }
        );
        assert_eq!(f.label, "follow [ cancel ]");
        assert!(fit(&p, BASE, &[step("follow: Back")], &[], &[]).is_none());
    }

    #[test]
    fn a_submit_step_presses_a_button_tied_by_the_form_attribute() {
        let p = page(
            r#"<form id="op.deviceConfirmForm" method="post" action="/device">
            <input type="hidden" name="xsrf" value="x1"/><input type="hidden" name="user_code" value="AB"/>
            <input type="hidden" name="confirm" value="yes"/></form>
            <button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
            <button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">[ Abort ]</button>"#,
        );
        let f = fit(&p, BASE, &[step("submit: '[ Abort ]'")], &[], &[]).unwrap();
        assert_eq!(
            f.action,
            Action::Submit {
                post: true,
                url: "http://127.0.0.1:8790/device".into(),
                fields: vec![
                    ("xsrf".into(), "x1".into()),
                    ("user_code".into(), "AB".into()),
                    ("confirm".into(), "yes".into()),
                    ("abort".into(), "yes".into()),
                ],
            }
        );
    }

    #[test]
    fn fill_check_and_select_with_substitutions() {
        let p = page(
            r#"<form method=get action="/pick?old=1#frag">
            <input name=login><input type=checkbox name=remember value=yes>
            <select name=account><option value=a1>Work</option><option value=alice>Alice</option></select>
            <button name=go value=1>Go</button></form>"#,
        );
        let s = step(
            "{fill: {login: '{username}'}, check: {remember: yes}, select: {account: '{username}'}, submit: Go}",
        );
        let f = fit(&p, BASE, &[s], &[], &[("username", "alice")]).unwrap();
        assert_eq!(
            f.action.url(),
            "http://127.0.0.1:8790/pick?login=alice&remember=yes&account=alice&go=1"
        );
    }

    #[test]
    fn a_step_fits_only_a_form_with_everything_it_names() {
        let p = page(
            r#"<form><input name=a><button>Go</button></form><form><input name=b><input type=radio name=r value=x><button>Go</button></form>"#,
        );
        assert!(fit(&p, BASE, &[step("{fill: {a: 1}, check: {r: x}}")], &[], &[]).is_none());
        assert!(fit(&p, BASE, &[step("{fill: {b: 1}, check: {r: x}}")], &[], &[]).is_some());
        assert!(
            fit(
                &p,
                BASE,
                &[step("{fill: {b: 1}, select: {r: x}}")],
                &[],
                &[]
            )
            .is_none()
        );
        assert!(fit(&p, BASE, &[step("{fill: {a: 1}, submit: Stop}")], &[], &[]).is_none());
    }

    #[test]
    fn a_required_step_comes_before_an_optional_one() {
        let p = page(r#"<form><input name=a><button>Go</button></form><a href=/x>X</a>"#);
        let f = fit(
            &p,
            BASE,
            &[step("submit: Go")],
            &[step("fill: {a: 1}")],
            &[],
        )
        .unwrap();
        assert!(f.required);
        let f = fit(&p, BASE, &[step("follow: X")], &[step("follow: X")], &[]).unwrap();
        assert!(f.required);
        let f = fit(
            &p,
            BASE,
            &[step("submit: Stop")],
            &[step("fill: {a: 1}")],
            &[],
        )
        .unwrap();
        assert!(!f.required);
    }

    #[test]
    fn a_link_on_every_page_waits_until_signing_in_no_longer_fits() {
        // oidc-provider's devInteractions: the login page has the consent page's [ Cancel ] too.
        let login = page(
            r#"<form method=post action=/interaction/u1/login><input type=hidden name=prompt value=login>
            <input name=login><input type=password name=password><button>Sign-in</button></form>
            <a href="/interaction/u1/abort">[ Cancel ]</a>"#,
        );
        let deny = [step("follow: '[ Cancel ]'")];
        let sign_in = [step(
            "{fill: {login: '{username}', password: '{password}'}, submit: Sign-in}",
        )];
        let f = fit(&login, BASE, &deny, &sign_in, &[]).unwrap();
        assert!(!f.required && matches!(f.action, Action::Submit { post: true, .. }));
        let f = fit(&login, BASE, &deny, &[], &[]).unwrap();
        assert!(f.required && matches!(f.action, Action::Follow { .. }));
    }

    #[test]
    fn a_link_to_the_client_reads_as_a_redirect_there() {
        let from = Response {
            status: 200,
            headers: Default::default(),
            body: String::new(),
            url: BASE.into(),
        };
        let to = "https://client.example/cb?error=access_denied&state=s1";
        let nav = navigation(&from, to);
        assert!(nav.is_redirect());
        assert_eq!(nav.location(), Some(to));
        assert_eq!(origin_of(to), "https://client.example");
        assert_eq!(origin_of(BASE), "http://127.0.0.1:8790");
        assert_eq!(origin_of("not a url"), "");
    }

    #[test]
    fn when_no_step_fits_the_page_is_described() {
        let p = page(
            r#"<title>Sign-in</title>
            <form autocomplete="off" action="/interaction/u1/confirm" method="post">
            <input type="hidden" name="prompt" value="consent"/><input type=hidden name=xsrf value="0123456789abcdef0123">
            <input name=login value=alice><input type=password name=password>
            <label><input type=checkbox name=remember checked> Remember me</label>
            <select name=lang><option value=en>English<option value=fr selected>French</select>
            <button autofocus type="submit" class="login login-submit">Continue</button>
            <button name=deny value=1>No</button></form>
            <a href="/interaction/u1/abort">[ Cancel ]</a>"#,
        );
        let msg = no_step_fits(
            &p,
            BASE,
            &[step("{submit: Deny}")],
            &[step("{fill: {login: u}, submit: Sign-in}")],
        );
        assert_eq!(
            msg,
            "no step of the profile fits the page \"Sign-in\" (http://127.0.0.1:8790/interaction/u1)\n  \
             form 1: POST /interaction/u1/confirm; fields: prompt=\"consent\" (hidden), xsrf (hidden, 20 characters), \
             login=\"alice\" (text), password (password), remember=\"on\" (checkbox \"Remember me\", checked), \
             lang (select: \"en\" \"English\", \"fr\" \"French\"*); buttons: \"Continue\", \"No\" (deny=1)\n  \
             links: \"[ Cancel ]\" -> /interaction/u1/abort\n  \
             steps still to play: {submit: \"Deny\"}\n  \
             login steps not played: {fill: [login], submit: \"Sign-in\"}"
        );
        assert_eq!(
            no_step_fits(&page("<p>hi</p>"), BASE, &[], &[]),
            "no step of the profile fits the page \"\" (http://127.0.0.1:8790/interaction/u1)\n  no forms\n  no links"
        );
    }
}

//! Just enough HTML reading for the user agent: a page's title, its links and its forms (text
//! fields, hidden fields, checkboxes, radios, selects, textareas and submit buttons, including
//! controls outside a form tied to it by `form="id"`), and the form data a browser would send.
//! Login, consent and device pages are simple; this does not try to be a browser: no scripts,
//! no styles, no `<base>`, no validation. It must not decide anything about a flow: which step
//! fits a page is the caller's business.

/// What the user agent can do on a page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub title: Option<String>,
    pub forms: Vec<Form>,
    /// `<a href>` links, in document order.
    pub links: Vec<Link>,
}

/// An `<a href>` with its text (tags removed, whitespace collapsed) and `title`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub text: String,
    pub title: Option<String>,
}

/// A `<form>` with its action, method, controls and submit buttons.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub id: Option<String>,
    pub action: Option<String>,
    /// `get` or `post` (lower case; anything else reads as `get`, as in a browser).
    pub method: String,
    /// Named controls in document order, disabled ones included (they are never submitted).
    pub controls: Vec<Control>,
    /// Submit buttons in document order.
    pub buttons: Vec<Button>,
}

/// What kind of control a [`Control`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An `<input>` holding text (`text`, `hidden`, `password`, `email`, …) or a `<textarea>`.
    Text,
    Checkbox,
    Radio,
    Select,
}

/// A named form control.
#[derive(Debug, Clone)]
pub struct Control {
    pub name: String,
    pub kind: Kind,
    /// The `type` attribute of an input (`text` by default), `textarea` or `select`.
    pub input_type: String,
    /// A text control's value; a checkbox's or radio's `value` (default `on`).
    pub value: String,
    /// Whether a checkbox or radio is checked.
    pub checked: bool,
    /// A checkbox's or radio's `<label>` text.
    pub label: Option<String>,
    /// A select's options.
    pub options: Vec<SelectOption>,
    /// A select that allows several options.
    pub multiple: bool,
    pub disabled: bool,
    id: Option<String>,
    order: usize,
}

/// An `<option>` of a `<select>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectOption {
    /// Its `value`, else its text.
    pub value: String,
    pub text: String,
    pub selected: bool,
    pub disabled: bool,
}

/// A submit button: `<button>` (type submit by default), `<input type=submit>` or
/// `<input type=image>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub name: Option<String>,
    pub value: Option<String>,
    /// The button's text (an input's `value`, an image's `alt`).
    pub label: String,
    /// `formaction` and `formmethod`, which override the form's.
    pub formaction: Option<String>,
    pub formmethod: Option<String>,
    pub image: bool,
    order: usize,
}

/// Reads a page.
pub fn page(html: &str) -> Page {
    Page {
        title: title(html),
        ..Parser::default().run(html)
    }
}

/// The page's `<title>`, for transcripts.
pub fn title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<title").map(|i| from + i) {
        let after = at + "<title".len();
        if lower[after..].starts_with(['>', ' ', '\t', '\n', '\r', '/']) {
            let open_end = lower[after..].find('>')? + after + 1;
            let close = lower[open_end..].find("</title")? + open_end;
            return Some(unescape(html[open_end..close].trim()));
        }
        from = after;
    }
    None
}

/// Undoes the character references pages use in text and attribute values: `&amp;`, `&lt;`,
/// `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and a few more by name, and `&#NN;` / `&#xHH;`.
/// Anything else is left as written.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let semicolon = rest.as_bytes()[1..]
            .iter()
            .take(11)
            .position(|&b| b == b';');
        let decoded = semicolon.and_then(|end| {
            let name = &rest[1..=end];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "copy" => Some('©'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "hellip" => Some('…'),
                "laquo" => Some('«'),
                "raquo" => Some('»'),
                "lsaquo" => Some('‹'),
                "rsaquo" => Some('›'),
                "middot" => Some('·'),
                "times" => Some('×'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((ch, end + 2))
        });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Collapses runs of whitespace (the non-breaking space included) to one space and trims.
pub fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `label` names `text` as a user reads it: the same words, case aside.
pub fn same_label(text: &str, label: &str) -> bool {
    normalize(text).to_lowercase() == normalize(label).to_lowercase()
}

impl Form {
    /// The submit button whose label or value is `label` (case-insensitive).
    pub fn button(&self, label: &str) -> Option<&Button> {
        self.buttons.iter().find(|b| {
            same_label(&b.label, label) || b.value.as_deref().is_some_and(|v| same_label(v, label))
        })
    }

    /// Whether the form has an enabled text field (hidden ones included) of this name.
    pub fn has_field(&self, name: &str) -> bool {
        self.text_field(name).is_some()
    }

    fn text_field(&self, name: &str) -> Option<usize> {
        self.controls
            .iter()
            .position(|c| c.kind == Kind::Text && !c.disabled && c.name == name)
    }

    /// Sets a text field's value (adding a text field if there is none of that name).
    pub fn set(&mut self, name: &str, value: &str) {
        match self.text_field(name) {
            Some(i) => self.controls[i].value = value.to_string(),
            None => {
                let order = self.controls.iter().map(|c| c.order + 1).max().unwrap_or(0);
                self.controls
                    .push(Control::text(name, "text", value, order));
            }
        }
    }

    /// The enabled checkbox or radio named `name` whose value or label is `which`.
    fn checkable(&self, name: &str, which: &str) -> Option<usize> {
        self.controls.iter().position(|c| {
            matches!(c.kind, Kind::Checkbox | Kind::Radio)
                && !c.disabled
                && c.name == name
                && (c.value == which || c.label.as_deref().is_some_and(|l| same_label(l, which)))
        })
    }

    /// Whether [`Form::check`] would find the control.
    pub fn can_check(&self, name: &str, which: &str) -> bool {
        self.checkable(name, which).is_some()
    }

    /// Ticks the checkbox, or picks the radio (unpicking the others of its name), named `name`
    /// whose value or label is `which`. False if there is none.
    pub fn check(&mut self, name: &str, which: &str) -> bool {
        let Some(i) = self.checkable(name, which) else {
            return false;
        };
        if self.controls[i].kind == Kind::Radio {
            for c in &mut self.controls {
                if c.kind == Kind::Radio && c.name == name {
                    c.checked = false;
                }
            }
        }
        self.controls[i].checked = true;
        true
    }

    fn selectable(&self, name: &str, which: &str) -> Option<(usize, usize)> {
        self.controls.iter().enumerate().find_map(|(i, c)| {
            if c.kind != Kind::Select || c.disabled || c.name != name {
                return None;
            }
            c.options
                .iter()
                .position(|o| !o.disabled && (o.value == which || same_label(&o.text, which)))
                .map(|o| (i, o))
        })
    }

    /// Whether [`Form::select`] would find the option.
    pub fn can_select(&self, name: &str, which: &str) -> bool {
        self.selectable(name, which).is_some()
    }

    /// Selects the option whose value or text is `which` in the select named `name` (in a
    /// single select, instead of the selected one; in a multiple select, besides them). False if
    /// there is none.
    pub fn select(&mut self, name: &str, which: &str) -> bool {
        let Some((i, o)) = self.selectable(name, which) else {
            return false;
        };
        let c = &mut self.controls[i];
        if !c.multiple {
            c.options.iter_mut().for_each(|o| o.selected = false);
        }
        c.options[o].selected = true;
        true
    }

    /// The form data a browser sends with `submitter` pressed (HTML's "constructing the entry
    /// list"): enabled named controls in document order (checkboxes and radios only when
    /// checked, a select's selected options), and the submitter's name and value where it
    /// stands.
    pub fn submission(&self, submitter: Option<&Button>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut pending = submitter.filter(|b| b.name.is_some());
        let push_submitter = |out: &mut Vec<(String, String)>, b: &Button| {
            let name = b.name.clone().unwrap_or_default();
            if b.image {
                out.push((format!("{name}.x"), "0".into()));
                out.push((format!("{name}.y"), "0".into()));
            } else {
                out.push((name, b.value.clone().unwrap_or_default()));
            }
        };
        for c in &self.controls {
            if let Some(b) = pending.filter(|b| b.order < c.order) {
                push_submitter(&mut out, b);
                pending = None;
            }
            if c.disabled {
                continue;
            }
            match c.kind {
                Kind::Text => out.push((c.name.clone(), c.value.clone())),
                Kind::Checkbox | Kind::Radio => {
                    if c.checked {
                        out.push((c.name.clone(), c.value.clone()));
                    }
                }
                Kind::Select => {
                    for o in c.selected_options() {
                        out.push((c.name.clone(), o.value.clone()));
                    }
                }
            }
        }
        if let Some(b) = pending {
            push_submitter(&mut out, b);
        }
        out
    }
}

impl Control {
    fn text(name: &str, input_type: &str, value: &str, order: usize) -> Self {
        Control {
            name: name.to_string(),
            kind: Kind::Text,
            input_type: input_type.to_string(),
            value: value.to_string(),
            checked: false,
            label: None,
            options: Vec::new(),
            multiple: false,
            disabled: false,
            id: None,
            order,
        }
    }

    /// The options a browser submits: the selected ones; in a single select with none
    /// selected, the first enabled option.
    pub fn selected_options(&self) -> Vec<&SelectOption> {
        let selected: Vec<&SelectOption> = self.options.iter().filter(|o| o.selected).collect();
        if self.multiple {
            return selected;
        }
        match selected.last() {
            Some(o) => vec![*o],
            None => self
                .options
                .iter()
                .find(|o| !o.disabled)
                .into_iter()
                .collect(),
        }
    }
}

/// A tag or a run of text.
#[derive(Debug)]
enum Token {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
    },
    End {
        name: String,
    },
    Text(String),
}

/// Splits HTML into tags and text. Attribute names and tag names come out lower case, values
/// unescaped (quoted with `"` or `'`, unquoted, or absent: a bare attribute has the value "");
/// comments, doctypes and the content of `<script>` and `<style>` are dropped; the content of
/// `<textarea>` and `<title>` is text even if it looks like tags.
fn tokens(html: &str) -> Vec<Token> {
    let lower = html.to_ascii_lowercase();
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    let flush = |out: &mut Vec<Token>, from: usize, to: usize| {
        if to > from {
            out.push(Token::Text(unescape(&html[from..to])));
        }
    };
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        if lower[i..].starts_with("<!--") {
            flush(&mut out, text_start, i);
            i = lower[i + 4..]
                .find("-->")
                .map_or(bytes.len(), |e| i + 4 + e + 3);
            text_start = i;
        } else if next == b'!' || next == b'?' {
            flush(&mut out, text_start, i);
            i = lower[i..].find('>').map_or(bytes.len(), |e| i + e + 1);
            text_start = i;
        } else if next == b'/' && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            flush(&mut out, text_start, i);
            let name_end = name_end(bytes, i + 2);
            out.push(Token::End {
                name: lower[i + 2..name_end].to_string(),
            });
            i = lower[name_end..]
                .find('>')
                .map_or(bytes.len(), |e| name_end + e + 1);
            text_start = i;
        } else if next.is_ascii_alphabetic() {
            flush(&mut out, text_start, i);
            let name_end = name_end(bytes, i + 1);
            let name = lower[i + 1..name_end].to_string();
            let (attrs, end) = attributes(html, name_end);
            i = end;
            text_start = i;
            let raw = matches!(name.as_str(), "script" | "style");
            let rcdata = matches!(name.as_str(), "textarea" | "title");
            out.push(Token::Start {
                name: name.clone(),
                attrs,
            });
            if raw || rcdata {
                let close = format!("</{name}");
                let stop = lower[i..].find(&close).map_or(bytes.len(), |e| i + e);
                if rcdata {
                    flush(&mut out, i, stop);
                }
                i = stop;
                text_start = i;
            }
        } else {
            i += 1;
        }
    }
    flush(&mut out, text_start, bytes.len());
    out
}

fn name_end(bytes: &[u8], from: usize) -> usize {
    let mut j = from;
    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' && bytes[j] != b'/'
    {
        j += 1;
    }
    j
}

/// The attributes of a start tag from `from` (just after its name) to its `>`, and the index
/// after that `>`. The first of two attributes with one name wins, as in a browser.
fn attributes(html: &str, from: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut j = from;
    loop {
        while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
            j += 1;
        }
        if j >= bytes.len() {
            return (attrs, j);
        }
        if bytes[j] == b'>' {
            return (attrs, j + 1);
        }
        let start = j;
        while j < bytes.len()
            && !bytes[j].is_ascii_whitespace()
            && !matches!(bytes[j], b'=' | b'>' | b'/')
        {
            j += 1;
        }
        if j == start {
            // A stray `=`: skip it.
            j += 1;
            continue;
        }
        let name = html[start..j].to_ascii_lowercase();
        let mut k = j;
        while k < bytes.len() && bytes[k].is_ascii_whitespace() {
            k += 1;
        }
        let mut value = String::new();
        if bytes.get(k) == Some(&b'=') {
            k += 1;
            while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                k += 1;
            }
            match bytes.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[k + 1..]
                        .find(q as char)
                        .map_or(bytes.len(), |e| k + 1 + e);
                    value = unescape(&html[k + 1..end]);
                    k = (end + 1).min(bytes.len());
                }
                _ => {
                    let vstart = k;
                    while k < bytes.len() && !bytes[k].is_ascii_whitespace() && bytes[k] != b'>' {
                        k += 1;
                    }
                    value = unescape(&html[vstart..k]);
                }
            }
            j = k;
        }
        if !attrs.iter().any(|(n, _)| *n == name) {
            attrs.push((name, value));
        }
    }
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn has(attrs: &[(String, String)], name: &str) -> bool {
    attrs.iter().any(|(k, _)| k == name)
}

/// Which form a control belongs to: the one it sits in, or the one its `form` attribute names
/// (which wins, and names no form if no form has that id).
#[derive(Debug, Clone)]
enum Owner {
    Inside(usize),
    Named(String),
    None,
}

#[derive(Debug)]
enum Item {
    Control(Control),
    Button(Button),
}

/// An `<option>` being read: its text comes until the next option or the end of its select.
struct OpenOption {
    option: SelectOption,
    has_value: bool,
    has_label: bool,
    text: String,
}

#[derive(Default)]
struct Parser {
    forms: Vec<Form>,
    links: Vec<Link>,
    items: Vec<(Owner, Item)>,
    open_form: Option<usize>,
    /// Depth of `<fieldset disabled>` around the current position.
    disabled_fieldsets: Vec<bool>,
    open_button: Option<(Owner, Button, String)>,
    open_select: Option<(Owner, Control)>,
    open_option: Option<OpenOption>,
    open_textarea: Option<(Owner, Control)>,
    open_link: Option<(Link, String)>,
    /// Open `<label>`s: their `for`, their text so far, the items they wrap.
    open_labels: Vec<(Option<String>, String, Vec<usize>)>,
    /// `<label for=id>` texts.
    labels_for: Vec<(String, String)>,
    order: usize,
}

impl Parser {
    fn run(mut self, html: &str) -> Page {
        for token in tokens(html) {
            match token {
                Token::Start { name, attrs } => self.start(&name, &attrs),
                Token::End { name } => self.end(&name),
                Token::Text(t) => self.text(&t),
            }
        }
        for open in ["textarea", "select", "button", "a"] {
            self.end(open);
        }
        self.finish()
    }

    fn next_order(&mut self) -> usize {
        self.order += 1;
        self.order
    }

    fn owner(&self, attrs: &[(String, String)]) -> Owner {
        match attr(attrs, "form") {
            Some(id) => Owner::Named(id.to_string()),
            None => self.open_form.map_or(Owner::None, Owner::Inside),
        }
    }

    fn disabled(&self, attrs: &[(String, String)]) -> bool {
        has(attrs, "disabled") || self.disabled_fieldsets.iter().any(|d| *d)
    }

    fn text(&mut self, t: &str) {
        if let Some((_, _, label)) = &mut self.open_button {
            label.push_str(t);
        }
        if let Some(o) = &mut self.open_option {
            o.text.push_str(t);
        }
        if let Some((_, c)) = &mut self.open_textarea {
            c.value.push_str(t);
        }
        if let Some((_, text)) = &mut self.open_link {
            text.push_str(t);
        }
        for (_, text, _) in &mut self.open_labels {
            text.push_str(t);
        }
    }

    fn push(&mut self, owner: Owner, item: Item) {
        for (_, _, wrapped) in &mut self.open_labels {
            wrapped.push(self.items.len());
        }
        self.items.push((owner, item));
    }

    fn start(&mut self, name: &str, attrs: &[(String, String)]) {
        match name {
            // A form inside a form is ignored, as in a browser.
            "form" if self.open_form.is_none() => {
                self.forms.push(Form {
                    id: attr(attrs, "id").map(str::to_string),
                    action: attr(attrs, "action").map(str::to_string),
                    method: method(attr(attrs, "method")),
                    ..Form::default()
                });
                self.open_form = Some(self.forms.len() - 1);
            }
            "fieldset" => self.disabled_fieldsets.push(has(attrs, "disabled")),
            "label" => self.open_labels.push((
                attr(attrs, "for").map(str::to_string),
                String::new(),
                Vec::new(),
            )),
            "a" => {
                self.end("a");
                if let Some(href) = attr(attrs, "href") {
                    self.open_link = Some((
                        Link {
                            href: href.to_string(),
                            text: String::new(),
                            title: attr(attrs, "title").map(str::to_string),
                        },
                        String::new(),
                    ));
                }
            }
            "input" => self.input(attrs),
            "button" => {
                self.end("button");
                let ty = attr(attrs, "type").unwrap_or("submit").to_ascii_lowercase();
                // Only submit buttons submit; an enabled one of another type is not a control.
                if ty == "submit" && !self.disabled(attrs) {
                    let order = self.next_order();
                    let owner = self.owner(attrs);
                    self.open_button =
                        Some((owner, button(attrs, String::new(), order), String::new()));
                }
            }
            "select" => {
                self.end("select");
                if let Some(n) = attr(attrs, "name") {
                    let mut c = Control::text(n, "select", "", self.next_order());
                    c.kind = Kind::Select;
                    c.multiple = has(attrs, "multiple");
                    c.disabled = self.disabled(attrs);
                    c.id = attr(attrs, "id").map(str::to_string);
                    self.open_select = Some((self.owner(attrs), c));
                }
            }
            "option" => {
                self.end("option");
                if self.open_select.is_some() {
                    let option = SelectOption {
                        value: attr(attrs, "value").unwrap_or_default().to_string(),
                        text: attr(attrs, "label").unwrap_or_default().to_string(),
                        selected: has(attrs, "selected"),
                        disabled: has(attrs, "disabled"),
                    };
                    self.open_option = Some(OpenOption {
                        option,
                        has_value: has(attrs, "value"),
                        has_label: has(attrs, "label"),
                        text: String::new(),
                    });
                }
            }
            "optgroup" => self.end("option"),
            "textarea" => {
                if let Some(n) = attr(attrs, "name") {
                    let mut c = Control::text(n, "textarea", "", self.next_order());
                    c.disabled = self.disabled(attrs);
                    c.id = attr(attrs, "id").map(str::to_string);
                    self.open_textarea = Some((self.owner(attrs), c));
                }
            }
            _ => {}
        }
    }

    fn input(&mut self, attrs: &[(String, String)]) {
        let ty = attr(attrs, "type").unwrap_or("text").to_ascii_lowercase();
        let order = self.next_order();
        let owner = self.owner(attrs);
        let disabled = self.disabled(attrs);
        match ty.as_str() {
            "submit" | "image" => {
                if disabled {
                    return;
                }
                let label = if ty == "image" {
                    attr(attrs, "alt").or(attr(attrs, "value")).unwrap_or("")
                } else {
                    attr(attrs, "value").unwrap_or("Submit")
                };
                let mut b = button(attrs, label.to_string(), order);
                b.image = ty == "image";
                self.push(owner, Item::Button(b));
            }
            // Not submitted (or, for a file, not something the user agent can choose).
            "button" | "reset" | "file" => {}
            _ => {
                let Some(name) = attr(attrs, "name") else {
                    return;
                };
                let mut c = Control::text(name, &ty, attr(attrs, "value").unwrap_or(""), order);
                c.disabled = disabled;
                c.id = attr(attrs, "id").map(str::to_string);
                if matches!(ty.as_str(), "checkbox" | "radio") {
                    c.kind = if ty == "checkbox" {
                        Kind::Checkbox
                    } else {
                        Kind::Radio
                    };
                    c.checked = has(attrs, "checked");
                    if !has(attrs, "value") {
                        c.value = "on".into();
                    }
                }
                self.push(owner, Item::Control(c));
            }
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "form" => self.open_form = None,
            "fieldset" => {
                self.disabled_fieldsets.pop();
            }
            "label" => {
                if let Some((target, text, wrapped)) = self.open_labels.pop() {
                    let text = normalize(&text);
                    match target {
                        Some(id) => self.labels_for.push((id, text)),
                        None => {
                            for i in wrapped {
                                if let (_, Item::Control(c)) = &mut self.items[i]
                                    && c.label.is_none()
                                {
                                    c.label = Some(text.clone());
                                }
                            }
                        }
                    }
                }
            }
            "a" => {
                if let Some((mut link, text)) = self.open_link.take() {
                    link.text = normalize(&text);
                    self.links.push(link);
                }
            }
            "button" => {
                if let Some((owner, mut b, label)) = self.open_button.take() {
                    b.label = normalize(&label);
                    self.push(owner, Item::Button(b));
                }
            }
            "option" => {
                if let Some(open) = self.open_option.take() {
                    let mut o = open.option;
                    if !open.has_label {
                        o.text = normalize(&open.text);
                    }
                    if !open.has_value {
                        o.value = normalize(&open.text);
                    }
                    if let Some((_, select)) = &mut self.open_select {
                        select.options.push(o);
                    }
                }
            }
            "select" => {
                self.end("option");
                if let Some((owner, c)) = self.open_select.take() {
                    self.push(owner, Item::Control(c));
                }
            }
            "textarea" => {
                if let Some((owner, mut c)) = self.open_textarea.take() {
                    // A browser drops one newline right after the start tag.
                    if let Some(v) = c.value.strip_prefix('\n') {
                        c.value = v.to_string();
                    }
                    self.push(owner, Item::Control(c));
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Page {
        for (id, text) in std::mem::take(&mut self.labels_for) {
            for (_, item) in &mut self.items {
                if let Item::Control(c) = item
                    && c.id.as_deref() == Some(id.as_str())
                    && c.label.is_none()
                {
                    c.label = Some(text.clone());
                }
            }
        }
        for (owner, item) in std::mem::take(&mut self.items) {
            let form = match owner {
                Owner::Inside(i) => Some(i),
                Owner::Named(id) => self
                    .forms
                    .iter()
                    .position(|f| f.id.as_deref() == Some(id.as_str())),
                Owner::None => None,
            };
            let Some(form) = form else { continue };
            let form = &mut self.forms[form];
            match item {
                Item::Control(c) => form.controls.push(c),
                Item::Button(b) => form.buttons.push(b),
            }
        }
        for f in &mut self.forms {
            f.controls.sort_by_key(|c| c.order);
            f.buttons.sort_by_key(|b| b.order);
        }
        Page {
            title: None,
            forms: self.forms,
            links: self.links,
        }
    }
}

fn method(m: Option<&str>) -> String {
    match m.map(str::to_ascii_lowercase).as_deref() {
        Some("post") => "post".into(),
        _ => "get".into(),
    }
}

fn button(attrs: &[(String, String)], label: String, order: usize) -> Button {
    Button {
        name: attr(attrs, "name").map(str::to_string),
        value: attr(attrs, "value").map(str::to_string),
        label,
        formaction: attr(attrs, "formaction").map(str::to_string),
        formmethod: attr(attrs, "formmethod")
            .filter(|m| !m.eq_ignore_ascii_case("dialog"))
            .map(|m| method(Some(m))),
        image: false,
        order,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(html: &str) -> Vec<Form> {
        page(html).forms
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_fields_and_buttons() {
        let html = r#"<form method="post" action="/oauth/authorize"><input type="hidden" name="mockidp_request" value="r1">
<label>U</label><input id="username" name="username" value="">
<button type="submit" name="action" value="approve">Approve</button><button type="submit" name="action" value="deny">Deny</button></form>"#;
        let f = &forms(html)[0];
        assert_eq!(f.method, "post");
        assert_eq!(f.action.as_deref(), Some("/oauth/authorize"));
        assert_eq!(
            f.submission(None),
            pairs(&[("mockidp_request", "r1"), ("username", "")])
        );
        let deny = f.button("deny").unwrap();
        assert_eq!(deny.value.as_deref(), Some("deny"));
        assert_eq!(
            f.submission(Some(deny)),
            pairs(&[
                ("mockidp_request", "r1"),
                ("username", ""),
                ("action", "deny")
            ])
        );
    }

    #[test]
    fn attribute_quotes_case_and_entities() {
        let html = "<FORM Method=POST ACTION='/a?x=1&amp;y=2'><INPUT TYPE=hidden NAME=csrf VALUE=t&amp;k>\
            <input name=\"q\" value='it&#39;s &quot;a&gt;b&quot;'><input name=u value=\"&#x41;&#66;&nbsp;\">\
            <Button Type=Submit>Go &amp; see</Button></FORM>";
        let f = &forms(html)[0];
        assert_eq!(f.method, "post");
        assert_eq!(f.action.as_deref(), Some("/a?x=1&y=2"));
        assert_eq!(
            f.submission(None),
            pairs(&[("csrf", "t&k"), ("q", "it's \"a>b\""), ("u", "AB\u{a0}")])
        );
        assert!(f.button("go & see").is_some());
    }

    #[test]
    fn a_closing_angle_inside_a_quoted_value_does_not_end_the_tag() {
        let f = &forms(r#"<form><input name="x" value="a>b" type="hidden"></form>"#)[0];
        assert_eq!(f.submission(None), pairs(&[("x", "a>b")]));
        assert_eq!(f.controls[0].input_type, "hidden");
    }

    #[test]
    fn unknown_entities_stay_as_written() {
        assert_eq!(unescape("a &bogus; b & c &#xZZ;"), "a &bogus; b & c &#xZZ;");
        assert_eq!(unescape("&lt;&amp;lt;"), "<&lt;");
    }

    #[test]
    fn comments_and_scripts_hide_their_forms() {
        let html = "<!-- <form action=/old><button>Old</button></form> -->\
            <script>document.write('<form action=/js><button>Js</button></form>')</script>\
            <form action=/real><button>Real</button></form>";
        let p = page(html);
        assert_eq!(p.forms.len(), 1);
        assert_eq!(p.forms[0].action.as_deref(), Some("/real"));
    }

    #[test]
    fn links_with_their_text_and_title() {
        let html = r#"<p><a href="/interaction/u1/abort">[ Cancel ]</a>
            <A HREF='/tos' title="Terms of service"><img src=x> Terms
            &amp; more</A><a name="anchor">not a link</a></p>"#;
        let p = page(html);
        assert_eq!(
            p.links,
            vec![
                Link {
                    href: "/interaction/u1/abort".into(),
                    text: "[ Cancel ]".into(),
                    title: None
                },
                Link {
                    href: "/tos".into(),
                    text: "Terms & more".into(),
                    title: Some("Terms of service".into())
                },
            ]
        );
    }

    #[test]
    fn checkboxes_and_radios_are_sent_only_when_checked() {
        let html = r#"<form method=post>
            <input type=checkbox name=remember checked>
            <input type=checkbox name=scope value=email>
            <input type="radio" name="account" value="a1" checked="checked">
            <input type="radio" name="account" value="a2">
            </form>"#;
        let f = &forms(html)[0];
        assert_eq!(
            f.submission(None),
            pairs(&[("remember", "on"), ("account", "a1")])
        );
    }

    #[test]
    fn a_step_checks_a_checkbox_or_picks_a_radio_by_value_or_label() {
        let html = r#"<form method=post>
            <label><input type=checkbox name=scope value=email> Share my email</label>
            <input type="radio" id=r1 name="account" value="a1" checked><label for=r1>Work</label>
            <input type="radio" id=r2 name="account" value="a2"><label for="r2">Personal</label>
            </form>"#;
        let mut f = forms(html)[0].clone();
        assert!(f.can_check("scope", "share my EMAIL"));
        assert!(!f.can_check("scope", "phone"));
        assert!(f.check("scope", "email"));
        assert!(f.check("account", "Personal"));
        assert_eq!(
            f.submission(None),
            pairs(&[("scope", "email"), ("account", "a2")])
        );
    }

    #[test]
    fn disabled_controls_are_not_sent_and_disabled_buttons_not_pressed() {
        let html = r#"<form method=post>
            <input name=a value=1 disabled>
            <input type=checkbox name=b checked disabled>
            <fieldset disabled><input name=c value=3></fieldset>
            <input name=d value=4>
            <button disabled>Off</button><button>On</button>
            </form>"#;
        let f = &forms(html)[0];
        assert_eq!(f.submission(None), pairs(&[("d", "4")]));
        assert!(!f.has_field("a"));
        assert!(f.button("Off").is_none());
        assert!(f.button("On").is_some());
    }

    #[test]
    fn buttons_and_inputs_outside_a_form_join_it_by_the_form_attribute() {
        // oidc-provider's default device confirmation page.
        let html = r#"<form id="op.deviceConfirmForm" method="post" action="/device">
              <input type="hidden" name="xsrf" value="x1"/>
              <input type="hidden" name="user_code" value="ABCD-EFGH"/>
              <input type="hidden" name="confirm" value="yes"/>
            </form>
            <button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
            <div><button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">[ Abort ]</button></div>
            <input name="note" form="op.deviceConfirmForm" value="n">
            <button type="submit" form="elsewhere">Nowhere</button>"#;
        let f = &forms(html)[0];
        assert_eq!(f.buttons.len(), 2);
        let abort = f.button("[ Abort ]").unwrap();
        assert_eq!(
            f.submission(Some(abort)),
            pairs(&[
                ("xsrf", "x1"),
                ("user_code", "ABCD-EFGH"),
                ("confirm", "yes"),
                ("abort", "yes"),
                ("note", "n"),
            ])
        );
        assert!(f.button("Nowhere").is_none());
    }

    #[test]
    fn the_form_attribute_wins_over_the_enclosing_form() {
        let html = r#"<form id=a action=/a><button form=b>To b</button></form><form id=b action=/b></form>"#;
        let p = page(html);
        assert!(p.forms[0].buttons.is_empty());
        assert_eq!(p.forms[1].buttons[0].label, "To b");
    }

    #[test]
    fn formaction_and_formmethod_are_read() {
        let html = r#"<form action=/a method=get><button formaction="/b" formmethod="POST" name=go value=1>Go</button></form>"#;
        let b = forms(html)[0].buttons[0].clone();
        assert_eq!(b.formaction.as_deref(), Some("/b"));
        assert_eq!(b.formmethod.as_deref(), Some("post"));
    }

    #[test]
    fn a_named_button_without_value_sends_an_empty_value_and_an_image_its_coordinates() {
        let html = r#"<form><input name=a value=1><button name=allow>Allow</button><input type=image name=pic alt=Picture></form>"#;
        let f = &forms(html)[0];
        assert_eq!(
            f.submission(f.button("Allow")),
            pairs(&[("a", "1"), ("allow", "")])
        );
        assert_eq!(
            f.submission(f.button("picture")),
            pairs(&[("a", "1"), ("pic.x", "0"), ("pic.y", "0")])
        );
    }

    #[test]
    fn input_submit_and_button_types() {
        let html = r#"<form><input type=submit value="Log in"><input type=submit name=x><input type=reset value=Reset name=r>
            <input type=button name=b value=B><button type=button>Script</button><button type=reset>Clear</button></form>"#;
        let f = &forms(html)[0];
        let labels: Vec<&str> = f.buttons.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["Log in", "Submit"]);
        assert!(f.submission(None).is_empty());
    }

    #[test]
    fn select_sends_the_selected_option_else_the_first() {
        let html = r#"<form>
            <select name=lang><option value=en>English<option value=fr selected>French</select>
            <select name=plain><option>One</option><option>Two</option></select>
            <select name=first><option disabled>Pick</option><option value=x>X</option></select>
            <select name=many multiple><option value=a selected>A<option value=b><option value=c selected>C</select>
            </form>"#;
        let f = &forms(html)[0];
        assert_eq!(
            f.submission(None),
            pairs(&[
                ("lang", "fr"),
                ("plain", "One"),
                ("first", "x"),
                ("many", "a"),
                ("many", "c")
            ])
        );
    }

    #[test]
    fn a_step_selects_an_option_by_value_or_text() {
        let html = r#"<form><select name=lang><option value=en selected>English</option><option value=fr>Fran&ccedil;ais</option><option value=de>  Deutsch </option></select></form>"#;
        let mut f = forms(html)[0].clone();
        assert!(f.can_select("lang", "de"));
        assert!(f.select("lang", "deutsch"));
        assert_eq!(f.submission(None), pairs(&[("lang", "de")]));
        assert!(f.select("lang", "fr"));
        assert_eq!(f.submission(None), pairs(&[("lang", "fr")]));
        assert!(!f.can_select("lang", "es"));
        assert!(!f.can_select("other", "en"));
    }

    #[test]
    fn textarea_is_a_field_whose_content_is_text() {
        let html = "<form><textarea name=why>\nNo <b>tags</b> &amp; here</textarea><input name=after value=1></form>";
        let mut f = forms(html)[0].clone();
        assert_eq!(
            f.submission(None),
            pairs(&[("why", "No <b>tags</b> & here"), ("after", "1")])
        );
        assert!(f.has_field("why"));
        f.set("why", "because");
        assert_eq!(
            f.submission(None)[0],
            ("why".to_string(), "because".to_string())
        );
    }

    #[test]
    fn the_title_is_read_as_text() {
        assert_eq!(
            title("<head><TITLE> Sign-in &amp; consent </TITLE></head>").as_deref(),
            Some("Sign-in & consent")
        );
        assert_eq!(title("<p>no title</p>"), None);
        assert_eq!(page("<title>T</title>").title.as_deref(), Some("T"));
    }

    #[test]
    fn a_form_inside_a_form_is_ignored() {
        let html = "<form action=/outer><input name=a><form action=/inner><input name=b></form><input name=c></form>";
        let p = page(html);
        assert_eq!(p.forms.len(), 1);
        let names: Vec<&str> = p.forms[0]
            .controls
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        // The inner </form> closes the outer form, as in a browser; c is outside any form.
        assert_eq!(names, ["a", "b"]);
    }
}

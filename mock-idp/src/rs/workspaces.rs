//! The workspace API: items (list, read, create, update, delete) and members (list, manage),
//! each operation needing a scope and a least workspace role (viewer < editor < admin). A caller
//! who is not a member of the workspace gets 404: the API does not confirm that it exists.

use axum::Json;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::token::{self, Principal, Refusal, Role};
use crate::bearer;
use crate::faults::Fault;
use crate::journal::Decision;
use crate::request_id::{RequestId, RequestTarget};
use crate::state::AppState;
use crate::store::resource_server::Workspace;

const ENDPOINT: &str = "workspace_api";

/// An operation of the workspace API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    ListItems,
    ReadItem,
    CreateItem,
    UpdateItem,
    DeleteItem,
    ListMembers,
    ManageMembers,
}

enum ScopeKind {
    Read,
    Write,
    Admin,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::ListItems => "list_items",
            Op::ReadItem => "read_item",
            Op::CreateItem => "create_item",
            Op::UpdateItem => "update_item",
            Op::DeleteItem => "delete_item",
            Op::ListMembers => "list_members",
            Op::ManageMembers => "manage_members",
        }
    }

    fn scope_kind(self) -> ScopeKind {
        match self {
            Op::ListItems | Op::ReadItem | Op::ListMembers => ScopeKind::Read,
            Op::CreateItem | Op::UpdateItem | Op::DeleteItem => ScopeKind::Write,
            Op::ManageMembers => ScopeKind::Admin,
        }
    }

    fn least_role(self, s: &AppState) -> Role {
        match self.scope_kind() {
            ScopeKind::Read => Role::Viewer,
            // Fault rs-viewer-can-write.
            ScopeKind::Write if s.fault(Fault::RsViewerCanWrite) => Role::Viewer,
            ScopeKind::Write => Role::Editor,
            // Fault rs-editor-is-admin.
            ScopeKind::Admin if s.fault(Fault::RsEditorIsAdmin) => Role::Editor,
            ScopeKind::Admin => Role::Admin,
        }
    }
}

/// The request parts every handler needs to authorize.
struct Call<'a> {
    s: &'a AppState,
    rid: RequestId,
    headers: &'a HeaderMap,
    query: Option<&'a str>,
    target: &'a RequestTarget,
}

fn refuse(call: &Call<'_>, refusal: Refusal) -> Response {
    match refusal {
        Refusal::Denied(d, code, reason) => {
            call.s
                .record(Some(call.rid.0), Decision::refused(ENDPOINT, code, reason));
            bearer::challenge(&realm(call.s), &error_attribute_fault(call.s, d))
        }
        Refusal::Crash(reason) => {
            call.s.record(
                Some(call.rid.0),
                Decision::refused(ENDPOINT, "crashed", reason),
            );
            (StatusCode::INTERNAL_SERVER_ERROR, "internal server error").into_response()
        }
    }
}

/// Fault rs-error-without-credentials: the bare challenge gains an error attribute.
fn error_attribute_fault(s: &AppState, d: bearer::Denied) -> bearer::Denied {
    match d {
        bearer::Denied::NoToken if s.fault(Fault::RsErrorWithoutCredentials) => {
            bearer::Denied::InvalidToken("no token".into())
        }
        d => d,
    }
}

fn realm(s: &AppState) -> String {
    s.config
        .resource_server
        .audience
        .clone()
        .unwrap_or_else(|| s.default_audience())
}

fn json_error(status: StatusCode, error: &str, description: String) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// Authenticates and authorizes `op` on workspace `ws`; the principal, or the answer to send.
fn authorize(call: &Call<'_>, ws: &str, op: Op) -> Result<Principal, Box<Response>> {
    let s = call.s;
    let p = token::authenticate(s, call.headers, call.query, call.target)
        .map_err(|r| Box::new(refuse(call, r)))?;
    let scopes = &s.config.resource_server.scopes;
    let scope = match op.scope_kind() {
        ScopeKind::Read => &scopes.read,
        ScopeKind::Write => &scopes.write,
        ScopeKind::Admin => &scopes.admin,
    };
    // Fault rs-skip-scope-check.
    if !p.has_scope(scope) && !s.fault(Fault::RsSkipScopeCheck) {
        let reason = format!("{} needs scope {scope}", op.name());
        s.record(
            Some(call.rid.0),
            Decision::refused(ENDPOINT, "insufficient_scope", reason).user(&p.sub),
        );
        return Err(Box::new(bearer::challenge(
            &realm(s),
            &bearer::Denied::InsufficientScope(scope.clone()),
        )));
    }
    let exists =
        s.rs.workspaces
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(ws);
    let role = if p.unrestricted {
        Some(Role::Admin)
    } else if s.fault(Fault::RsCrossWorkspace) {
        // Fault rs-cross-workspace: the caller's best role anywhere.
        p.roles.values().max().copied()
    } else {
        p.roles.get(ws).copied()
    };
    let Some(role) = role.filter(|_| exists) else {
        s.record(
            Some(call.rid.0),
            Decision::refused(
                ENDPOINT,
                "not_a_member",
                format!(
                    "{} has no role in workspace {ws:?} (or it does not exist)",
                    p.sub
                ),
            )
            .user(&p.sub),
        );
        return Err(Box::new(json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no workspace {ws:?} for this caller"),
        )));
    };
    let least = op.least_role(s);
    if role < least {
        let reason = format!(
            "{} is {} in {ws}; {} needs {}",
            p.sub,
            role.as_str(),
            op.name(),
            least.as_str()
        );
        s.record(
            Some(call.rid.0),
            Decision::refused(ENDPOINT, "role_too_low", reason.clone()).user(&p.sub),
        );
        return Err(Box::new(json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            reason,
        )));
    }
    s.record(
        Some(call.rid.0),
        Decision::accepted(
            ENDPOINT,
            "authorized",
            format!("{} as {} in {ws}: {}", p.sub, role.as_str(), op.name()),
        )
        .user(&p.sub)
        .maybe_client(p.client_id.as_deref()),
    );
    Ok(p)
}

/// Runs `f` on the workspace after authorization.
fn with_workspace<T>(s: &AppState, ws: &str, f: impl FnOnce(&mut Workspace) -> T) -> T {
    let mut all = s.rs.workspaces.lock().unwrap_or_else(|e| e.into_inner());
    f(all.entry(ws.to_string()).or_default())
}

fn item_json(ws: &str, id: &str, title: &str) -> Value {
    json!({"workspace": ws, "id": id, "title": title})
}

fn no_item(ws: &str, id: &str) -> Response {
    json_error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no item {id:?} in workspace {ws}"),
    )
}

/// The `title` of a JSON body, or a 400 naming what is wrong.
fn title_of(body: &[u8]) -> Result<String, Box<Response>> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        Box::new(json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("the body is not JSON ({e}); send {{\"title\": \"...\"}}"),
        ))
    })?;
    v.get("title")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .map(str::to_string)
        .ok_or_else(|| {
            Box::new(json_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the body needs a title: a string of 1 to 200 characters".into(),
            ))
        })
}

macro_rules! call {
    ($s:ident, $rid:ident, $headers:ident, $query:ident, $target:ident) => {
        Call {
            s: &$s,
            rid: $rid,
            headers: &$headers,
            query: $query.as_deref(),
            target: &$target,
        }
    };
}

/// `GET /api/workspaces`: the workspaces the caller has a role in.
pub async fn list_workspaces(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Extension(target): Extension<RequestTarget>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let call = call!(s, rid, headers, query, target);
    let p = match token::authenticate(&s, &headers, call.query, call.target) {
        Ok(p) => p,
        Err(r) => return refuse(&call, r),
    };
    let scope = &s.config.resource_server.scopes.read;
    // Fault rs-skip-scope-check.
    if !p.has_scope(scope) && !s.fault(Fault::RsSkipScopeCheck) {
        s.record(
            Some(rid.0),
            Decision::refused(
                ENDPOINT,
                "insufficient_scope",
                format!("list_workspaces needs scope {scope}"),
            )
            .user(&p.sub),
        );
        return bearer::challenge(
            &realm(&s),
            &bearer::Denied::InsufficientScope(scope.clone()),
        );
    }
    let all = s.rs.workspaces.lock().unwrap_or_else(|e| e.into_inner());
    let list: Vec<Value> = all
        .keys()
        .filter_map(|ws| {
            let role = if p.unrestricted {
                Some(Role::Admin)
            } else {
                p.roles.get(ws).copied()
            };
            role.map(|r| json!({"id": ws, "role": r}))
        })
        .collect();
    Json(json!({ "workspaces": list })).into_response()
}

pub async fn list_items(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Extension(target): Extension<RequestTarget>,
    Path(ws): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&call!(s, rid, headers, query, target), &ws, Op::ListItems) {
        return *r;
    }
    let items: Vec<Value> = with_workspace(&s, &ws, |w| {
        w.items
            .iter()
            .map(|(id, t)| item_json(&ws, id, t))
            .collect()
    });
    Json(json!({"workspace": ws, "items": items})).into_response()
}

pub async fn read_item(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Extension(target): Extension<RequestTarget>,
    Path((ws, item)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&call!(s, rid, headers, query, target), &ws, Op::ReadItem) {
        return *r;
    }
    match with_workspace(&s, &ws, |w| w.items.get(&item).cloned()) {
        Some(title) => Json(item_json(&ws, &item, &title)).into_response(),
        None => no_item(&ws, &item),
    }
}

pub async fn create_item(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Extension(target): Extension<RequestTarget>,
    Path(ws): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(r) = authorize(&call!(s, rid, headers, query, target), &ws, Op::CreateItem) {
        return *r;
    }
    let title = match title_of(&body) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let id = s.rs.next_item_id();
    with_workspace(&s, &ws, |w| w.items.insert(id.clone(), title.clone()));
    (StatusCode::CREATED, Json(item_json(&ws, &id, &title))).into_response()
}

pub async fn update_item(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Extension(target): Extension<RequestTarget>,
    Path((ws, item)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(r) = authorize(&call!(s, rid, headers, query, target), &ws, Op::UpdateItem) {
        return *r;
    }
    let title = match title_of(&body) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    let updated = with_workspace(&s, &ws, |w| match w.items.get_mut(&item) {
        Some(t) => {
            *t = title.clone();
            true
        }
        None => false,
    });
    if updated {
        Json(item_json(&ws, &item, &title)).into_response()
    } else {
        no_item(&ws, &item)
    }
}

pub async fn delete_item(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Extension(target): Extension<RequestTarget>,
    Path((ws, item)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&call!(s, rid, headers, query, target), &ws, Op::DeleteItem) {
        return *r;
    }
    match with_workspace(&s, &ws, |w| w.items.remove(&item)) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => no_item(&ws, &item),
    }
}

pub async fn list_members(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Extension(target): Extension<RequestTarget>,
    Path(ws): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&call!(s, rid, headers, query, target), &ws, Op::ListMembers) {
        return *r;
    }
    let members: Vec<Value> = with_workspace(&s, &ws, |w| {
        w.members
            .iter()
            .map(|(u, r)| json!({"username": u, "role": r}))
            .collect()
    });
    Json(json!({"workspace": ws, "members": members})).into_response()
}

pub async fn manage_member(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    Extension(target): Extension<RequestTarget>,
    Path((ws, user)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(r) = authorize(
        &call!(s, rid, headers, query, target),
        &ws,
        Op::ManageMembers,
    ) {
        return *r;
    }
    let role = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("role").and_then(Value::as_str).and_then(Role::parse));
    let Some(role) = role else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send {\"role\": \"viewer\" | \"editor\" | \"admin\"}".into(),
        );
    };
    with_workspace(&s, &ws, |w| w.members.insert(user.clone(), role));
    Json(json!({"workspace": ws, "username": user, "role": role})).into_response()
}

//! The `@as` checks: what an authorization server's answers must be. Each evaluator reads the
//! World (the last response, the flow, the metadata) and passes with a short account of what it
//! saw, or fails saying what it expected and what it got. Secrets in messages are redacted by the
//! caller. The table at the end routes each check id to its evaluator.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::answer::{describe, last};
use crate::roles::authorization_server::delivery::Mode;
use crate::roles::authorization_server::flow::well_known_urls;
use crate::roles::registry::{Check, Evaluator, exact, pattern};
use crate::world::AuthWorld;

const TOKEN_ERROR_PATTERN: &str =
    r#"^the (?:token|registration|revocation|introspection) endpoint answers (\d{3}) "([a-z_]+)"$"#;
const CALLBACK_ERROR_PATTERN: &str =
    r#"^the client receives the error "([a-z_]+)"(?: or "([a-z_]+)")?$"#;
static TOKEN_ERROR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(TOKEN_ERROR_PATTERN).expect("token error regex"));
static CALLBACK_ERROR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(CALLBACK_ERROR_PATTERN).expect("callback error regex"));

fn describe_callback(p: &std::collections::BTreeMap<String, String>) -> String {
    match p.get("error") {
        Some(e) => format!("error={e}"),
        None => format!("parameters {:?}", p.keys().collect::<Vec<_>>()),
    }
}

/// `the <endpoint> endpoint answers NNN "<error>"`
async fn endpoint_error(w: &mut AuthWorld, assertion: &str) -> Outcome {
    let (status, error) = match TOKEN_ERROR_RE.captures(assertion) {
        Some(c) => (c[1].parse::<u16>().unwrap_or(0), c[2].to_string()),
        None => return fail(format!("{assertion:?} names no status and error")),
    };
    let r = last(w)?;
    let got = r.error_code();
    if r.status == status && got.as_deref() == Some(error.as_str()) {
        Ok(format!("HTTP {status} error {error}"))
    } else {
        fail(format!(
            "expected HTTP {status} with error {error:?}, got {}",
            describe(r)
        ))
    }
}

/// `the client receives the error "<e>"( or "<e2>")`
async fn callback_error(w: &mut AuthWorld, assertion: &str) -> Outcome {
    let allowed: Vec<String> = CALLBACK_ERROR_RE
        .captures(assertion)
        .map(|c| {
            [c.get(1), c.get(2)]
                .into_iter()
                .flatten()
                .map(|m| m.as_str().to_string())
                .collect()
        })
        .unwrap_or_default();
    let want = allowed.join(" or ");
    match &w.as_flow().flow.callback {
        Some(p)
            if p.get("error").is_some_and(|e| allowed.contains(e)) && !p.contains_key("code") =>
        {
            Ok(format!("the client got error={}", p["error"]))
        }
        Some(p) => fail(format!(
            "expected error={want} at the client, got {}",
            describe_callback(p)
        )),
        None => fail(format!(
            "expected a redirect to the client with error={want}, got {}",
            describe(last(w)?)
        )),
    }
}

/// `the introspection endpoint refuses the caller and reveals nothing of the token` (RFC 7662
/// §2.1): a 4xx, and no member of an introspection answer in it.
async fn introspection_refused(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let revealed: Vec<&str> = ["active", "sub", "scope", "client_id", "exp", "username"]
        .into_iter()
        .filter(|m| r.json().is_some_and(|j| j.get(*m).is_some()))
        .collect();
    if !(400..500).contains(&r.status) {
        return fail(format!(
            "the endpoint answered a caller without credentials: {}",
            describe(r)
        ));
    }
    if !revealed.is_empty() {
        return fail(format!(
            "the refusal carries introspection members {revealed:?}: {}",
            describe(r)
        ));
    }
    Ok(format!("refused with {}", describe(r)))
}

pub(crate) const INTROSPECTION_REFUSED: Evaluator = exact!(
    "the introspection endpoint refuses the caller and reveals nothing of the token",
    introspection_refused
);

/// `the server does not redirect to the client`: no navigation the server sent the browser on
/// (a 3xx, a form_post page, a meta refresh; query, fragment or form) went anywhere but the
/// exact registered redirect URI.
async fn no_redirect_to_client(w: &mut AuthWorld) -> Outcome {
    let registered = w.redirect_uri();
    let flow = &w.as_flow().flow;
    if let Some(d) = flow.deliveries.iter().find(|d| !d.goes_to(&registered)) {
        return fail(format!(
            "the browser was sent to {}, not to the registered redirect URI {registered}",
            d.describe()
        ));
    }
    let r = last(w)?;
    Ok(format!(
        "the flow stopped at HTTP {} without sending the browser off the target",
        r.status
    ))
}

/// `the user sees an error page`
async fn shows_error_page(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    if (400..500).contains(&r.status) && !r.is_redirect() {
        Ok(format!("HTTP {} error page", r.status))
    } else {
        fail(format!("expected a 4xx error page, got {}", describe(r)))
    }
}

/// `the client receives a code`
async fn callback_has_code(w: &mut AuthWorld) -> Outcome {
    match &w.as_flow().flow.callback {
        Some(p) if p.contains_key("code") => Ok("the client got a code".into()),
        Some(p) => fail(format!(
            "the client was called back without a code: {:?}",
            p
        )),
        None => fail(format!(
            "the client was not called back: {}",
            describe(last(w)?)
        )),
    }
}

/// `the response comes back in the query component`: where the code went to the redirect URI,
/// it was in the query (a meta refresh's URL included), unless the profile's `authorize_params`
/// asked for another `response_mode`.
async fn response_in_query(w: &mut AuthWorld) -> Outcome {
    let asked = w
        .ctx
        .profile
        .authorize_params
        .get("response_mode")
        .cloned()
        .unwrap_or_else(|| "query".into());
    let flow = &w.as_flow().flow;
    let Some(redirect) = flow.redirect_uri.as_deref() else {
        return fail("the scenario sent no redirect_uri".to_string());
    };
    let Some(d) = flow
        .deliveries
        .iter()
        .find(|d| d.goes_to(redirect) && d.carries_response())
    else {
        return fail(format!(
            "the client was not called back: {}",
            describe(last(w)?)
        ));
    };
    let got = match d.mode {
        Mode::Query | Mode::MetaRefresh => "query",
        Mode::Fragment => "fragment",
        Mode::FormPost => "form_post",
    };
    if got == asked {
        Ok(format!("the response came {}", d.mode.word()))
    } else {
        fail(format!(
            "the response came {}, not in the {asked} the request asked for (response_mode {})",
            d.mode.word(),
            if asked == "query" {
                "absent: the code flow's default"
            } else {
                "set by the profile"
            }
        ))
    }
}

/// `the callback carries the original state`
async fn callback_keeps_state(w: &mut AuthWorld) -> Outcome {
    let p = w
        .as_flow()
        .flow
        .callback
        .as_ref()
        .ok_or(Failure::Failed("the client was not called back".into()))?;
    match (p.get("state"), &w.as_flow().flow.state) {
        (Some(got), Some(sent)) if got == sent => Ok("state returned unchanged".into()),
        (None, Some(_)) => fail("the callback has no state"),
        (got, _) => fail(format!("state differs: {got:?}")),
    }
}

/// `the callback carries iss equal to the issuer`
async fn callback_iss_is_issuer(w: &mut AuthWorld) -> Outcome {
    let advertised = w
        .metadata()
        .await
        .ok()
        .and_then(|m| {
            m.get("authorization_response_iss_parameter_supported")
                .and_then(Value::as_bool)
        })
        .unwrap_or(false);
    let issuer = w.issuer.clone();
    let p = w
        .as_flow()
        .flow
        .callback
        .as_ref()
        .ok_or(Failure::Failed("the client was not called back".into()))?;
    match p.get("iss") {
        Some(i) if *i == issuer => Ok("iss equals the issuer".into()),
        Some(i) => fail(format!("iss is {i:?}, the issuer is {issuer:?}")),
        None if advertised => fail(
            "the metadata advertises authorization_response_iss_parameter_supported but the response has no iss",
        ),
        None => Ok("iss is not advertised and not sent".into()),
    }
}

/// `the token response is JSON and not cacheable`
async fn token_response_not_cacheable(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let ct = r.header("content-type").unwrap_or("");
    let cc = r.header("cache-control").unwrap_or("");
    if !ct.starts_with("application/json") {
        return fail(format!("Content-Type is {ct:?}"));
    }
    if !cc
        .split(',')
        .any(|d| d.trim().eq_ignore_ascii_case("no-store"))
    {
        return fail(format!("Cache-Control is {cc:?}, not no-store"));
    }
    Ok("JSON, Cache-Control: no-store".into())
}

/// `the token response carries a Bearer access token`
async fn bearer_access_token(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let j = r
        .json()
        .ok_or(Failure::Failed(format!("not JSON: {}", describe(r))))?;
    let tt = j.get("token_type").and_then(Value::as_str).unwrap_or("");
    if r.status != 200 || j.get("access_token").and_then(Value::as_str).is_none() {
        return fail(format!("no access token: {}", describe(r)));
    }
    if !tt.eq_ignore_ascii_case("bearer") {
        return fail(format!("token_type is {tt:?}"));
    }
    Ok("token_type Bearer with an access token".into())
}

/// `the refresh token was rotated`
async fn refresh_token_rotated(w: &mut AuthWorld) -> Outcome {
    let tokens: Vec<String> = w
        .as_flow()
        .flow
        .token_responses
        .iter()
        .filter_map(|t| {
            t.get("refresh_token")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    match tokens.as_slice() {
        [.., a, b] if a != b => Ok("a new refresh token replaced the old one".into()),
        [.., _, _] => fail("the same refresh token came back"),
        _ => fail("the refresh response carried no new refresh token"),
    }
}

/// `the first access token is no longer active`
async fn first_access_token_revoked(w: &mut AuthWorld) -> Outcome {
    first_token_inactive(w).await
}

/// `the access token is an RFC 9068 JWT that verifies against the JWKS`
async fn access_token_is_rfc9068_jwt(w: &mut AuthWorld) -> Outcome {
    verify_access_token(w).await
}

/// `the metadata issuer is the issuer`
async fn metadata_issuer_matches(w: &mut AuthWorld) -> Outcome {
    let m = w.metadata().await.map_err(Failure::Failed)?;
    let got = m.get("issuer").and_then(Value::as_str).unwrap_or("");
    if got == w.issuer {
        Ok("issuer matches".into())
    } else {
        fail(format!("issuer is {got:?}, fetched for {:?}", w.issuer))
    }
}

/// `the metadata lists S256 in code_challenge_methods_supported`
async fn metadata_lists_s256(w: &mut AuthWorld) -> Outcome {
    let m = w.metadata().await.map_err(Failure::Failed)?;
    match m
        .get("code_challenge_methods_supported")
        .and_then(Value::as_array)
    {
        Some(a) if a.iter().any(|v| v == "S256") => Ok("S256 advertised".into()),
        Some(a) => fail(format!("code_challenge_methods_supported is {a:?}")),
        None => fail("code_challenge_methods_supported is missing"),
    }
}

/// `the metadata has the required fields`
async fn metadata_required_fields(w: &mut AuthWorld) -> Outcome {
    let m = w.metadata().await.map_err(Failure::Failed)?;
    let missing: Vec<&str> = [
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "response_types_supported",
    ]
    .into_iter()
    .filter(|f| m.get(*f).is_none())
    .collect();
    if missing.is_empty() {
        Ok(
            "issuer, authorization_endpoint, token_endpoint, response_types_supported present"
                .into(),
        )
    } else {
        fail(format!("missing {}", missing.join(", ")))
    }
}

/// `every metadata URL names the same issuer`
async fn metadata_urls_agree(w: &mut AuthWorld) -> Outcome {
    let issuer = w.issuer.clone();
    let mut seen = Vec::new();
    for url in well_known_urls(&issuer) {
        let r = w.agent.get(&url).await.map_err(Failure::Failed)?;
        if r.status == 200 {
            let got = r
                .json()
                .and_then(|j| j.get("issuer").and_then(Value::as_str).map(str::to_string))
                .unwrap_or_default();
            if got != issuer {
                return fail(format!("{url} names issuer {got:?}"));
            }
            seen.push(url);
        }
    }
    if seen.is_empty() {
        fail("no metadata URL answered")
    } else {
        Ok(format!("{} metadata URL(s) agree", seen.len()))
    }
}

/// `the introspection answer is exactly active false`
async fn introspection_exactly_inactive(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    match r.json() {
        Some(j) if r.status == 200 && j == serde_json::json!({"active": false}) => {
            Ok("{\"active\": false}".into())
        }
        _ => fail(format!(
            "expected HTTP 200 {{\"active\": false}}, got {}",
            describe(r)
        )),
    }
}

/// `the introspection answer says active`
async fn introspection_active(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    match r.json() {
        Some(j) if r.status == 200 && j.get("active") == Some(&Value::Bool(true)) => {
            Ok("active: true".into())
        }
        _ => fail(format!(
            "expected HTTP 200 with active: true, got {}",
            describe(r)
        )),
    }
}

/// `the token endpoint refuses the request`
async fn token_request_refused(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    match r.error_code() {
        Some(e) if r.status == 400 && (e == "invalid_grant" || e == "invalid_request") => {
            Ok(format!("HTTP 400 error {e}"))
        }
        _ => fail(format!(
            "expected HTTP 400 with error invalid_grant or invalid_request, got {}",
            describe(r)
        )),
    }
}

/// `the registration is refused with invalid_client_metadata or made consistent`
async fn registration_refused_or_consistent(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let j = r.json().unwrap_or(Value::Null);
    let list = |k: &str, default: &str| -> Vec<String> {
        match j.get(k).and_then(Value::as_array) {
            Some(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            None => vec![default.to_string()],
        }
    };
    if r.status == 400 && r.error_code().as_deref() == Some("invalid_client_metadata") {
        Ok("refused with invalid_client_metadata".into())
    } else if r.status == 201 {
        // RFC 7591 §2: the server may replace requested values; what it registers must be consistent.
        let (grants, responses) = (
            list("grant_types", "authorization_code"),
            list("response_types", "code"),
        );
        let code_grant = grants.iter().any(|g| g == "authorization_code");
        let code_response = responses.iter().any(|r| r == "code");
        let implicit = responses.iter().any(|r| r == "token");
        if code_grant == code_response && !implicit {
            Ok(format!(
                "registered with consistent metadata: grant_types {grants:?}, response_types {responses:?}"
            ))
        } else {
            fail(format!(
                "registered inconsistent metadata: grant_types {grants:?}, response_types {responses:?}"
            ))
        }
    } else {
        fail(format!(
            "expected 400 invalid_client_metadata or 201 with consistent metadata, got {}",
            describe(r)
        ))
    }
}

/// `the registration answers 201 with a client_id`
async fn registration_created(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    match r.json() {
        Some(j) if r.status == 201 && j.get("client_id").and_then(Value::as_str).is_some() => {
            Ok("201 with client_id".into())
        }
        _ => fail(format!(
            "expected HTTP 201 with client_id, got {}",
            describe(r)
        )),
    }
}

/// `the response carries a Basic challenge`
async fn basic_challenge(w: &mut AuthWorld) -> Outcome {
    // RFC 6749 §5.2 asks for the challenge when the client used the Authorization header.
    let method = w
        .ctx
        .profile
        .clients
        .as_ref()
        .map(|c| c.confidential.method().to_string())
        .unwrap_or_else(|| "client_secret_basic".into());
    if method != "client_secret_basic" {
        return Err(Failure::Skipped(format!(
            "the confidential client authenticates with {method}, not the Authorization header; RFC 6749 §5.2's challenge is for HTTP authentication"
        )));
    }
    let r = last(w)?;
    match r.header("www-authenticate") {
        Some(v) if v.trim_start().to_ascii_lowercase().starts_with("basic") => {
            Ok(format!("WWW-Authenticate: {v}"))
        }
        other => fail(format!(
            "after Basic authentication failed, WWW-Authenticate is {other:?}"
        )),
    }
}

/// `the metadata fetched with a forged Host header names the issuer`
async fn host_header_ignored(w: &mut AuthWorld) -> Outcome {
    let issuer = w.issuer.clone();
    let url = well_known_urls(&issuer)
        .into_iter()
        .next()
        .ok_or(Failure::Failed("the issuer is not a URL".into()))?;
    let r = w
        .agent
        .send(
            reqwest::Method::GET,
            &url,
            &crate::http::user_agent::ClientAuth::None,
            &[("host", "attacker.example")],
            None,
            None,
        )
        .await
        .map_err(Failure::Hung)?;
    let got = r
        .json()
        .and_then(|j| j.get("issuer").and_then(Value::as_str).map(str::to_string));
    match got {
        Some(i) if i == issuer => Ok("the issuer ignores the Host header".into()),
        Some(i) => fail(format!(
            "with Host: attacker.example the metadata names issuer {i:?}"
        )),
        None => Ok(format!(
            "with a forged Host header the server answered HTTP {} without metadata",
            r.status
        )),
    }
}

pub(crate) const ENDPOINT_ERROR: Evaluator = pattern!(TOKEN_ERROR_PATTERN, endpoint_error);
pub(crate) const CALLBACK_ERROR: Evaluator = pattern!(CALLBACK_ERROR_PATTERN, callback_error);
pub(crate) const NO_REDIRECT_TO_CLIENT: Evaluator = exact!(
    "the server does not redirect to the client",
    no_redirect_to_client
);
pub(crate) const SHOWS_ERROR_PAGE: Evaluator =
    exact!("the user sees an error page", shows_error_page);
pub(crate) const CALLBACK_HAS_CODE: Evaluator =
    exact!("the client receives a code", callback_has_code);
pub(crate) const RESPONSE_IN_QUERY: Evaluator = exact!(
    "the response comes back in the query component",
    response_in_query
);
pub(crate) const CALLBACK_KEEPS_STATE: Evaluator = exact!(
    "the callback carries the original state",
    callback_keeps_state
);
pub(crate) const CALLBACK_ISS_IS_ISSUER: Evaluator = exact!(
    "the callback carries iss equal to the issuer",
    callback_iss_is_issuer
);
pub(crate) const TOKEN_RESPONSE_NOT_CACHEABLE: Evaluator = exact!(
    "the token response is JSON and not cacheable",
    token_response_not_cacheable
);
pub(crate) const BEARER_ACCESS_TOKEN: Evaluator = exact!(
    "the token response carries a Bearer access token",
    bearer_access_token
);
pub(crate) const REFRESH_TOKEN_ROTATED: Evaluator =
    exact!("the refresh token was rotated", refresh_token_rotated);
pub(crate) const FIRST_ACCESS_TOKEN_REVOKED: Evaluator = exact!(
    "the first access token is no longer active",
    first_access_token_revoked
);
pub(crate) const ACCESS_TOKEN_IS_RFC9068_JWT: Evaluator = exact!(
    "the access token is an RFC 9068 JWT that verifies against the JWKS",
    access_token_is_rfc9068_jwt
);
pub(crate) const METADATA_ISSUER_MATCHES: Evaluator =
    exact!("the metadata issuer is the issuer", metadata_issuer_matches);
pub(crate) const METADATA_LISTS_S256: Evaluator = exact!(
    "the metadata lists S256 in code_challenge_methods_supported",
    metadata_lists_s256
);
pub(crate) const METADATA_REQUIRED_FIELDS: Evaluator = exact!(
    "the metadata has the required fields",
    metadata_required_fields
);
pub(crate) const METADATA_URLS_AGREE: Evaluator = exact!(
    "every metadata URL names the same issuer",
    metadata_urls_agree
);
pub(crate) const INTROSPECTION_EXACTLY_INACTIVE: Evaluator = exact!(
    "the introspection answer is exactly active false",
    introspection_exactly_inactive
);
pub(crate) const INTROSPECTION_ACTIVE: Evaluator =
    exact!("the introspection answer says active", introspection_active);
pub(crate) const TOKEN_REQUEST_REFUSED: Evaluator = exact!(
    "the token endpoint refuses the request",
    token_request_refused
);
pub(crate) const REGISTRATION_REFUSED_OR_CONSISTENT: Evaluator = exact!(
    "the registration is refused with invalid_client_metadata or made consistent",
    registration_refused_or_consistent
);
pub(crate) const REGISTRATION_CREATED: Evaluator = exact!(
    "the registration answers 201 with a client_id",
    registration_created
);
pub(crate) const BASIC_CHALLENGE: Evaluator =
    exact!("the response carries a Basic challenge", basic_challenge);
pub(crate) const HOST_HEADER_IGNORED: Evaluator = exact!(
    "the metadata fetched with a forged Host header names the issuer",
    host_header_ignored
);

async fn first_token_inactive(w: &mut AuthWorld) -> Outcome {
    let token = w
        .as_flow()
        .flow
        .first("access_token")
        .ok_or(Failure::Failed("no access token was issued".into()))?;
    let Ok(url) = w.endpoint("introspection").await else {
        return Err(Failure::Skipped(
            "the target has no introspection endpoint to ask".into(),
        ));
    };
    let client = w.ctx.profile.clients().confidential.clone();
    let form = AuthWorld::with_client_form(&client, vec![("token".into(), token)]);
    let r = w
        .agent
        .post_form(&url, &AuthWorld::auth_of(&client), &form)
        .await
        .map_err(Failure::Hung)?;
    match r
        .json()
        .and_then(|j| j.get("active").and_then(Value::as_bool))
    {
        Some(false) => Ok("introspection says active: false".into()),
        Some(true) => fail("the first access token is still active"),
        None => fail(format!("introspection did not answer: {}", describe(&r))),
    }
}

/// The claims of `token`, once its signature verifies with the key of the target's JWKS its
/// header names.
pub(crate) async fn verified_claims(
    w: &mut AuthWorld,
    token: &str,
    header: &jsonwebtoken::Header,
) -> Result<Value, Failure> {
    use jsonwebtoken::{DecodingKey, Validation, decode, jwk::JwkSet};
    let jwks_url = w.endpoint("jwks").await.map_err(Failure::Failed)?;
    let r = w.agent.get(&jwks_url).await.map_err(Failure::Hung)?;
    let jwks: JwkSet = serde_json::from_str(&r.body)
        .map_err(|e| Failure::Failed(format!("the JWKS is not valid: {e}")))?;
    let kid = header
        .kid
        .clone()
        .ok_or(Failure::Failed("the header has no kid".into()))?;
    let jwk = jwks
        .find(&kid)
        .ok_or(Failure::Failed(format!("kid {kid:?} is not in the JWKS")))?;
    let key =
        DecodingKey::from_jwk(jwk).map_err(|e| Failure::Failed(format!("unusable JWK: {e}")))?;
    let mut v = Validation::new(header.alg);
    v.validate_aud = false;
    v.validate_exp = false;
    v.required_spec_claims.clear();
    let data = decode::<Value>(token, &key, &v).map_err(|e| {
        Failure::Failed(format!(
            "the signature does not verify against the JWKS: {e}"
        ))
    })?;
    Ok(data.claims)
}

async fn verify_access_token(w: &mut AuthWorld) -> Outcome {
    use jsonwebtoken::decode_header;
    let token = w
        .as_flow()
        .flow
        .latest("access_token")
        .ok_or(Failure::Failed("no access token was issued".into()))?;
    // RFC 9068 binds servers that issue JWT access tokens; an opaque token is out of its scope.
    let Ok(header) = decode_header(&token) else {
        return Err(Failure::Skipped(
            "the access token is opaque, not a JWT: RFC 9068 does not apply".into(),
        ));
    };
    if !header.typ.as_deref().is_some_and(|t| {
        t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
    }) {
        return fail(format!(
            "typ is {:?}, not at+jwt (RFC 9068 §2.1)",
            header.typ
        ));
    }
    let c = verified_claims(w, &token, &header).await?;
    let missing: Vec<&str> = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]
        .into_iter()
        .filter(|k| c.get(*k).is_none())
        .collect();
    if !missing.is_empty() {
        return fail(format!(
            "claims missing (RFC 9068 §2.2): {}",
            missing.join(", ")
        ));
    }
    if c["iss"] != w.issuer.as_str() {
        return fail(format!("iss is {}, the issuer is {}", c["iss"], w.issuer));
    }
    let client = w.client();
    if c["client_id"] != client.client_id.as_str() {
        return fail(format!(
            "client_id is {}, expected {}",
            c["client_id"], client.client_id
        ));
    }
    Ok(format!(
        "{:?} JWT with iss, exp, aud, sub, client_id, iat, jti; signature verified",
        header.alg
    ))
}

/// Every `@as` check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("as.code.first-use", &BEARER_ACCESS_TOKEN),
    Check::new("as.code.reuse-refused", &ENDPOINT_ERROR),
    Check::new("as.code.reuse-revokes", &FIRST_ACCESS_TOKEN_REVOKED),
    Check::new("as.code.client-binding", &ENDPOINT_ERROR),
    Check::new("as.code.redirect-uri-binding", &ENDPOINT_ERROR),
    Check::new("as.code.expiry", &ENDPOINT_ERROR),
    Check::new("as.code.never-issued", &ENDPOINT_ERROR),
    Check::new("as.authz-response.code", &CALLBACK_HAS_CODE),
    Check::new("as.authz-response.in-query", &RESPONSE_IN_QUERY),
    Check::new("as.authz-response.state", &CALLBACK_KEEPS_STATE),
    Check::new("as.authz-response.iss", &CALLBACK_ISS_IS_ISSUER),
    Check::new("as.authz-response.denied", &CALLBACK_ERROR),
    Check::new("as.authz-response.denied-state", &CALLBACK_KEEPS_STATE),
    Check::new("as.authz-response.denied-iss", &CALLBACK_ISS_IS_ISSUER),
    Check::new(
        "as.authz-response.unsupported-response-type",
        &CALLBACK_ERROR,
    ),
    Check::new("as.authz-response.error-state", &CALLBACK_KEEPS_STATE),
    Check::new("as.resource.unknown", &CALLBACK_ERROR),
    Check::new("as.client-auth.wrong-secret", &ENDPOINT_ERROR),
    Check::new("as.client-auth.basic-challenge", &BASIC_CHALLENGE),
    Check::new("as.client-auth.method-enforced", &ENDPOINT_ERROR),
    Check::new("as.token.unsupported-grant", &ENDPOINT_ERROR),
    Check::new("as.token.missing-grant-type", &ENDPOINT_ERROR),
    Check::new("as.token.bearer", &BEARER_ACCESS_TOKEN),
    Check::new("as.token.no-store", &TOKEN_RESPONSE_NOT_CACHEABLE),
    Check::new("as.token.jwt-claims", &ACCESS_TOKEN_IS_RFC9068_JWT),
    Check::new("as.device.pending", &ENDPOINT_ERROR),
    Check::new("as.device.slow-down", &ENDPOINT_ERROR),
    Check::new("as.device.approved", &BEARER_ACCESS_TOKEN),
    Check::new("as.device.denied", &ENDPOINT_ERROR),
    Check::new("as.device.expired", &ENDPOINT_ERROR),
    Check::new("as.metadata.issuer", &METADATA_ISSUER_MATCHES),
    Check::new("as.metadata.required-fields", &METADATA_REQUIRED_FIELDS),
    Check::new("as.metadata.pkce-s256", &METADATA_LISTS_S256),
    Check::new("as.metadata.same-issuer", &METADATA_URLS_AGREE),
    Check::new("as.metadata.host-header", &HOST_HEADER_IGNORED),
    Check::new("as.pkce.wrong-verifier", &ENDPOINT_ERROR),
    Check::new("as.pkce.code-burned", &ENDPOINT_ERROR),
    Check::new("as.pkce.missing-verifier", &TOKEN_REQUEST_REFUSED),
    Check::new("as.pkce.downgrade", &ENDPOINT_ERROR),
    Check::new("as.pkce.plain-refused", &CALLBACK_ERROR),
    Check::new("as.pkce.challenge-too-short", &CALLBACK_ERROR),
    Check::new("as.pkce.challenge-too-long", &CALLBACK_ERROR),
    Check::new("as.pkce.public-client-required", &CALLBACK_ERROR),
    Check::new("as.redirect-uri.exact-match", &NO_REDIRECT_TO_CLIENT),
    Check::new("as.redirect-uri.error-page", &SHOWS_ERROR_PAGE),
    Check::new("as.redirect-uri.loopback-port", &CALLBACK_HAS_CODE),
    Check::new("as.refresh.works", &BEARER_ACCESS_TOKEN),
    Check::new("as.refresh.rotated", &REFRESH_TOKEN_ROTATED),
    Check::new("as.refresh.replay-refused", &ENDPOINT_ERROR),
    Check::new("as.refresh.family-revoked", &ENDPOINT_ERROR),
    Check::new("as.refresh.no-widening", &ENDPOINT_ERROR),
    Check::new("as.refresh.client-binding", &ENDPOINT_ERROR),
    Check::new("as.refresh.client-auth", &ENDPOINT_ERROR),
    Check::new("as.register.success", &REGISTRATION_CREATED),
    Check::new("as.register.fragment", &ENDPOINT_ERROR),
    Check::new("as.register.script-scheme", &ENDPOINT_ERROR),
    Check::new(
        "as.register.bad-metadata",
        &REGISTRATION_REFUSED_OR_CONSISTENT,
    ),
    Check::new("as.revoke.unknown-token", &crate::roles::answer::STATUS),
    Check::new("as.revoke.answers-200", &crate::roles::answer::STATUS),
    Check::new("as.revoke.refresh-revoked", &ENDPOINT_ERROR),
    Check::new("as.revoke.hint-is-a-hint", &ENDPOINT_ERROR),
    Check::new("as.introspect.needs-auth", &INTROSPECTION_REFUSED),
    Check::new(
        "as.introspect.needs-auth.401",
        &crate::roles::answer::STATUS,
    ),
    Check::new("as.introspect.active", &INTROSPECTION_ACTIVE),
    Check::new(
        "as.introspect.revoked-inactive",
        &INTROSPECTION_EXACTLY_INACTIVE,
    ),
    Check::new(
        "as.introspect.unknown-inactive",
        &INTROSPECTION_EXACTLY_INACTIVE,
    ),
];

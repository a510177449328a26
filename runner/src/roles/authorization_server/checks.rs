//! What a check step can assert. Each assertion reads the World (the last response, the flow,
//! the metadata) and passes with a short description of what it saw, or fails saying what it
//! expected and what it got. Secrets in messages are redacted by the caller.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::http::user_agent::Response;
use crate::world::{AuthWorld, well_known_urls};

/// Why an assertion did not pass.
pub enum Failure {
    Failed(String),
    /// The target did not answer in time.
    Hung(String),
    /// The assertion cannot be judged against this target.
    Skipped(String),
}

type Outcome = Result<String, Failure>;

fn fail<T>(msg: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Failed(msg.into()))
}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> =
            LazyLock::new(|| Regex::new($pat).expect("assertion regex"));
    };
}

re!(STATUS, r"^the response status is (\d{3})$");
re!(
    TOKEN_ERROR,
    r#"^the (?:token|registration|revocation|introspection) endpoint answers (\d{3}) "([a-z_]+)"$"#
);
re!(
    CALLBACK_ERROR,
    r#"^the client receives the error "([a-z_]+)"(?: or "([a-z_]+)")?$"#
);

fn last(w: &AuthWorld) -> Result<&Response, Failure> {
    w.last
        .as_ref()
        .ok_or_else(|| Failure::Failed("no request was made".into()))
}

fn describe_callback(p: &std::collections::BTreeMap<String, String>) -> String {
    match p.get("error") {
        Some(e) => format!("error={e}"),
        None => format!("parameters {:?}", p.keys().collect::<Vec<_>>()),
    }
}

/// A short account of a response for failure messages.
pub fn describe(r: &Response) -> String {
    match r.json() {
        Some(j) => format!("HTTP {} {}", r.status, j),
        None => format!(
            "HTTP {}{}",
            r.status,
            r.location()
                .map(|l| format!(" Location: {l}"))
                .unwrap_or_default()
        ),
    }
}

/// Evaluates `assertion` against the World.
pub async fn evaluate(w: &mut AuthWorld, assertion: &str) -> Outcome {
    if let Some(c) = STATUS.captures(assertion) {
        let want: u16 = c[1].parse().unwrap_or(0);
        let r = last(w)?;
        return if r.status == want {
            Ok(format!("HTTP {want}"))
        } else {
            fail(format!("expected HTTP {want}, got {}", describe(r)))
        };
    }
    if let Some(c) = TOKEN_ERROR.captures(assertion) {
        let (status, error) = (c[1].parse::<u16>().unwrap_or(0), c[2].to_string());
        let r = last(w)?;
        let got = r.error_code();
        return if r.status == status && got.as_deref() == Some(error.as_str()) {
            Ok(format!("HTTP {status} error {error}"))
        } else {
            fail(format!(
                "expected HTTP {status} with error {error:?}, got {}",
                describe(r)
            ))
        };
    }
    if let Some(c) = CALLBACK_ERROR.captures(assertion) {
        let allowed: Vec<String> = [c.get(1), c.get(2)]
            .into_iter()
            .flatten()
            .map(|m| m.as_str().to_string())
            .collect();
        let want = allowed.join(" or ");
        return match &w.flow.callback {
            Some(p)
                if p.get("error").is_some_and(|e| allowed.contains(e))
                    && !p.contains_key("code") =>
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
        };
    }

    match assertion {
        "the server does not redirect to the client" => {
            let hostile = w.flow.redirect_uri.clone().unwrap_or_default();
            if w.flow.callback.is_some() {
                return fail(format!(
                    "the browser was sent to the unregistered redirect URI {hostile}"
                ));
            }
            let r = last(w)?;
            if r.is_redirect() && r.location().is_some_and(|l| l.starts_with(&hostile)) {
                return fail(format!(
                    "the server redirected to the unregistered URI: {}",
                    r.location().unwrap_or_default()
                ));
            }
            Ok(format!(
                "the flow stopped at HTTP {} without redirecting to the client",
                r.status
            ))
        }
        "the user sees an error page" => {
            let r = last(w)?;
            if (400..500).contains(&r.status) && !r.is_redirect() {
                Ok(format!("HTTP {} error page", r.status))
            } else {
                fail(format!("expected a 4xx error page, got {}", describe(r)))
            }
        }
        "the client receives a code" => match &w.flow.callback {
            Some(p) if p.contains_key("code") => Ok("the client got a code".into()),
            Some(p) => fail(format!(
                "the client was called back without a code: {:?}",
                p
            )),
            None => fail(format!(
                "the client was not called back: {}",
                describe(last(w)?)
            )),
        },
        "the callback carries the original state" => {
            let p = w
                .flow
                .callback
                .as_ref()
                .ok_or(Failure::Failed("the client was not called back".into()))?;
            match (p.get("state"), &w.flow.state) {
                (Some(got), Some(sent)) if got == sent => Ok("state returned unchanged".into()),
                (None, Some(_)) => fail("the callback has no state"),
                (got, _) => fail(format!("state differs: {got:?}")),
            }
        }
        "the callback carries iss equal to the issuer" => {
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
        "the token response is JSON and not cacheable" => {
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
        "the token response carries a Bearer access token" => {
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
        "the refresh token was rotated" => {
            let tokens: Vec<String> = w
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
        "the first access token is no longer active" => first_token_inactive(w).await,
        "the access token is an RFC 9068 JWT that verifies against the JWKS" => {
            verify_access_token(w).await
        }
        "the metadata issuer is the issuer" => {
            let m = w.metadata().await.map_err(Failure::Failed)?;
            let got = m.get("issuer").and_then(Value::as_str).unwrap_or("");
            if got == w.issuer {
                Ok("issuer matches".into())
            } else {
                fail(format!("issuer is {got:?}, fetched for {:?}", w.issuer))
            }
        }
        "the metadata lists S256 in code_challenge_methods_supported" => {
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
        "the metadata has the required fields" => {
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
                Ok("issuer, authorization_endpoint, token_endpoint, response_types_supported present".into())
            } else {
                fail(format!("missing {}", missing.join(", ")))
            }
        }
        "every metadata URL names the same issuer" => {
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
        "the introspection answer is exactly active false" => {
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
        "the introspection answer says active" => {
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
        "the token endpoint refuses the request" => {
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
        "the registration is refused with invalid_client_metadata or made consistent" => {
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
        "the registration answers 201 with a client_id" => {
            let r = last(w)?;
            match r.json() {
                Some(j)
                    if r.status == 201 && j.get("client_id").and_then(Value::as_str).is_some() =>
                {
                    Ok("201 with client_id".into())
                }
                _ => fail(format!(
                    "expected HTTP 201 with client_id, got {}",
                    describe(r)
                )),
            }
        }
        "the response carries a Basic challenge" => {
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
        "the metadata fetched with a forged Host header names the issuer" => {
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
        other => match crate::roles::resource_server::checks::evaluate(w, other).await {
            Some(outcome) => outcome,
            None => match crate::roles::mcp_server::checks::evaluate(w, other).await {
                Some(outcome) => outcome,
                None => match crate::roles::mcp_client::checks::evaluate(w, other).await {
                    Some(outcome) => outcome,
                    None => match crate::roles::client::checks::evaluate(w, other).await {
                        Some(outcome) => outcome,
                        None => match crate::roles::agent::checks::evaluate(w, other).await {
                            Some(outcome) => outcome,
                            None => Err(Failure::Failed(format!(
                                "unknown assertion {other:?} (a defect in the feature file)"
                            ))),
                        },
                    },
                },
            },
        },
    }
}

async fn first_token_inactive(w: &mut AuthWorld) -> Outcome {
    let token = w
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

async fn verify_access_token(w: &mut AuthWorld) -> Outcome {
    use jsonwebtoken::{DecodingKey, Validation, decode, decode_header, jwk::JwkSet};
    let token = w
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
    let data = decode::<Value>(&token, &key, &v).map_err(|e| {
        Failure::Failed(format!(
            "the signature does not verify against the JWKS: {e}"
        ))
    })?;
    let c = data.claims;
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

//! Minting what the token endpoint hands out: RFC 9068 access tokens, OIDC ID tokens, refresh
//! tokens, and the RFC 6749 §5.1 response that carries them.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::no_store;
use crate::grants::random_token;
use crate::jwt;
use crate::registry::User;
use crate::state::AppState;

/// One audience or several (RFC 7519 §4.1.3).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum Aud<'a> {
    One(&'a str),
    Many(&'a [String]),
}

#[derive(Serialize)]
struct AccessClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: Aud<'a>,
    exp: i64,
    iat: i64,
    jti: &'a str,
    client_id: &'a str,
    scope: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_username: Option<&'a str>,
    /// RFC 9449 §6.1: the thumbprint of the DPoP key the token is bound to.
    #[serde(skip_serializing_if = "Option::is_none")]
    cnf: Option<Cnf<'a>>,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

#[derive(Serialize)]
struct Cnf<'a> {
    jkt: &'a str,
}

/// A signed access token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: String,
    pub jti: String,
    pub exp: i64,
    /// Issued with a DPoP proof: `token_type` DPoP (RFC 9449 §5).
    pub dpop: bool,
}

/// What an access token is for.
pub struct AccessGrant<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub user: Option<&'a User>,
    /// The token's `sub` when it is for no user (a workload's assertion); unset: the client_id.
    pub subject: Option<&'a str>,
    pub scope: &'a str,
    pub audience: &'a [String],
    pub auth_time: Option<i64>,
    /// The DPoP key thumbprint the token is bound to (RFC 9449 §6.1).
    pub jkt: Option<&'a str>,
}

static NO_CLAIMS: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

/// Signs an RFC 9068 access token with the active key.
pub fn access_token(state: &AppState, g: &AccessGrant<'_>) -> AccessToken {
    let now = state.now();
    let exp = now + state.config.tokens.access_token_ttl;
    let jti = random_token(&state.keys.rng, 16);
    let aud = match g.audience {
        [one] => Aud::One(one),
        many => Aud::Many(many),
    };
    let claims = AccessClaims {
        iss: g.issuer,
        sub: g.user.map_or(g.subject.unwrap_or(g.client_id), |u| {
            u.config.username.as_str()
        }),
        aud,
        exp,
        iat: now,
        jti: &jti,
        client_id: g.client_id,
        scope: g.scope,
        auth_time: g.auth_time,
        preferred_username: g.user.map(|u| u.config.username.as_str()),
        // Fault dpop-unbound-tokens: told DPoP, bound to nothing.
        cnf: g
            .jkt
            .filter(|_| !state.fault(crate::faults::Fault::DpopUnboundTokens))
            .map(|jkt| Cnf { jkt }),
        extra: g.user.map_or(&NO_CLAIMS, |u| &u.config.claims),
    };
    let ring = state.keys.ring();
    let token = jwt::sign(
        ring.active(),
        &state.keys.rng,
        jwt::ACCESS_TOKEN_TYP,
        &claims,
    );
    AccessToken {
        token,
        jti,
        exp,
        dpop: g.jkt.is_some(),
    }
}

/// What an ID token is about.
pub struct IdTokenFor<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub user: &'a User,
    pub scope: &'a [String],
    pub nonce: Option<&'a str>,
    pub auth_time: Option<i64>,
    /// The access token issued with it, for `at_hash`.
    pub access_token: &'a str,
}

/// Signs an OIDC ID token (OIDC Core §2), bound to the access token by `at_hash`.
pub fn id_token(state: &AppState, t: &IdTokenFor<'_>) -> String {
    let IdTokenFor {
        issuer,
        client_id,
        user,
        scope,
        nonce,
        auth_time,
        access_token,
    } = *t;
    let now = state.now();
    let ring = state.keys.ring();
    let key = ring.active();
    let mut claims = json!({
        "iss": issuer,
        "sub": user.config.username,
        "aud": client_id,
        "azp": client_id,
        "exp": now + state.config.tokens.id_token_ttl,
        "iat": now,
        "at_hash": jwt::half_hash(key.alg, access_token),
    });
    if let Some(t) = auth_time {
        claims["auth_time"] = json!(t);
    }
    if let Some(n) = nonce {
        claims["nonce"] = json!(n);
    }
    user_claims(&mut claims, user, scope);
    jwt::sign(key, &state.keys.rng, jwt::ID_TOKEN_TYP, &claims)
}

/// Adds the OIDC standard claims the granted scopes release (OIDC Core §5.4).
pub fn user_claims(claims: &mut Value, user: &User, scope: &[String]) {
    let has = |s: &str| scope.iter().any(|x| x == s);
    if has("profile") {
        claims["preferred_username"] = json!(user.config.username);
        if let Some(name) = &user.config.name {
            claims["name"] = json!(name);
        }
    }
    if has("email")
        && let Some(email) = &user.config.email
    {
        claims["email"] = json!(email);
        claims["email_verified"] = json!(true);
    }
}

/// A new refresh token (opaque, 256 bits).
pub fn refresh_token(state: &AppState) -> String {
    random_token(&state.keys.rng, 32)
}

/// The body of the successful token response. Fields in alphabetical order, as a JSON object
/// built with `json!` (a sorted map) would print them; serialized straight from borrowed values.
#[derive(Serialize)]
struct TokenResponseBody<'a> {
    access_token: &'a str,
    expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    scope: &'a str,
    token_type: &'static str,
}

/// The successful token response (RFC 6749 §5.1), never cached.
pub fn token_response(
    state: &AppState,
    access: &AccessToken,
    scope: &str,
    refresh: Option<&str>,
    id_token: Option<&str>,
) -> Response {
    let body = TokenResponseBody {
        access_token: &access.token,
        expires_in: access.exp - state.now(),
        id_token,
        refresh_token: refresh,
        scope,
        token_type: if access.dpop { "DPoP" } else { "Bearer" },
    };
    let mut resp = Json(body).into_response();
    no_store(&mut resp);
    resp
}

/// The tokens an authorization by a user hands out: an access token, an ID token when `openid`
/// was granted, and a refresh token when the client may refresh; recorded under the grant.
pub struct UserGrant<'a> {
    pub issuer: &'a str,
    pub client: &'a crate::config::ClientConfig,
    pub user: &'a User,
    pub scope: &'a [String],
    /// Resource indicators the tokens are for; empty: the default audience.
    pub resources: Vec<String>,
    pub nonce: Option<&'a str>,
    pub auth_time: i64,
    pub grant_id: u64,
    /// The DPoP key thumbprint the access token is bound to.
    pub jkt: Option<&'a str>,
}

/// Mints the tokens of a user grant, attaches them to the grant, and builds the token response.
pub fn user_grant_response(state: &AppState, g: UserGrant<'_>) -> Response {
    let audience = if g.resources.is_empty() {
        vec![state.default_audience()]
    } else {
        g.resources
    };
    let scope = crate::oauth::scope::join(g.scope);
    let access = access_token(
        state,
        &AccessGrant {
            issuer: g.issuer,
            client_id: &g.client.client_id,
            user: Some(g.user),
            subject: None,
            scope: &scope,
            audience: &audience,
            auth_time: Some(g.auth_time),
            jkt: g.jkt,
        },
    );
    let id = g.scope.iter().any(|x| x == "openid").then(|| {
        id_token(
            state,
            &IdTokenFor {
                issuer: g.issuer,
                client_id: &g.client.client_id,
                user: g.user,
                scope: g.scope,
                nonce: g.nonce,
                auth_time: Some(g.auth_time),
                access_token: &access.token,
            },
        )
    });
    let refresh = g
        .client
        .grant_types
        .contains(&crate::config::GrantType::RefreshToken)
        .then(|| refresh_token(state));
    let now = state.now();
    state.grants.with(|t| {
        t.attach(
            g.grant_id,
            &access.jti,
            refresh.as_deref().map(crate::grants::hash_secret),
            now,
        )
    });
    token_response(state, &access, &scope, refresh.as_deref(), id.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_response_body_prints_like_the_sorted_json_object() {
        let body = TokenResponseBody {
            access_token: "a.b.c",
            expires_in: 3600,
            id_token: Some("i.d.t"),
            refresh_token: Some("r"),
            scope: "openid profile",
            token_type: "Bearer",
        };
        let sorted = json!({
            "access_token": "a.b.c",
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": "openid profile",
            "refresh_token": "r",
            "id_token": "i.d.t",
        });
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            serde_json::to_string(&sorted).unwrap()
        );
        let short = TokenResponseBody {
            id_token: None,
            refresh_token: None,
            ..body
        };
        assert_eq!(
            serde_json::to_string(&short).unwrap(),
            r#"{"access_token":"a.b.c","expires_in":3600,"scope":"openid profile","token_type":"Bearer"}"#
        );
    }
}

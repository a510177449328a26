//! One whole flow driven by an independent client, the `oauth2` crate: authorization code with
//! PKCE S256, token exchange, refresh with rotation; every token verified against `/jwks` with
//! `jsonwebtoken`, not with mock-idp's own code.

mod common;

use common::*;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, RedirectUrl,
    Scope, TokenResponse, TokenUrl,
};
use serde_json::Value;

#[derive(Debug)]
struct HttpError(String);
impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for HttpError {}

/// oauth2's async HTTP client contract, over reqwest 0.13.
async fn send(req: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, HttpError> {
    let (parts, body) = req.into_parts();
    let resp = http()
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| HttpError(e.to_string()))?;
    let mut builder = oauth2::http::Response::builder().status(resp.status());
    for (k, v) in resp.headers() {
        builder = builder.header(k, v);
    }
    let bytes = resp.bytes().await.map_err(|e| HttpError(e.to_string()))?;
    builder
        .body(bytes.to_vec())
        .map_err(|e| HttpError(e.to_string()))
}

fn verify(jwks: &JwkSet, token: &str, aud: &str, issuer: &str) -> Value {
    let header = decode_header(token).unwrap();
    let kid = header.kid.clone().expect("kid in header");
    let jwk = jwks.find(&kid).expect("kid published in /jwks");
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut v = Validation::new(Algorithm::ES256);
    v.leeway = 0;
    v.set_audience(&[aud]);
    v.set_issuer(&[issuer]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let data = decode::<Value>(token, &key, &v).expect("token verifies against /jwks");

    data.claims
}

#[tokio::test]
async fn authorization_code_with_pkce_then_refresh_verified_against_jwks() {
    let idp = start().await;
    let issuer = idp.issuer().to_string();
    let client = BasicClient::new(ClientId::new("conf".into()))
        .set_client_secret(ClientSecret::new(CONF_SECRET.into()))
        .set_auth_uri(AuthUrl::new(format!("{issuer}/oauth/authorize")).unwrap())
        .set_token_uri(TokenUrl::new(format!("{issuer}/oauth/token")).unwrap())
        .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("profile".into()))
        .add_extra_param("nonce", "n-0S6_WzA2Mj")
        .set_pkce_challenge(challenge)
        .url();

    let resp = http().get(auth_url.as_str()).send().await.unwrap();
    assert_eq!(resp.status(), 302);
    let params = location_params(&resp);
    assert!(location(&resp).starts_with(REDIRECT));
    assert_eq!(params.get("state"), Some(csrf.secret()));
    assert_eq!(
        params.get("iss"),
        Some(&issuer),
        "RFC 9207 iss in the response"
    );
    let code = params["code"].clone();

    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&send)
        .await
        .expect("code exchange");
    let jwks: JwkSet = http()
        .get(format!("{issuer}/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens.access_token().secret();
    let claims = verify(&jwks, access, &format!("{issuer}/api"), &issuer);
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["client_id"], "conf");
    assert_eq!(claims["scope"], "openid profile");
    for c in ["iat", "jti", "exp"] {
        assert!(claims.get(c).is_some(), "RFC 9068 claim {c}");
    }
    assert_eq!(
        decode_header(access).unwrap().typ.as_deref(),
        Some("at+jwt")
    );

    let refresh = tokens.refresh_token().expect("a refresh token").clone();
    let refreshed = client
        .exchange_refresh_token(&refresh)
        .request_async(&send)
        .await
        .expect("refresh");
    let new_refresh = refreshed.refresh_token().expect("rotated refresh token");
    assert_ne!(
        new_refresh.secret(),
        refresh.secret(),
        "refresh tokens rotate"
    );
    verify(
        &jwks,
        refreshed.access_token().secret(),
        &format!("{issuer}/api"),
        &issuer,
    );

    let replay = client
        .exchange_refresh_token(&refresh)
        .request_async(&send)
        .await;
    assert!(replay.is_err(), "the rotated-out refresh token is refused");
    let after = client
        .exchange_refresh_token(new_refresh)
        .request_async(&send)
        .await;
    assert!(
        after.is_err(),
        "replay revoked the whole family, including the newest token"
    );

    let me = api_me(&idp, tokens.access_token().secret()).await;
    assert_eq!(
        me.status(),
        401,
        "the family's access tokens were revoked too"
    );
}

#[tokio::test]
async fn id_token_carries_nonce_and_at_hash_and_verifies() {
    let idp = start().await;
    let issuer = idp.issuer().to_string();
    let code = code_for(&idp, "conf", &[("nonce", "n-42")]).await;
    let (status, body, _) = redeem(&idp, &code).await;
    assert_eq!(status, 200, "{body}");
    let jwks: JwkSet = http()
        .get(format!("{issuer}/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_token = body["id_token"]
        .as_str()
        .expect("id_token for scope openid");
    let header = decode_header(id_token).unwrap();
    let key = DecodingKey::from_jwk(jwks.find(header.kid.as_deref().unwrap()).unwrap()).unwrap();
    let mut v = Validation::new(Algorithm::ES256);
    v.set_audience(&["conf"]);
    v.set_issuer(&[&issuer]);
    let claims = decode::<Value>(id_token, &key, &v).unwrap().claims;
    assert_eq!(claims["nonce"], "n-42");
    assert_eq!(claims["sub"], "alice");
    let access = body["access_token"].as_str().unwrap();
    let expected = {
        use base64::Engine;
        let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&d.as_ref()[..16])
    };
    assert_eq!(claims["at_hash"], expected.as_str());
}

//! Authorization codes (RFC 6749 §4.1.2, §4.1.3, §10.5): single use, a replay revokes what the
//! code issued, bound to client and redirect_uri, short-lived (the clock decides), and the token
//! response is JSON that is never cached (§5.1).

mod common;

use common::*;

#[tokio::test]
async fn token_response_is_json_and_not_cacheable() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    let (status, body, headers) = redeem(&idp, &code).await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["refresh_token"].is_string() && body["id_token"].is_string());
}

#[tokio::test]
async fn reused_code_is_refused_and_revokes_its_tokens() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    let (_, first, _) = redeem(&idp, &code).await;
    let access = first["access_token"].as_str().unwrap();
    assert_eq!(api_me(&idp, access).await.status(), 200);
    let (status, body, _) = redeem(&idp, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        api_me(&idp, access).await.status(),
        401,
        "the first access token is revoked"
    );
    let (status, body, _) = token(
        &idp,
        CONF,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", first["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "and so is the refresh token"
    );
}

#[tokio::test]
async fn code_is_bound_to_its_client() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    let (status, body, _) = token(
        &idp,
        Auth::Post("post", POST_SECRET),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn redirect_uri_must_equal_the_authorization_requests() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    let (status, body, _) = token(
        &idp,
        CONF,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://app.example.com/other"),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let code = code_for(&idp, "conf", &[]).await;
    let (status, _, _) = token(
        &idp,
        CONF,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(
        status, 400,
        "omitting a redirect_uri that the authorization request had is refused"
    );
}

#[tokio::test]
async fn expired_code_is_invalid_grant() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    idp.state().clock.advance(61);
    let (status, body, _) = redeem(&idp, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(journal_has(&idp, "code_expired").await);
}

#[tokio::test]
async fn code_within_its_lifetime_still_works() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    idp.state().clock.advance(59);
    assert_eq!(redeem(&idp, &code).await.0, 200);
}

#[tokio::test]
async fn resource_narrows_the_audience() {
    let idp = start().await;
    let mcp = format!("{}/mcp", idp.issuer());
    let code = code_for(&idp, "conf", &[("resource", &mcp)]).await;
    let (status, body, _) = token(
        &idp,
        CONF,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("resource", &mcp),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let claims = jwt_claims(body["access_token"].as_str().unwrap());
    assert_eq!(claims["aud"], mcp.as_str());
    assert_eq!(
        api_me(&idp, body["access_token"].as_str().unwrap())
            .await
            .status(),
        401,
        "an /mcp token is not valid at /api"
    );
    let code = code_for(&idp, "conf", &[("resource", &mcp)]).await;
    let api = format!("{}/api", idp.issuer());
    let (status, body, _) = token(
        &idp,
        CONF,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("resource", &api),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_target"))
    );
}

#[tokio::test]
async fn path_issuer_codes_only_redeem_at_their_issuer() {
    let idp = start().await;
    let tenant = format!("{}/tenant1", idp.url());
    let resp = http()
        .get(format!("{tenant}/oauth/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    let p = location_params(&resp);
    assert_eq!(p["iss"], tenant);
    let (status, _, _) = redeem(&idp, &p["code"]).await;
    assert_eq!(status, 400, "a tenant1 code is refused by the root issuer");
}

fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let part = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap(),
    )
    .unwrap()
}

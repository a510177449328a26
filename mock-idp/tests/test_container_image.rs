//! The Docker image (Dockerfile, built by `docker compose build` or `bash .ci/docker.sh image`),
//! started with testcontainers as a user would start it: its own health check must turn it
//! healthy, the environment must reach the demo config (issuer and client secrets), and a real
//! authorization-code flow (PKCE, the login and consent forms, token, userinfo, refresh rotation)
//! and a client-credentials grant must work against it, tokens verified with its JWKS.
//!
//! Required when `CI` is set: no Docker daemon or no image fails the test. Elsewhere it is skipped,
//! with the reason printed, when no daemon answers or the image has not been built (building it
//! takes minutes: `docker compose build`). The image: `MOCK_IDP_IMAGE`, default
//! `authconform/mock-idp:latest` (what docker-compose.yml builds).
//! Timings are not asserted here: bench/docker.sh measures start-to-healthy.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::Value;
use testcontainers::bollard::Docker;
use testcontainers::core::{IntoContainerPort, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{GenericImage, ImageExt};

use common::{CHALLENGE, VERIFIER, http};

const DEFAULT_IMAGE: &str = "authconform/mock-idp:latest";
/// Not a reachable host: only names what metadata and tokens must say.
const ISSUER: &str = "http://idp.container.test:5001";
const DEMO_SECRET: &str = "demo-secret-from-the-environment";
const SERVICE_SECRET: &str = "service-secret-from-the-environment";
const DEMO_REDIRECT: &str = "http://localhost:8000/auth/redirect";

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn image_name() -> String {
    std::env::var("MOCK_IDP_IMAGE")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_string())
}

/// `name:tag` split at the tag's colon (a registry's port colon comes before the last slash).
fn split_image(image: &str) -> (String, String) {
    match image.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name.to_string(), tag.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    }
}

/// Why the test cannot run here, or None when the daemon answers and has the image.
async fn unavailable(image: &str) -> Option<String> {
    let docker = match Docker::connect_with_defaults() {
        Ok(d) => d,
        Err(e) => return Some(format!("no Docker daemon reachable: {e}")),
    };
    match tokio::time::timeout(Duration::from_secs(10), docker.ping()).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Some(format!("no Docker daemon reachable: {e}")),
        Err(_) => return Some("the Docker daemon did not answer a ping within 10 s".into()),
    }
    match tokio::time::timeout(Duration::from_secs(10), docker.inspect_image(image)).await {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(format!(
            "no image {image} ({e}); build it with `docker compose build` or `bash .ci/docker.sh image`"
        )),
        Err(_) => Some(format!("inspecting {image} took more than 10 s")),
    }
}

#[tokio::test]
async fn the_image_serves_the_demo_idp_and_a_real_flow() {
    let image = image_name();
    if let Some(why) = unavailable(&image).await {
        if required() {
            panic!("CI is set, so the container test is required: {why}");
        }
        eprintln!("skipped: the container test needs Docker and the image: {why}");
        return;
    }
    tokio::time::timeout(Duration::from_secs(180), run_against_the_image(&image))
        .await
        .expect("the container test finished within 180 s");
}

async fn run_against_the_image(image: &str) {
    let (name, tag) = split_image(image);
    // The image's own HEALTHCHECK (mock-idp health) decides when it is ready.
    let container = GenericImage::new(name, tag)
        .with_exposed_port(5001.tcp())
        .with_wait_for(WaitFor::healthcheck())
        .with_env_var("MOCK_IDP_ISSUER", ISSUER)
        .with_env_var("MOCK_IDP_DEMO_SECRET", DEMO_SECRET)
        .with_env_var("MOCK_IDP_SERVICE_SECRET", SERVICE_SECRET)
        .with_startup_timeout(Duration::from_secs(60))
        .start()
        .await
        .expect("the container starts and turns healthy");
    let host = container.get_host().await.expect("the container's host");
    let port = container
        .get_host_port_ipv4(5001.tcp())
        .await
        .expect("port 5001 is published");
    let base = format!("http://{host}:{port}");
    let http = http();

    // The environment reached the config: the discovery document names the issuer we set.
    let discovery: Value =
        get_json(&http, &format!("{base}/.well-known/openid-configuration")).await;
    assert_eq!(discovery["issuer"], ISSUER, "{discovery}");
    assert_eq!(
        discovery["token_endpoint"],
        format!("{ISSUER}/oauth/token"),
        "{discovery}"
    );
    let jwks: JwkSet = http
        .get(format!("{base}/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .expect("a JWK set");

    // The demo web UI is served.
    let home = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    assert!(
        home.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );

    authorization_code_flow(&http, &base, &jwks).await;
    client_credentials(&http, &base, &jwks).await;

    // The container logged its start (stderr, tracing) and nothing secret.
    let stderr = String::from_utf8_lossy(&container.stderr_to_vec().await.unwrap()).to_string();
    assert!(stderr.contains("mock-idp ready"), "{stderr}");
    for secret in [DEMO_SECRET, SERVICE_SECRET] {
        assert!(!stderr.contains(secret), "a client secret in the log");
    }
}

/// The demo's confidential client, as an agent toolkit would use it: authorize with PKCE, sign
/// in as alice on the login form, approve on the consent form, redeem the code
/// (client_secret_post, the secret from MOCK_IDP_DEMO_SECRET), userinfo, refresh with rotation.
async fn authorization_code_flow(http: &reqwest::Client, base: &str, jwks: &JwkSet) {
    let login = http
        .get(format!("{base}/oauth/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", "demo-confidential"),
            ("redirect_uri", DEMO_REDIRECT),
            ("scope", "openid profile email"),
            ("state", "container-state"),
            ("nonce", "container-nonce"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200, "the login page");
    let page = login.text().await.unwrap();
    let request_id = hidden_value(&page, "mockidp_request");

    let consent = http
        .post(format!("{base}/oauth/authorize"))
        .form(&[
            ("mockidp_request", request_id.as_str()),
            ("action", "login"),
            ("username", "alice"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), 200, "the consent page");
    let cookie = consent
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_string();
    let consent_page = consent.text().await.unwrap();
    assert!(
        consent_page.contains("Approve"),
        "a consent form: {consent_page}"
    );

    let approved = http
        .post(format!("{base}/oauth/authorize"))
        .header("cookie", cookie)
        .form(&[
            ("mockidp_request", request_id.as_str()),
            ("action", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), 303, "approval redirects to the client");
    let location = approved.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(DEMO_REDIRECT), "{location}");
    let params = query_params(&location);
    assert_eq!(params["state"], "container-state");
    assert_eq!(params["iss"], ISSUER, "RFC 9207 iss names the issuer");
    let code = params["code"].clone();

    let (status, tokens) = token(
        http,
        base,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", DEMO_REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_id", "demo-confidential"),
            ("client_secret", DEMO_SECRET),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().expect("an access token");
    let claims = verify(jwks, access, &format!("{ISSUER}/api"));
    assert_eq!(claims["client_id"], "demo-confidential");
    let id_claims = verify(
        jwks,
        tokens["id_token"].as_str().unwrap(),
        "demo-confidential",
    );
    assert_eq!(id_claims["nonce"], "container-nonce");
    assert_eq!(id_claims["sub"], claims["sub"]);

    let userinfo: Value = http
        .get(format!("{base}/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(userinfo["sub"], claims["sub"], "{userinfo}");
    assert_eq!(userinfo["email"], "alice@example.com", "{userinfo}");

    // Refresh rotates: the new refresh token works once, the old one no more.
    let old_refresh = tokens["refresh_token"].as_str().expect("a refresh token");
    let refresh = |rt: String| async move {
        token(
            http,
            base,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &rt),
                ("client_id", "demo-confidential"),
                ("client_secret", DEMO_SECRET),
            ],
        )
        .await
    };
    let (status, refreshed) = refresh(old_refresh.to_string()).await;
    assert_eq!(status, 200, "{refreshed}");
    assert_ne!(refreshed["refresh_token"], tokens["refresh_token"]);
    let (status, replay) = refresh(old_refresh.to_string()).await;
    assert_eq!(status, 400, "{replay}");
    assert_eq!(replay["error"], "invalid_grant");

    // The default demo secret is not the one the environment set.
    let (status, refused) = token(
        http,
        base,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "whatever"),
            ("client_id", "demo-confidential"),
            ("client_secret", "demo-secret"),
        ],
    )
    .await;
    assert_eq!(status, 401, "{refused}");
    assert_eq!(refused["error"], "invalid_client");
}

/// The demo service account (client_secret_basic, the secret from MOCK_IDP_SERVICE_SECRET).
async fn client_credentials(http: &reqwest::Client, base: &str, jwks: &JwkSet) {
    let resp = http
        .post(format!("{base}/oauth/token"))
        .basic_auth("demo-service", Some(SERVICE_SECRET))
        .form(&[("grant_type", "client_credentials"), ("scope", "read")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    let claims = verify(
        jwks,
        body["access_token"].as_str().unwrap(),
        &format!("{ISSUER}/api"),
    );
    assert_eq!(claims["client_id"], "demo-service");
    assert_eq!(claims["scope"], "read");
}

async fn get_json(http: &reqwest::Client, url: &str) -> Value {
    let resp = http.get(url).send().await.unwrap();
    assert_eq!(resp.status(), 200, "GET {url}");
    resp.json().await.unwrap()
}

async fn token(http: &reqwest::Client, base: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let resp = http
        .post(format!("{base}/oauth/token"))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn verify(jwks: &JwkSet, token: &str, aud: &str) -> Value {
    let header = decode_header(token).unwrap();
    let kid = header.kid.clone().expect("kid in header");
    let jwk = jwks.find(&kid).expect("kid published in /jwks");
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut v = Validation::new(header.alg);
    assert_eq!(header.alg, Algorithm::ES256, "the demo signs with ES256");
    // The container and this test read the same kernel clock.
    v.leeway = 5;
    v.set_audience(&[aud]);
    v.set_issuer(&[ISSUER]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    decode::<Value>(token, &key, &v)
        .expect("the token verifies against /jwks")
        .claims
}

fn hidden_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("a hidden {name} field in {page}"))
        + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

fn query_params(url: &str) -> HashMap<String, String> {
    let parsed = url::Url::parse(url).unwrap();
    parsed.query_pairs().into_owned().collect()
}

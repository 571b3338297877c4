//! Access and refresh tokens: every forgery refused, rotation works, reuse ends the session.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use gongzhi_api::config::DEMO_JWT_SECRET;
use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::production::production;
use gongzhi_tests::{Backend, TestApp, spawn_app};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

const ME: &str = "{ me { id name } }";
const REFRESH: &str = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";

async fn me(app: &TestApp, token: &str) -> Value {
    app.gql(Some(token), ME, json!({})).await
}

pub(crate) fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("json")
}

pub(crate) fn forge(alg: Algorithm, kid: Option<&str>, claims: &Value, secret: &str) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    encode(&header, claims, &EncodingKey::from_secret(secret.as_bytes())).expect("encode")
}

#[tokio::test]
async fn a_valid_token_reads_me_and_no_token_is_unauthenticated() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("resident").await;

    assert_eq!(me(&app, &token).await["data"]["me"]["name"], "蒋居民");
    let anonymous = app.gql(None, ME, json!({})).await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));
    assert_eq!(error_message(&anonymous), Some("请先登录"));
}

#[tokio::test]
async fn an_access_token_expires_after_fifteen_minutes() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("resident").await;

    app.clock.advance(Duration::minutes(14));
    assert!(me(&app, &token).await["data"]["me"].is_object());
    app.clock.advance(Duration::minutes(1));
    let expired = me(&app, &token).await;

    assert_eq!(error_code(&expired), Some("UNAUTHENTICATED"));
    assert_eq!(error_message(&expired), Some("登录已过期，请刷新或重新登录"));
}

#[tokio::test]
async fn forged_and_tampered_tokens_are_refused() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("resident").await;
    let claims = claims_of(&token);
    let with = |key: &str, value: Value| {
        let mut c = claims.clone();
        c[key] = value;
        c
    };
    let mut without_exp = claims.clone();
    without_exp.as_object_mut().expect("object").remove("exp");
    let header_none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT","kid":"demo"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let parts: Vec<&str> = token.split('.').collect();
    let tampered_payload =
        URL_SAFE_NO_PAD.encode(with("sub", json!("01920000-0000-7000-8000-000000000001")).to_string());

    let forgeries = [
        ("tampered payload", format!("{}.{}.{}", parts[0], tampered_payload, parts[2])),
        ("alg none", format!("{header_none}.{payload}.")),
        ("wrong algorithm", forge(Algorithm::HS384, Some("demo"), &claims, DEMO_JWT_SECRET)),
        ("wrong audience", forge(Algorithm::HS256, Some("demo"), &with("aud", json!("someone-else")), DEMO_JWT_SECRET)),
        ("wrong issuer", forge(Algorithm::HS256, Some("demo"), &with("iss", json!("evil")), DEMO_JWT_SECRET)),
        ("no expiry", forge(Algorithm::HS256, Some("demo"), &without_exp, DEMO_JWT_SECRET)),
        ("unknown key id", forge(Algorithm::HS256, Some("other"), &claims, DEMO_JWT_SECRET)),
        ("no key id", forge(Algorithm::HS256, None, &claims, DEMO_JWT_SECRET)),
        ("wrong secret", forge(Algorithm::HS256, Some("demo"), &claims, "an-entirely-different-secret-of-32-bytes")),
        ("garbage", "not.a.token".to_owned()),
    ];

    for (what, forged) in forgeries {
        let body = me(&app, &forged).await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{what}: {body}");
    }
    assert!(me(&app, &forge(Algorithm::HS256, Some("demo"), &claims, DEMO_JWT_SECRET)).await["data"]["me"].is_object());
}

#[tokio::test]
async fn a_retired_key_still_verifies_while_a_new_key_signs() {
    let old_secret = "old-key-secret-that-is-at-least-32-bytes";
    let new_secret = "new-key-secret-that-is-at-least-32-bytes";
    let old = gongzhi_tests::spawn_app_with(Backend::Sqlite, |s| {
        s.jwt.keys = format!("k1:{old_secret}").into();
        s.jwt.active_kid = "k1".into();
    })
    .await
    .expect("app");
    let old_token = old.login_as("resident").await;
    let claims = claims_of(&old_token);

    let rotated = gongzhi_tests::spawn_app_with(Backend::Sqlite, |s| {
        s.jwt.keys = format!("k1:{old_secret},k2:{new_secret}").into();
        s.jwt.active_kid = "k2".into();
        s.database_url = Some(old.db.url.clone());
    })
    .await
    .expect("app");
    let new_token = rotated.login_as("resident").await;

    assert!(me(&rotated, &forge(Algorithm::HS256, Some("k1"), &claims, old_secret)).await["data"]["me"].is_object());
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(new_token.split('.').next().expect("header")).expect("b64"))
            .expect("json");
    assert_eq!(header["kid"], "k2");
    assert_eq!(header["alg"], "HS256");
}

#[tokio::test]
async fn a_refresh_token_rotates_and_its_reuse_revokes_the_whole_session() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let (access, first_refresh) = app.login_tokens("resident").await;

    let rotated = app.gql(None, REFRESH, json!({ "t": first_refresh })).await;
    let second_access = rotated["data"]["refreshSession"]["accessToken"].as_str().expect("access").to_owned();
    let second_refresh = rotated["data"]["refreshSession"]["refreshToken"].as_str().expect("refresh").to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert!(me(&app, &second_access).await["data"]["me"].is_object());

    let reuse = app.gql(None, REFRESH, json!({ "t": first_refresh })).await;
    assert_eq!(error_code(&reuse), Some("UNAUTHENTICATED"));
    assert_eq!(
        app.gql_lang(None, REFRESH, json!({ "t": second_refresh }), Some("en")).await["errors"][0]["message"],
        "This session has ended; log in again"
    );
    assert_eq!(error_code(&me(&app, &second_access).await), Some("UNAUTHENTICATED"), "the family is revoked");
    assert_eq!(error_code(&me(&app, &access).await), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn an_unknown_or_expired_refresh_token_is_refused() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let (_, refresh) = app.login_tokens("resident").await;

    assert_eq!(error_code(&app.gql(None, REFRESH, json!({ "t": "made-up" })).await), Some("UNAUTHENTICATED"));
    app.clock.advance(Duration::days(31));
    assert_eq!(error_code(&app.gql(None, REFRESH, json!({ "t": refresh })).await), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn logout_ends_the_session_for_access_and_refresh_tokens() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let (access, refresh) = app.login_tokens("resident").await;
    let other_session = app.login_as("resident").await;

    let out = app.gql(Some(&access), "mutation { logout }", json!({})).await;

    assert_eq!(out["data"]["logout"], true);
    assert_eq!(error_code(&me(&app, &access).await), Some("UNAUTHENTICATED"));
    assert_eq!(error_code(&app.gql(None, REFRESH, json!({ "t": refresh })).await), Some("UNAUTHENTICATED"));
    assert!(me(&app, &other_session).await["data"]["me"].is_object(), "other sessions are untouched");
}

#[tokio::test]
async fn dev_login_is_refused_outside_the_demo_profile() {
    let app =
        gongzhi_tests::spawn_app_with(Backend::Sqlite, |s| production(s, "http://127.0.0.1:9")).await.expect("app");

    let body = app.gql(None, "mutation { devLogin(as: \"resident\") { accessToken } }", json!({})).await;

    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
}

#[tokio::test]
async fn refresh_rotation_works_on_postgres() {
    let Some(app) = spawn_app(Backend::Postgres).await else { return };
    let (_, refresh) = app.login_tokens("owner").await;

    let rotated = app.gql(None, REFRESH, json!({ "t": refresh })).await;
    let reuse = app.gql(None, REFRESH, json!({ "t": refresh })).await;

    assert!(rotated["data"]["refreshSession"]["accessToken"].is_string(), "{rotated}");
    assert_eq!(error_code(&reuse), Some("UNAUTHENTICATED"));
}

//! WeChat login against a fake WeChat server on loopback.

use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{Backend, on_both, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const LOGIN: &str =
    "mutation($code: String!) { loginWithWeChat(code: $code) { accessToken refreshToken person { id } } }";

async fn login(app: &gongzhi_tests::TestApp, code: &str) -> Value {
    app.gql(None, LOGIN, json!({ "code": code })).await
}

#[tokio::test]
async fn a_first_login_creates_a_person_and_the_next_login_finds_the_same_one() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");

    let first = login(&app, "ok:oAbCdEfGh12345").await;
    let second = login(&app, "ok:oAbCdEfGh12345").await;

    let token = first["data"]["loginWithWeChat"]["accessToken"].as_str().expect("token");
    assert_eq!(first["data"]["loginWithWeChat"]["person"]["id"], second["data"]["loginWithWeChat"]["person"]["id"]);
    let me = app.gql(Some(token), "{ me { id roles { role } } }", json!({})).await;
    assert_eq!(me["data"]["me"]["id"], first["data"]["loginWithWeChat"]["person"]["id"]);
    assert_eq!(me["data"]["me"]["roles"], json!([]));
    assert_eq!(app.wechat.calls(), 2);
    assert_eq!(app.wechat.last_secret.lock().expect("lock").as_deref(), Some(gongzhi_api::config::DEMO_WECHAT_SECRET));
}

#[tokio::test]
async fn each_wechat_error_code_becomes_a_clear_coded_error() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
    for (code, expected) in [
        ("err:40029", "BAD_USER_INPUT"),
        ("err:45011", "RATE_LIMITED"),
        ("err:40226", "FORBIDDEN"),
        ("err:-1", "UNAVAILABLE"),
        ("err:40163", "UNAVAILABLE"),
        ("garbage", "UNAVAILABLE"),
        ("noid", "UNAVAILABLE"),
    ] {
        let body = login(&app, code).await;
        assert_eq!(error_code(&body), Some(expected), "{code}: {body}");
        assert!(body["data"].is_null(), "{code}: no tokens on failure");
        let message = error_message(&body).unwrap_or_default();
        assert!(!message.contains(gongzhi_api::config::DEMO_WECHAT_SECRET), "the secret never reaches a client");
    }
    let rate_limited = app.gql_lang(None, LOGIN, json!({ "code": "err:45011" }), Some("en")).await;
    assert_eq!(error_message(&rate_limited), Some("Too many login attempts; try again later"));
    let invalid = login(&app, "err:40029").await;
    assert_eq!(error_message(&invalid), Some("微信登录凭证无效或已过期，请重新登录"));
}

#[tokio::test]
async fn a_wechat_that_never_answers_gives_unavailable_after_the_timeout() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.wechat.timeout_ms = 300).await.expect("sqlite app");

    let body = login(&app, "hang").await;

    assert_eq!(error_code(&body), Some("UNAVAILABLE"), "{body}");
    let en = app.gql_lang(None, LOGIN, json!({ "code": "hang" }), Some("en-US")).await;
    assert_eq!(error_message(&en), Some("WeChat did not answer in time; try again shortly"));
}

#[tokio::test]
async fn a_malformed_code_is_refused_without_calling_wechat() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");

    for code in ["", "has space", &"x".repeat(200)] {
        let body = login(&app, code).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{code:?}");
    }

    assert_eq!(app.wechat.calls(), 0);
}

#[tokio::test]
async fn login_works_on_postgres_too() {
    let Some(app) = spawn_app(Backend::Postgres).await else { return };

    let body = login(&app, "ok:oPostgres12345").await;

    assert!(body["data"]["loginWithWeChat"]["accessToken"].is_string(), "{body}");
}

on_both!(a_logins_payload_is_answered_for_the_person_who_just_logged_in, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let payload = "accessToken person { name roles { role place { name } } }";

    let dev = app.gql(None, &format!("mutation {{ devLogin(as: \"rc_staff\") {{ {payload} }} }}"), json!({})).await;
    let wechat = app
        .gql(
            None,
            &format!("mutation($c: String!) {{ loginWithWeChat(code: $c) {{ {payload} }} }}"),
            json!({ "c": "ok:oPayload0001" }),
        )
        .await;
    let (_, refresh) = app.login_tokens("owner").await;
    let renewed = app
        .gql(
            None,
            &format!("mutation($r: String!) {{ refreshSession(refreshToken: $r) {{ {payload} }} }}"),
            json!({ "r": refresh }),
        )
        .await;

    for body in [&dev, &wechat, &renewed] {
        assert!(body.get("errors").is_none(), "the payload resolved without its session: {body}");
    }
    let roles =
        |body: &Value, field: &str| body["data"][field]["person"]["roles"].as_array().cloned().unwrap_or_default();
    assert!(roles(&dev, "devLogin").iter().any(|grant| grant["role"] == "RESIDENTS_COMMITTEE_STAFF"), "{dev}");
    assert_eq!(roles(&wechat, "loginWithWeChat"), Vec::<Value>::new(), "a new person holds nothing yet");
    assert!(!roles(&renewed, "refreshSession").is_empty(), "{renewed}");
});

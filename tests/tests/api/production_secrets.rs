//! The production profile refuses to start on a secret anyone could guess, not only on the demo's own:
//! each JWT key, the WeChat app secret and the gateway's secret are judged by their estimated entropy
//! (`gongzhi_api::secret_strength`), and the refusal names the variable and says why.

use gongzhi_api::config::Settings;
use gongzhi_api::startup::Application;
use gongzhi_tests::production::{JWT_SECRET, production};
use gongzhi_tests::{Backend, spawn_app_with};
use serde_json::json;

/// Why a production start with strong secrets, then `weaken` applied, is refused ("" when it starts).
async fn refusal(weaken: impl FnOnce(&mut Settings)) -> String {
    let mut settings = Settings { bind: "127.0.0.1:0".into(), ..Settings::default() };
    production(&mut settings, "https://gateway.example.cn");
    weaken(&mut settings);
    Application::build(settings).await.err().map(|e| e.to_string()).unwrap_or_default()
}

#[tokio::test]
async fn a_one_character_wechat_secret_is_refused() {
    let message = refusal(|s| s.wechat.app_secret = "x".to_owned().into()).await;

    assert!(message.contains("WECHAT_APP_SECRET"), "{message}");
    assert!(message.contains("too easy to guess"), "{message}");
}

#[tokio::test]
async fn a_jwt_key_of_one_letter_repeated_is_refused_even_when_it_only_verifies() {
    let one_letter = "a".repeat(36);

    let signing = refusal(|s| s.jwt.keys = format!("p1:{one_letter}").into()).await;
    let retired = refusal(|s| s.jwt.keys = format!("p1:{JWT_SECRET},old:{one_letter}").into()).await;

    assert!(signing.contains("GONGZHI_JWT__KEYS") && signing.contains("\"p1\""), "{signing}");
    assert!(retired.contains("GONGZHI_JWT__KEYS") && retired.contains("\"old\""), "{retired}");
}

#[tokio::test]
async fn a_gateway_secret_of_sixteen_zeros_is_refused() {
    let message = refusal(|s| s.outbox.gateway_secret = Some("0".repeat(16).into())).await;

    assert!(message.contains("GATEWAY_SECRET") && message.contains("too easy to guess"), "{message}");
}

#[tokio::test]
async fn real_secrets_start_and_serve() {
    let app = spawn_app_with(Backend::Sqlite, |s| production(s, "http://127.0.0.1:9")).await.expect("app");

    let body = app.gql(None, "{ __typename }", json!({})).await;

    assert!(body["data"]["__typename"].is_string(), "{body}");
}

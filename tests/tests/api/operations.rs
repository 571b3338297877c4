//! Health, readiness, metrics and the production profile's refusals.

use gongzhi_api::config::{Profile, Settings};
use gongzhi_api::startup::Application;
use gongzhi_tests::backend::service_url;
use gongzhi_tests::production::production;
use gongzhi_tests::{Backend, spawn_app, spawn_app_with};
use serde_json::{Value, json};

async fn get_json(app: &gongzhi_tests::TestApp, path: &str) -> (u16, Value) {
    let response = app.client.get(format!("{}{path}", app.address)).send().await.expect("sent");
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn liveness_and_readiness_report_the_database() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");

    let (live, _) = get_json(&app, "/healthz").await;
    let (ready, body) = get_json(&app, "/readyz").await;

    let response = app.client.get(format!("{}/healthz", app.address)).send().await.expect("sent");
    assert!(response.headers().get("x-request-id").is_some(), "every response names its request id");
    assert_eq!(live, 200);
    assert_eq!(ready, 200);
    assert_eq!(body, json!({ "status": "ok", "database": "ok", "redis": "not_configured" }));
}

#[tokio::test]
async fn readiness_reports_redis_when_configured() {
    let Some(redis) = service_url("TEST_REDIS_URL") else { return };
    let app = spawn_app_with(Backend::Sqlite, |s| s.redis_url = Some(redis)).await.expect("app");

    let (status, body) = get_json(&app, "/readyz").await;

    assert_eq!(status, 200);
    assert_eq!(body["redis"], "ok", "{body}");
}

#[tokio::test]
async fn a_dead_redis_makes_the_service_degraded_not_unready() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.redis_url = Some("redis://127.0.0.1:1".into())).await.expect("app");

    let (status, body) = get_json(&app, "/readyz").await;

    assert_eq!(status, 200);
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["redis"], "unavailable");
}

#[tokio::test]
async fn metrics_count_requests_by_kind_and_root_field_and_errors_by_code() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let _ = app
        .client
        .post(app.graphql_url())
        .json(&json!({ "query": "query WhoAmI { me { id } }", "operationName": "WhoAmI" }))
        .send()
        .await;

    let text =
        app.client.get(format!("{}/metrics", app.address)).send().await.expect("sent").text().await.expect("text");

    assert!(text.contains(r#"gongzhi_graphql_requests_total{operation="query.me"} 1"#), "{text}");
    assert!(text.contains(r#"gongzhi_graphql_errors_total{code="UNAUTHENTICATED"} 1"#), "{text}");
    assert!(text.contains("gongzhi_db_pool_connections"));
    let statements = text
        .lines()
        .find_map(|line| line.strip_prefix("gongzhi_db_statements_total "))
        .and_then(|n| n.parse::<u64>().ok());
    // Requests' statements and background work's (decision 163).
    let run = app.store.statements_run() + app.store.background_statements_run();
    assert!(statements.is_some_and(|n| n > 0 && n <= run), "{text}");
}

/// The value of one sample in a Prometheus text, if it is there.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_tell_which_cache_layer_answered_a_read_and_how_long_sql_took() {
    // Arrange: the embedded default, whose cache is in process; a resident of the demo's 锦绣花园.
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let staff = app.login_as("rc_staff").await;
    let jinxiu = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let resident = app.login_as("resident").await;
    let feed = "query($p: ID!) { topics(placeId: $p, first: 20, sort: MOST_CO_SIGNED) { edges { node { id } } } }";

    // Act: the same feed page three times (a different sort from the walkthrough's, so nothing is warm).
    for _ in 0..3 {
        let body = app.gql(Some(&resident), feed, json!({ "p": jinxiu })).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let text =
        app.client.get(format!("{}/metrics", app.address)).send().await.expect("sent").text().await.expect("text");

    // Assert: the first read filled from the database, the later ones were answered in process, and the
    // statements that ran took time.
    let layer = |name: &str| sample(&text, &format!("gongzhi_cache_reads_total{{layer=\"{name}\"}}"));
    assert!(layer("database").is_some_and(|n| n >= 1.0), "{text}");
    assert!(layer("near").is_some_and(|n| n >= 1.0), "{text}");
    assert_eq!(layer("shared"), Some(0.0), "nothing is shared without Redis: {text}");
    assert!(sample(&text, "gongzhi_db_statement_seconds_total").is_some_and(|s| s > 0.0), "{text}");
}

#[tokio::test]
async fn metrics_count_the_outbox_by_status_and_the_messages_a_worker_settled() {
    let app = gongzhi_tests::spawn_app_with(Backend::Sqlite, |s| {
        s.outbox.worker_in_serve = true;
        s.outbox.idle_ms = 20;
    })
    .await
    .expect("app");
    let staff = app.login_as("rc_staff").await;
    let topic = gongzhi_tests::app::demo_topic(&app, &staff, "电动车").await;
    let accepted = app
        .gql(
            Some(&staff),
            "mutation($t: ID!, $plan: PlanInput!) { acceptTopic(topicId: $t, plan: $plan) { ok } }",
            json!({ "t": topic, "plan": { "form": "COORDINATION_MEETING", "parties": ["RESIDENTS_COMMITTEE"],
                    "startsOn": "2026-11-23", "endsOn": "2026-11-30" } }),
        )
        .await;
    assert_eq!(accepted["data"]["acceptTopic"]["ok"], true, "{accepted}");

    assert!(app.sent_at_least(2, std::time::Duration::from_secs(5)).await, "the worker delivered both");
    let text =
        app.client.get(format!("{}/metrics", app.address)).send().await.expect("sent").text().await.expect("text");

    assert!(text.contains(r#"gongzhi_outbox_messages{status="sent"} 2"#), "{text}");
    assert!(text.contains(r#"gongzhi_outbox_messages{status="queued"} 0"#), "{text}");
    assert!(
        text.contains(r#"gongzhi_outbox_messages_settled_total{channel="wechat_subscribe",result="sent"} 2"#),
        "{text}"
    );
    assert!(text.contains("gongzhi_outbox_delivery_latency_seconds_count"), "{text}");
}

#[tokio::test]
async fn the_production_profile_refuses_to_start_with_demo_secrets() {
    let settings = Settings { profile: Profile::Production, bind: "127.0.0.1:0".into(), ..Settings::default() };

    let refused = Application::build(settings).await;

    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("demo JWT key"), "{message}");
}

#[tokio::test]
async fn the_production_profile_refuses_to_start_without_a_messaging_gateway() {
    let mut settings = Settings { bind: "127.0.0.1:0".into(), ..Settings::default() };
    production(&mut settings, "https://gateway.example.cn");
    let mut short_secret = settings.clone();
    short_secret.outbox.gateway_secret = Some("short".to_owned().into());
    (settings.outbox.gateway_url, settings.outbox.gateway_secret) = (None, None);

    let without = Application::build(settings).await.err().map(|e| e.to_string()).unwrap_or_default();
    let short = Application::build(short_secret).await.err().map(|e| e.to_string()).unwrap_or_default();

    assert!(without.contains("GATEWAY_URL"), "{without}");
    assert!(short.contains("GATEWAY_SECRET"), "{short}");
}

#[tokio::test]
async fn the_production_profile_hides_introspection_and_graphiql() {
    let app = spawn_app_with(Backend::Sqlite, |s| production(s, "http://127.0.0.1:9")).await.expect("app");

    let introspection = app.gql(None, "{ __schema { types { name } } }", json!({})).await;
    let graphiql = app.client.get(app.graphql_url()).send().await.expect("sent");
    let demo = spawn_app(Backend::Sqlite).await.expect("app");
    let demo_graphiql = demo.client.get(demo.graphql_url()).send().await.expect("sent");

    assert_eq!(introspection["data"]["__schema"], Value::Null, "no schema is revealed: {introspection}");
    assert_eq!(graphiql.status().as_u16(), 400);
    assert_eq!(demo_graphiql.status().as_u16(), 200);
    assert!(demo_graphiql.text().await.unwrap_or_default().contains("graphiql"));
}

//! `/metrics` tells how far each event-log consumer is behind the log's head.

use gongzhi_infra::event_log::{Consumer, LoggedEvent};
use gongzhi_tests::Backend;
use serde_json::json;

/// Handles everything, doing nothing.
struct Idle;

#[async_trait::async_trait]
impl Consumer for Idle {
    fn name(&self) -> &'static str {
        "idle"
    }

    async fn handle(&self, _: &sea_orm::DatabaseTransaction, _: &[LoggedEvent]) -> gongzhi_infra::Result<()> {
        Ok(())
    }
}

async fn scrape(app: &gongzhi_tests::app::TestApp) -> String {
    app.client.get(format!("{}/metrics", app.address)).send().await.expect("sent").text().await.expect("text")
}

#[tokio::test]
async fn metrics_show_each_event_consumers_lag() {
    let app = gongzhi_tests::spawn_app(Backend::Sqlite).await.expect("app");
    while app.store.consume_once(&Idle, 500).await.expect("consumed") > 0 {}
    assert!(scrape(&app).await.contains(r#"gongzhi_event_consumer_lag{consumer="idle"} 0"#), "caught up");

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

    let text = scrape(&app).await;
    assert!(text.contains(r#"gongzhi_event_consumer_lag{consumer="idle"} 1"#), "one step, one event behind: {text}");
    while app.store.consume_once(&Idle, 500).await.expect("consumed") > 0 {}
    assert!(scrape(&app).await.contains(r#"gongzhi_event_consumer_lag{consumer="idle"} 0"#));
}

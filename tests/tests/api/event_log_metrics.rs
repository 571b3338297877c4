//! `/metrics` tells how far each event-log consumer is behind the log's head.

use gongzhi_infra::event_log::{Consumer, LoggedEvent};
use gongzhi_tests::Backend;
use serde_json::json;

use crate::pipeline_support::{ACCEPT, act, done, plan};

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
    done(&act(&app, &staff, ACCEPT, json!({ "t": topic, "plan": plan() })).await);

    let text = scrape(&app).await;
    assert!(text.contains(r#"gongzhi_event_consumer_lag{consumer="idle"} 1"#), "one step, one event behind: {text}");
    while app.store.consume_once(&Idle, 500).await.expect("consumed") > 0 {}
    assert!(scrape(&app).await.contains(r#"gongzhi_event_consumer_lag{consumer="idle"} 0"#));
}

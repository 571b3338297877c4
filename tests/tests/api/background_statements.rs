//! The event log's consumers run as background work, whose statements are counted apart from requests'
//! (decision 163): a request costs the statements it ran, whether or not the consumers are working at
//! the same moment.

use gongzhi_infra::background::in_background;
use gongzhi_infra::outbox::WebhookFeed;
use gongzhi_tests::{Backend, TestApp, on_both, spawn_app_with};
use serde_json::json;

use crate::pipeline_support::{category, demo, raise, topic_input};

async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |settings| {
        settings.cache.authority_seconds = 0;
        // The test runs the consumers itself, at the moment it chooses.
        settings.events.pump_in_serve = false;
        settings.outbox.worker_in_serve = false;
    })
    .await
}

const READ: &str = "query($id: ID!) { node(id: $id) { ... on Topic { id title stage } } }";

on_both!(a_request_costs_the_same_statements_while_the_log_s_consumers_work, |backend| async move {
    let Some(app) = spawn(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let repairs = category(&app, &staff, &places.community, "repairs").await;
    let mut topics = Vec::new();
    for n in 0..5 {
        topics.push(raise(&app, &resident, topic_input(&places.jinxiu, &repairs, &format!("楼道灯坏了 {n}"))).await);
    }
    let read = || app.gql(Some(&resident), READ, json!({ "id": topics[0] }));
    // Once to warm whatever a first read fills, then counted.
    read().await;
    let before = app.store.statements_run();
    read().await;
    let alone = app.store.statements_run() - before;

    let (before, background_before) = (app.store.statements_run(), app.store.background_statements_run());
    let consuming = in_background(async {
        let mut handled = 0;
        while let Ok(n @ 1..) = app.store.consume_once(&WebhookFeed, 10).await {
            handled += n;
        }
        handled
    });
    let (body, handled) = tokio::join!(read(), consuming);
    let during = app.store.statements_run() - before;
    let background = app.store.background_statements_run() - background_before;

    assert!(body.get("errors").is_none(), "{body}");
    assert!(handled >= 5, "the consumer worked through the backlog meanwhile: {handled}");
    assert!(background > 0, "its statements were counted, apart");
    assert_eq!(during, alone, "the request's count holds only the request's statements");
});

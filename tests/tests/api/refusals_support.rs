//! Helpers for the refusal tests: a topic with a task, and reading a mutation's payload.

use chrono::Duration;
use gongzhi_domain::clock::Clock;
use gongzhi_tests::TestApp;
use serde_json::{Value, json};

use crate::votes_support::jinxiu_topic;

/// The payload of the one mutation in `body`; it must be there.
pub fn payload<'a>(body: &'a Value, field: &str) -> &'a Value {
    let payload = &body["data"][field];
    assert!(payload.is_object(), "no {field} payload: {body}");
    payload
}

/// The refusal code of a payload that must have been refused; nothing else is in it.
pub fn refusal_code<'a>(body: &'a Value, field: &str, record: &str) -> &'a str {
    let payload = payload(body, field);
    assert_eq!(payload["ok"], false, "{field} was not refused: {body}");
    assert!(payload[record].is_null(), "a refused {field} carries no {record}: {body}");
    assert!(payload["refusal"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    payload["refusal"]["code"].as_str().unwrap_or_else(|| panic!("no refusal code: {body}"))
}

/// The record of a payload that must have been done.
pub fn done<'a>(body: &'a Value, field: &str, record: &str) -> &'a Value {
    let payload = payload(body, field);
    assert_eq!(payload["ok"], true, "{field} was refused: {body}");
    &payload[record]
}

/// The demo's parking topic of 锦绣花园 resolved by `rc_staff` and implementing, with one task of the
/// property company due after `due`: the topic's and the task's ids.
pub async fn implementing(app: &TestApp, due: Duration) -> (String, String) {
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(app, &staff).await;
    let resolved = app
        .gql(
            Some(&staff),
            "mutation($t: ID!) { resolveTopic(topicId: $t, decision: \"划定电动车停放区\", minutes: \"联席会议一致同意。\") { ok refusal { code } } }",
            json!({ "t": topic }),
        )
        .await;
    assert_eq!(resolved["data"]["resolveTopic"]["ok"], true, "{resolved}");
    let due_at = (app.clock.now() + due).to_rfc3339();
    let started = app
        .gql(
            Some(&staff),
            "mutation($t: ID!, $due: DateTime!) { startImplementation(topicId: $t, tasks: [{ owner: PROPERTY_COMPANY, title: \"划线\", criteria: \"停放区划线完成\", dueAt: $due }]) { ok refusal { code } topic { tasks { id } } } }",
            json!({ "t": topic, "due": due_at }),
        )
        .await;
    let task = started["data"]["startImplementation"]["topic"]["tasks"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no task: {started}"))
        .to_owned();
    (topic, task)
}

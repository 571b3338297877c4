//! A co-sign costs a fixed, small number of SQL statements, counted as in `read_path_statements` (every
//! statement the app's store runs while one `POST /graphql` is served), with the read cache and the
//! authority snapshot on as in production, so the caller's session is held and not read again:
//!
//! | statement                                                          |
//! |--------------------------------------------------------------------|
//! | the topic                                                          |
//! | its place with its compound's facts (who may co-sign)              |
//! | the co-signature                                                   |
//! | the count, `RETURNING` the row the answer shows                    |
//! | the timeline's event                                               |
//! | the event log's flush (decision 64): its own statements            |
//!
//! The write knows the topic's place once it has read it, so committing it reads no place, neither for
//! the cache's counters nor for the log's event (`TopicWrite::placed`); and the count returns the row
//! rather than reading it again. The co-sign mutation's answer (`topic { id coSignCount }`) costs nothing
//! more. Issue 16 asks for at most 3 in all; what remains above that is written down in
//! docs/decisions.md (decision 95).

use gongzhi_tests::{TestApp, on_both, spawn_app_with};
use serde_json::json;

use crate::pipeline_support::{category, demo, raise, topic_input};

/// The co-sign's own statements (the five in the table).
const OWN: u64 = 5;
/// The event log's flush as it stands: the rows, and on SQLite the sequence row too (PostgreSQL numbers
/// the rows after commit, decision 87). The event's place path comes with the write, which read it to
/// authorize the co-sign (`TopicWrite::placed`).
fn log_statements(backend: gongzhi_tests::Backend) -> u64 {
    match backend {
        gongzhi_tests::Backend::Postgres => 1,
        gongzhi_tests::Backend::Sqlite => 2,
    }
}

const CO_SIGN: &str = "mutation($t: ID!) { coSignTopic(topicId: $t) { ok refusal { code } topic { id coSignCount } } }";

async fn counted(app: &TestApp, token: &str, topic: &str) -> (serde_json::Value, u64) {
    let before = app.store.statements_run();
    let body = app.gql(Some(token), CO_SIGN, json!({ "t": topic })).await;
    (body, app.store.statements_run() - before)
}

on_both!(a_co_sign_costs_a_fixed_number_of_statements, |backend| async move {
    let Some(app) = spawn_app_with(backend, |settings| {
        // The log's consumers run statements of their own after each write: not the co-sign's cost.
        settings.events.pump_in_serve = false;
    })
    .await
    else {
        return;
    };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let repairs = category(&app, &staff, &places.community, "repairs").await;
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    let mut costs = Vec::new();
    for n in 0..3 {
        let topic = raise(&app, &owner, topic_input(&places.jinxiu, &repairs, &format!("第{n}号：楼道灯坏了"))).await;
        let (body, cost) = counted(&app, &resident, &topic).await;
        assert_eq!(body["data"]["coSignTopic"]["ok"], true, "{body}");
        assert_eq!(body["data"]["coSignTopic"]["topic"]["coSignCount"], 1, "the answer shows the new count: {body}");
        costs.push(cost);
    }
    eprintln!("{backend:?}: co-signs cost {costs:?} statements");
    // The session's first request also reads the session (the authority snapshot then holds it).
    let log = log_statements(backend);
    assert!(costs[0] <= OWN + log + 1, "{costs:?} statements for a session's first co-sign");
    assert!(costs[1..].iter().all(|c| *c == OWN + log), "{costs:?} statements for one co-sign");
});

on_both!(a_refused_co_sign_changes_nothing_and_says_why, |backend| async move {
    let Some(app) = spawn_app_with(backend, |settings| settings.events.pump_in_serve = false).await else {
        return;
    };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let repairs = category(&app, &staff, &places.community, "repairs").await;
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    let topic = raise(&app, &owner, topic_input(&places.jinxiu, &repairs, "电梯异响")).await;
    let (first, _) = counted(&app, &resident, &topic).await;
    assert_eq!(first["data"]["coSignTopic"]["ok"], true, "{first}");
    let (again, _) = counted(&app, &resident, &topic).await;
    assert_eq!(again["data"]["coSignTopic"]["ok"], false, "{again}");
    assert_eq!(again["data"]["coSignTopic"]["topic"]["coSignCount"], 1, "a second co-sign is not counted: {again}");
    let (own, _) = counted(&app, &owner, &topic).await;
    assert_eq!(own["data"]["coSignTopic"]["ok"], false, "the submitter does not co-sign their own: {own}");
    assert_eq!(own["data"]["coSignTopic"]["topic"]["coSignCount"], 1, "{own}");
});

//! A co-sign costs a fixed, small number of SQL statements, counted as in `read_path_statements` (every
//! statement the app's store runs while one `POST /graphql` is served, as sea-orm reports them to the
//! connection's metric callback: `BEGIN` and `COMMIT` are not among them, so the round trips are these
//! plus two), with the read cache and the authority snapshot on as in production, so the caller's session
//! is held and not read again. On PostgreSQL (decision 175):
//!
//! | statement                                                                          |
//! |------------------------------------------------------------------------------------|
//! | the topic with its place and its compound's facts (who may see it, who may co-sign) |
//! | the co-signature and the count, one `WITH`, `RETURNING` the row the answer shows    |
//! | at commit: the timeline's event and the log's row, one `WITH`                       |
//!
//! SQLite has no data-modifying `WITH`: the co-signature, the count, the timeline's event and the log's
//! row are a statement each, and the log's sequence row one more (decision 64): six.
//!
//! The write knows the topic's place once it has read it, so committing it reads no place, neither for
//! the cache's counters nor for the log's event (`TopicWrite::placed`). The co-sign mutation's answer
//! (`topic { id coSignCount }`) costs nothing more. A submission is counted the same way below.

use gongzhi_tests::{Backend, TestApp, on_both, spawn_app_with};
use serde_json::json;

use crate::pipeline_support::{category, demo, raise, topic_input};

/// A co-sign's statements (issue 16's bound is 3).
fn co_sign_statements(backend: Backend) -> u64 {
    match backend {
        Backend::Postgres => 3,
        Backend::Sqlite => 6,
    }
}

/// A submission's: the place with its compound's facts, the category, and at commit the topic, its
/// timeline event and the log's row (one `WITH` on PostgreSQL; three statements and the sequence row on
/// SQLite).
fn submission_statements(backend: Backend) -> u64 {
    match backend {
        Backend::Postgres => 3,
        Backend::Sqlite => 6,
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
    let own = co_sign_statements(backend);
    assert!(costs[0] <= own + 1, "{costs:?} statements for a session's first co-sign");
    assert!(costs[1..].iter().all(|c| *c == own), "{costs:?} statements for one co-sign");
});

const SUBMIT: &str =
    "mutation($input: SubmitTopicInput!) { submitTopic(input: $input) { ok refusal { code } topic { id } } }";

on_both!(a_submission_costs_a_fixed_number_of_statements, |backend| async move {
    let Some(app) = spawn_app_with(backend, |settings| settings.events.pump_in_serve = false).await else {
        return;
    };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let repairs = category(&app, &staff, &places.community, "repairs").await;
    let owner = app.login_as("owner").await;
    let mut costs = Vec::new();
    // The compound (whose facts the policy weighs) and a building in it.
    for (n, place) in [&places.jinxiu, &places.jinxiu, &places.jinxiu_1].into_iter().enumerate() {
        let input = topic_input(place, &repairs, &format!("第{n}号：路灯不亮"));
        let before = app.store.statements_run();
        let body = app.gql(Some(&owner), SUBMIT, json!({ "input": input })).await;
        costs.push(app.store.statements_run() - before);
        assert_eq!(body["data"]["submitTopic"]["ok"], true, "{body}");
        let id = body["data"]["submitTopic"]["topic"]["id"].as_str().unwrap_or_else(|| panic!("no id: {body}"));
        let shown = app.gql(Some(&owner), "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
        assert_eq!(shown["data"]["node"]["id"], id, "the submitted topic is stored: {shown}");
    }
    eprintln!("{backend:?}: submissions cost {costs:?} statements");
    let own = submission_statements(backend);
    assert!(costs[0] <= own + 1, "{costs:?} statements for a session's first submission");
    assert!(costs[1..].iter().all(|c| *c == own), "{costs:?} statements for one submission");
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

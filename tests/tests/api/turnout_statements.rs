//! `Vote.turnout` is read for a whole page of votes in one statement (decision 162), not one per vote:
//! a topic's votes cost the same one statement more with their turnout whether it holds one vote or four,
//! and each vote's turnout is its own.

use gongzhi_tests::{Backend, TestApp, on_both, spawn_app_with};
use serde_json::{Value, json};

use crate::votes_support::{cast_http, jinxiu_topic, opened, owners_vote_input};

async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |settings| {
        // Every read counts its session statements, so costs compare whatever the snapshot holds.
        settings.cache.authority_seconds = 0;
    })
    .await
}

const WITHOUT: &str = "query($id: ID!) { node(id: $id) { ... on Topic { votes { id title } } } }";
const WITH: &str =
    "query($id: ID!) { node(id: $id) { ... on Topic { votes { id title turnout { ballots heads areaM2 } } } } }";

/// The response and the statements it cost; it must have no errors.
async fn counted(app: &TestApp, token: &str, query: &str, topic: &str) -> (Value, u64) {
    let before = app.store.statements_run();
    let body = app.gql(Some(token), query, json!({ "id": topic })).await;
    let cost = app.store.statements_run() - before;
    assert!(body.get("errors").is_none(), "{body}");
    (body, cost)
}

/// What reading the votes' turnout adds to reading the votes.
async fn turnout_cost(app: &TestApp, token: &str, topic: &str) -> (Vec<Value>, u64) {
    // Once to warm what a first read fills (the places' contexts), then counted.
    counted(app, token, WITHOUT, topic).await;
    let (_, without) = counted(app, token, WITHOUT, topic).await;
    let (with, cost) = counted(app, token, WITH, topic).await;
    let votes = with["data"]["node"]["votes"].as_array().cloned().unwrap_or_default();
    (votes, cost - without)
}

on_both!(a_page_of_votes_reads_its_turnout_in_one_statement_however_many_votes_it_holds, |backend| async move {
    let Some(app) = spawn(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let owner = app.login_as("owner").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let first = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 24)).await;
    let cast = cast_http(&app, &owner, json!({ "voteId": first, "choice": "FOR" })).await;
    assert!(cast.get("errors").is_none(), "{cast}");

    let (one_vote, for_one) = turnout_cost(&app, &staff, &topic).await;
    for _ in 0..3 {
        opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 24)).await;
    }
    let (four_votes, for_four) = turnout_cost(&app, &staff, &topic).await;

    assert_eq!(one_vote.len(), 1);
    assert_eq!(four_votes.len(), 4);
    assert_eq!((for_one, for_four), (1, 1), "one statement for the page's turnout, not one per vote");
    let turnout_of = |votes: &[Value], id: &str| {
        votes.iter().find(|v| v["id"] == id).map(|v| v["turnout"].clone()).unwrap_or(Value::Null)
    };
    assert_eq!(turnout_of(&four_votes, &first)["ballots"], 1, "{four_votes:?}");
    assert_eq!(turnout_of(&four_votes, &first)["heads"], 1);
    assert_ne!(turnout_of(&four_votes, &first)["areaM2"], "0.00", "the owner's area counts");
    let others: Vec<_> = four_votes.iter().filter(|v| v["id"] != first.as_str()).collect();
    assert!(
        others.iter().all(|v| v["turnout"]["ballots"] == 0 && v["turnout"]["areaM2"] == "0.00"),
        "a vote without ballots shows none: {others:?}"
    );
});

//! A retried mutation with the same idempotency key returns the first result and does nothing more.

use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{Backend, TestApp, on_both, spawn_app};
use serde_json::{Value, json};

const CREATE: &str = "mutation($parent: ID!, $name: String!, $key: String) {
  createPlace(input: { parentId: $parent, kind: BUILDING, name: $name, idempotencyKey: $key }) { ok refusal { code } place { id name } } }";

async fn buildings_of(app: &TestApp, token: &str, compound: &str) -> Vec<String> {
    let body = app
        .gql(
            Some(token),
            "query($id: ID!) { place(id: $id) { children { edges { node { name } } } } }",
            json!({ "id": compound }),
        )
        .await;
    body["data"]["place"]["children"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

on_both!(a_retry_with_the_same_header_key_replays_the_first_result_and_creates_nothing_more, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let compound = app.place_id(&staff, &["和平社区", "老街小院"]).await;
    let variables = json!({ "parent": compound, "name": "2号楼" });

    let first = app.post_with(&staff, CREATE, variables.clone(), &[("idempotency-key", "k-2f7c")]).await;
    let first: Value = first.json().await.expect("json");
    let retry = app.post_with(&staff, CREATE, variables, &[("idempotency-key", "k-2f7c")]).await;
    let replayed = retry.headers().get("idempotent-replayed").cloned();
    let retry: Value = retry.json().await.expect("json");

    assert!(first["data"]["createPlace"]["place"]["id"].is_string(), "{first}");
    assert_eq!(retry, first);
    assert_eq!(replayed.as_ref().and_then(|v| v.to_str().ok()), Some("true"));
    assert_eq!(buildings_of(&app, &staff, &compound).await, vec!["1号楼", "2号楼"]);
});

on_both!(the_key_may_also_come_as_an_input_field, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let compound = app.place_id(&staff, &["和平社区", "老街小院"]).await;
    let variables = json!({ "parent": compound, "name": "3号楼", "key": "input-key-1" });

    let first = app.gql(Some(&staff), CREATE, variables.clone()).await;
    let retry = app.gql(Some(&staff), CREATE, variables).await;

    assert_eq!(retry, first, "the retry is answered from the first result, not refused as a duplicate name");
    assert_eq!(buildings_of(&app, &staff, &compound).await, vec!["1号楼", "3号楼"]);
});

on_both!(the_same_key_with_a_different_request_is_a_conflict, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let compound = app.place_id(&staff, &["和平社区", "老街小院"]).await;

    app.post_with(&staff, CREATE, json!({ "parent": compound, "name": "4号楼" }), &[("idempotency-key", "same")]).await;
    let other = app
        .post_with(&staff, CREATE, json!({ "parent": compound, "name": "5号楼" }), &[("idempotency-key", "same")])
        .await;
    let other: Value = other.json().await.expect("json");

    assert_eq!(error_code(&other), Some("CONFLICT"));
    assert_eq!(buildings_of(&app, &staff, &compound).await, vec!["1号楼", "4号楼"]);
});

on_both!(a_refused_mutation_leaves_its_key_free_and_changes_nothing, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let compound = app.place_id(&staff, &["和平社区", "老街小院"]).await;

    let duplicate = app
        .post_with(&staff, CREATE, json!({ "parent": compound, "name": "1号楼" }), &[("idempotency-key", "k1")])
        .await;
    let duplicate: Value = duplicate.json().await.expect("json");
    let corrected = app
        .post_with(&staff, CREATE, json!({ "parent": compound, "name": "6号楼" }), &[("idempotency-key", "k1")])
        .await;
    let corrected: Value = corrected.json().await.expect("json");

    assert_eq!(
        duplicate["data"]["createPlace"]["refusal"]["code"], "name_taken",
        "a sibling of that name exists: {duplicate}"
    );
    assert_eq!(corrected["data"]["createPlace"]["place"]["name"], "6号楼", "{corrected}");
});

on_both!(concurrent_retries_act_once, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let compound = app.place_id(&staff, &["和平社区", "老街小院"]).await;
    let variables = json!({ "parent": compound, "name": "7号楼" });

    let attempts = (0..6).map(|_| app.post_with(&staff, CREATE, variables.clone(), &[("idempotency-key", "burst")]));
    let responses = futures::future::join_all(attempts).await;
    let mut bodies = Vec::new();
    for response in responses {
        bodies.push(response.json::<Value>().await.expect("json"));
    }

    let ids: Vec<&Value> = bodies.iter().map(|b| &b["data"]["createPlace"]["place"]["id"]).collect();
    assert!(ids.iter().all(|id| id.is_string() && *id == ids[0]), "{bodies:?}");
    assert_eq!(buildings_of(&app, &staff, &compound).await, vec!["1号楼", "7号楼"]);
});

#[tokio::test]
async fn login_mutations_are_never_replayed() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let staff = app.login_as("rc_staff").await;
    let login = "mutation { devLogin(as: \"owner\") { accessToken } }";

    let first: Value =
        app.post_with(&staff, login, json!({}), &[("idempotency-key", "login")]).await.json().await.expect("json");
    let second: Value =
        app.post_with(&staff, login, json!({}), &[("idempotency-key", "login")]).await.json().await.expect("json");

    assert_ne!(first["data"]["devLogin"]["accessToken"], second["data"]["devLogin"]["accessToken"]);
}

on_both!(the_key_may_come_inside_an_input_passed_as_a_variable, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let compound = app.place_id(&staff, &["和平社区", "老街小院"]).await;
    let query = "mutation($i: CreatePlaceInput!) { createPlace(input: $i) { place { id } } }";
    let variables =
        json!({ "i": { "parentId": compound, "kind": "BUILDING", "name": "8号楼", "idempotencyKey": "in-variable" } });

    let first = app.gql(Some(&staff), query, variables.clone()).await;
    let retry = app.gql(Some(&staff), query, variables).await;

    assert_eq!(retry, first);
    assert_eq!(buildings_of(&app, &staff, &compound).await, vec!["1号楼", "8号楼"]);
});

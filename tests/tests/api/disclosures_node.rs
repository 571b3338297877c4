//! A disclosure and a question (质询) fetched by their global ids through `node(id:)`, like every other node.

use gongzhi_api::graphql::ids::{NodeType, encode};
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

use crate::disclosures_support::*;

const NODE: &str = "query($id: ID!) { node(id: $id) { id
    ... on Disclosure { kind version reason questions { id } }
    ... on DisclosureQuestion { disclosureId line text answer } } }";

on_both!(node_resolves_a_disclosure_and_its_question_by_global_id, |backend| async move {
    // Arrange: the demo's corrected 双晒 at 锦绣花园, and a resident's question on its parking line.
    let Some(app) = spawn_app(backend).await else { return };
    let resident = app.login_as("resident").await;
    let jinxiu = app.place_id(&resident, &["和平社区", "锦绣花园"]).await;
    let latest = list(&app, None, &jinxiu).await[0]["id"].as_str().unwrap_or_default().to_owned();
    let asked = app
        .gql(
            Some(&resident),
            "mutation($input: QuestionDisclosureInput!) { questionDisclosure(input: $input) { question { id } } }",
            json!({ "input": { "disclosureId": latest, "line": "parking", "text": "停车费为何更正？" } }),
        )
        .await;
    let question = asked["data"]["questionDisclosure"]["question"]["id"].as_str().unwrap_or_default().to_owned();
    assert!(!question.is_empty(), "{asked}");

    // Act: fetch both by id, as someone who neither published nor asked.
    let reader = app.login_as("street_officer").await;
    let disclosure = app.gql(Some(&reader), NODE, json!({ "id": latest })).await;
    let asked_node = app.gql(Some(&reader), NODE, json!({ "id": question })).await;

    // Assert: the same objects the lists show.
    let node = &disclosure["data"]["node"];
    assert_eq!(node["id"], latest.as_str(), "{disclosure}");
    assert_eq!(node["kind"], "PROPERTY_ACCOUNTS");
    assert_eq!(node["version"], 2, "the demo's correction");
    assert!(node["reason"].is_string());
    assert_eq!(node["questions"][0]["id"], question.as_str());
    let node = &asked_node["data"]["node"];
    assert_eq!(node["id"], question.as_str(), "{asked_node}");
    assert_eq!(node["disclosureId"], latest.as_str());
    assert_eq!(node["line"], "parking");
    assert_eq!(node["text"], "停车费为何更正？");
    assert!(node["answer"].is_null());

    // Ids of either kind that exist nowhere are not found, like any other node.
    for kind in [NodeType::Disclosure, NodeType::DisclosureQuestion] {
        let missing = encode(kind, uuid::Uuid::now_v7());
        let body = app.gql(Some(&reader), NODE, json!({ "id": missing })).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{kind:?}: {body}");
    }
});

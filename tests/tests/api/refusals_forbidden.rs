//! A FORBIDDEN says which roles, and where, would permit the action (decision 61): in the message, in
//! the request's language, and in `extensions.needed` for clients that show the way forward. A record the
//! caller may not know of stays NOT_FOUND and names nothing.

use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

use crate::pipeline_support::{demo, demo_topics, plan};

const ACCEPT: &str = "mutation($t: ID!, $plan: PlanInput!) { acceptTopic(topicId: $t, plan: $plan) { ok } }";

on_both!(a_resident_refused_triage_is_told_the_roles_that_could_and_at_which_places, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let resident = app.login_as("resident").await;

    // Act
    let zh = app.gql_lang(Some(&resident), ACCEPT, json!({ "t": topics.parking, "plan": plan() }), Some("zh-CN")).await;
    let en = app.gql_lang(Some(&resident), ACCEPT, json!({ "t": topics.parking, "plan": plan() }), Some("en")).await;

    // Assert
    assert_eq!(error_code(&zh), Some("FORBIDDEN"), "{zh}");
    let needed = zh["errors"][0]["extensions"]["needed"].as_array().unwrap_or_else(|| panic!("{zh}"));
    let roles: Vec<&str> = needed.iter().filter_map(|n| n["role"].as_str()).collect();
    assert_eq!(
        roles,
        ["RESIDENTS_COMMITTEE_STAFF", "PARTY_SECRETARY", "STREET_OFFICER", "DISTRICT_OFFICER", "CITY_ADMINISTRATOR"]
    );
    assert_eq!(needed[0]["placeId"], places.community.as_str(), "the community the topic lies in: {zh}");
    assert_eq!(needed[0]["placeKind"], "COMMUNITY");
    assert_eq!(needed[0]["within"], false);
    assert!(
        error_message(&zh)
            .is_some_and(|m| m.starts_with("您没有权限执行此操作，需要以下角色之一：该社区的居委会工作人员")),
        "{zh}"
    );
    assert!(error_message(&en).is_some_and(|m| m.contains("residents' committee staff of the community")), "{en}");
    assert_eq!(en["errors"][0]["extensions"]["needed"], zh["errors"][0]["extensions"]["needed"]);
});

on_both!(
    a_staff_member_refused_a_residents_step_is_told_it_is_for_residents_inside_the_compound,
    |backend| async move {
        // Arrange: rating is for the residents and owners of the compound, whatever the topic's stage.
        let Some(app) = spawn_app(backend).await else { return };
        let places = demo(&app).await;
        let topics = demo_topics(&app, &places.community).await;
        let manager = app.login_as("property_manager").await;

        // Act
        let rated = app
            .gql_lang(
                Some(&manager),
                "mutation($t: ID!) { rateTopic(topicId: $t, score: 5) { ok } }",
                json!({ "t": topics.parking }),
                Some("en"),
            )
            .await;

        // Assert
        assert_eq!(error_code(&rated), Some("FORBIDDEN"), "{rated}");
        let needed = &rated["errors"][0]["extensions"]["needed"];
        assert_eq!(
            (needed[0]["role"].clone(), needed[0]["within"].clone()),
            (json!("RESIDENT"), json!(true)),
            "{rated}"
        );
        assert_eq!(needed[1]["role"], "OWNER");
        assert_eq!(needed.as_array().map(Vec::len), Some(2), "{rated}");
        assert!(error_message(&rated).is_some_and(|m| m.contains("resident within the")), "{rated}");
    }
);

on_both!(a_register_of_another_community_stays_not_found_and_names_no_place, |backend| async move {
    // Arrange: a household of a community the resident has nothing to do with.
    let Some(app) = spawn_app(backend).await else { return };
    let officer = app.login_as("street_officer").await;
    let street = app.place_id(&officer, &[]).await;
    let create = "mutation($p: ID!, $k: PlaceKind!, $n: String!, $a: String) { createPlace(input: { parentId: $p, kind: $k, name: $n, areaM2: $a }) { place { id } } }";
    let mut parent = street;
    for (kind, name, area) in [
        ("COMMUNITY", "幸福社区", None),
        ("COMPOUND", "幸福家园", None),
        ("BUILDING", "1号楼", None),
        ("HOUSEHOLD", "101", Some("88.00")),
    ] {
        let body = app.gql(Some(&officer), create, json!({ "p": parent, "k": kind, "n": name, "a": area })).await;
        parent = body["data"]["createPlace"]["place"]["id"].as_str().unwrap_or_else(|| panic!("{body}")).to_owned();
    }
    let resident = app.login_as("resident").await;

    // Act
    let register =
        app.gql(Some(&resident), "query($id: ID!) { place(id: $id) { areaM2 } }", json!({ "id": parent })).await;

    // Assert
    assert_eq!(error_code(&register), Some("NOT_FOUND"), "{register}");
    assert!(register["errors"][0]["extensions"]["needed"].is_null(), "{register}");
});

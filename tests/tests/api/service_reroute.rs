//! A service request whose company lost the compound's contract is handed by the triager to the company
//! holding it now (`rerouteTopic`), through GraphQL on SQLite and PostgreSQL.

use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

use crate::pipeline_support::{ROUTE, act, act_lang, done, payload, refused, timeline, timeline_kinds};
use crate::service_support::{REROUTE, acknowledge, contract_passed};

on_both!(a_request_whose_company_lost_the_contract_is_rerouted_and_the_new_company_takes_it_up, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let passed = contract_passed(&app).await;
    let note = "原物业合同已终止，请新城物业三日内处理";

    // Act
    let rerouted = act(&app, &passed.staff, REROUTE, json!({ "t": passed.topics.parking, "note": note })).await;
    let taken_up = acknowledge(&app, &passed.new_manager, &passed.topics).await;
    let by_old = acknowledge(&app, &passed.old_manager, &passed.topics).await;

    // Assert: the request is the new company's, waiting afresh; it takes it up; the old one sees nothing.
    let topic = done(&rerouted);
    assert_eq!(topic["propertyCompany"]["name"], "新城物业", "{rerouted}");
    assert_eq!(topic["serviceRequest"]["status"], "ROUTED", "{rerouted}");
    assert_eq!(done(&taken_up)["serviceRequest"]["status"], "ACKNOWLEDGED", "{taken_up}");
    assert_eq!(error_code(&by_old), Some("NOT_FOUND"), "{by_old}");
    // Residents read that it moved; the instruction is for the staff and the company it is addressed to.
    let resident = app.login_as("resident").await;
    let kinds = timeline_kinds(&app, &resident, &passed.topics.parking).await;
    let routed = kinds.iter().position(|k| k == "routed").expect("routed first");
    assert_eq!(kinds[routed + 1..].first().map(String::as_str), Some("rerouted"), "{kinds:?}");
    let note_read_by = |events: Vec<serde_json::Value>| {
        events.into_iter().find(|e| e["kind"] == "rerouted").map(|e| e["note"].clone()).unwrap_or_default()
    };
    assert_eq!(note_read_by(timeline(&app, &resident, &passed.topics.parking).await), json!(null));
    assert_eq!(note_read_by(timeline(&app, &passed.new_manager, &passed.topics.parking).await), json!(note));
});

on_both!(rerouting_is_refused_while_the_company_still_serves_and_to_anyone_but_the_triager, |backend| async move {
    // Arrange: the parking request routed to 安居物业, which still holds the contract.
    let Some(app) = spawn_app(backend).await else { return };
    let places = crate::pipeline_support::demo(&app).await;
    let topics = crate::pipeline_support::demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    done(&act(&app, &staff, ROUTE, json!({ "t": topics.parking })).await);
    let t = json!({ "t": topics.parking });

    // Act
    let still_serves = act_lang(&app, &staff, REROUTE, t.clone(), Some("en")).await;
    let by_resident = act(&app, &app.login_as("resident").await, REROUTE, t.clone()).await;
    let by_company = act(&app, &app.login_as("property_manager").await, REROUTE, t.clone()).await;

    // Assert: where things stand is told as data, in the asker's language; the wrong people are refused;
    // nothing moved.
    assert_eq!(refused(&still_serves), "still_under_contract", "{still_serves}");
    let message = payload(&still_serves)["refusal"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("still serves the compound"), "{still_serves}");
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    assert_eq!(error_code(&by_company), Some("FORBIDDEN"), "{by_company}");
    let kinds = timeline_kinds(&app, &staff, &topics.parking).await;
    assert!(!kinds.iter().any(|k| k == "rerouted"), "{kinds:?}");
});

on_both!(a_request_not_yet_routed_cannot_be_rerouted, |backend| async move {
    // Arrange: the roof topic still awaits triage.
    let Some(app) = spawn_app(backend).await else { return };
    let places = crate::pipeline_support::demo(&app).await;
    let topics = crate::pipeline_support::demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;

    // Act
    let early = act(&app, &staff, REROUTE, json!({ "t": topics.roof })).await;

    // Assert
    assert_eq!(refused(&early), "wrong_stage", "{early}");
});

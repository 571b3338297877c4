//! The permitted-actions list (`Place.myPermissions`) offers the disclosure actions to exactly those the
//! policy lets act, so a client knows whether to show a publish or a question button.

use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::json;

const PERMISSIONS: &str = "query($id: ID!) { place(id: $id) { myPermissions { action } } }";

async fn actions(app: &TestApp, token: &str, place: &str) -> Vec<String> {
    let body = app.gql(Some(token), PERMISSIONS, json!({ "id": place })).await;
    let list = body["data"]["place"]["myPermissions"].as_array().cloned().unwrap_or_else(|| panic!("{body}"));
    list.iter().filter_map(|p| p["action"].as_str().map(str::to_owned)).collect()
}

on_both!(the_contracted_companys_manager_is_offered_publishing_and_a_resident_only_questioning, |backend| async move {
    // Arrange: 锦绣花园 is under the manager's company's contract, 老街小院 is not.
    let Some(app) = spawn_app(backend).await else { return };
    let manager = app.login_as("property_manager").await;
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;
    let jinxiu = app.place_id(&manager, &["和平社区", "锦绣花园"]).await;
    let laojie = app.place_id(&manager, &["和平社区", "老街小院"]).await;
    let community = app.place_id(&staff, &["和平社区"]).await;

    // Act
    let manager_here = actions(&app, &manager, &jinxiu).await;
    let manager_elsewhere = actions(&app, &manager, &laojie).await;
    let resident_here = actions(&app, &resident, &jinxiu).await;
    let staff_community = actions(&app, &staff, &community).await;

    // Assert: the publishing party sees its button, only where it holds the contract and only for its kind.
    let has = |list: &[String], action: &str| list.iter().any(|a| a == action);
    assert!(has(&manager_here, "PUBLISH_PROPERTY_ACCOUNTS"), "{manager_here:?}");
    assert!(!has(&manager_here, "PUBLISH_COMMITTEE_FUNDS"), "the committee's report is not the company's");
    assert!(!has(&manager_here, "QUESTION_DISCLOSURE"), "the publisher does not question itself");
    assert!(!has(&manager_elsewhere, "PUBLISH_PROPERTY_ACCOUNTS"), "no contract: {manager_elsewhere:?}");
    assert!(!has(&resident_here, "PUBLISH_PROPERTY_ACCOUNTS"), "{resident_here:?}");
    assert!(has(&resident_here, "QUESTION_DISCLOSURE"), "a resident may question the compound's disclosures");
    assert!(has(&staff_community, "PUBLISH_MINUTES"), "the residents' committee owes the minutes: {staff_community:?}");
});

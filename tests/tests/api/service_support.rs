//! A service request whose company lost the compound's contract: the demo's parking topic routed to
//! 安居物业, then 锦绣花园 contracted to another company whose manager the community appoints.

use gongzhi_tests::TestApp;
use serde_json::json;

use crate::deliberation_support::person_id;
use crate::pipeline_support::{ACKNOWLEDGE, DemoTopics, ROUTE, act, demo, demo_topics, done};

pub const REROUTE: &str = "mutation($t: ID!, $note: String) { rerouteTopic(topicId: $t, note: $note) { ...P } }";

pub struct ContractPassed {
    pub topics: DemoTopics,
    pub staff: String,
    /// The new company's manager (the demo's lawyer, appointed for it).
    pub new_manager: String,
    /// 安居物业's manager, whose company no longer serves 锦绣花园.
    pub old_manager: String,
}

pub async fn contract_passed(app: &TestApp) -> ContractPassed {
    let places = demo(app).await;
    let topics = demo_topics(app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    done(&act(app, &staff, ROUTE, json!({ "t": topics.parking })).await);
    let company = app
        .gql(
            Some(&staff),
            "mutation { registerPropertyCompany(name: \"新城物业\", creditCode: \"91130400MA0CTEST02\") { ok company { id } } }",
            json!({}),
        )
        .await;
    let company = company["data"]["registerPropertyCompany"]["company"]["id"].clone();
    let assigned = app
        .gql(
            Some(&staff),
            "mutation($c: ID!, $p: ID) { assignPropertyCompany(compoundId: $c, companyId: $p) { ok } }",
            json!({ "c": places.jinxiu, "p": company }),
        )
        .await;
    assert_eq!(assigned["data"]["assignPropertyCompany"]["ok"], true, "{assigned}");
    let lawyer_id = person_id(app, &app.login_as("lawyer").await).await;
    let granted = app
        .gql(
            Some(&staff),
            "mutation($i: GrantRoleInput!) { grantRole(input: $i) { ok } }",
            json!({ "i": { "personId": lawyer_id, "role": "PROPERTY_MANAGER", "placeId": places.jinxiu } }),
        )
        .await;
    assert_eq!(granted["data"]["grantRole"]["ok"], true, "{granted}");
    let new_manager = app.login_as("lawyer").await;
    let old_manager = app.login_as("property_manager").await;
    ContractPassed { topics, staff, new_manager, old_manager }
}

/// Acknowledging the parking request as `token`.
pub async fn acknowledge(app: &TestApp, token: &str, topics: &DemoTopics) -> serde_json::Value {
    act(app, token, ACKNOWLEDGE, json!({ "t": topics.parking })).await
}

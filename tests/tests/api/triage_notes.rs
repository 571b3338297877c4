//! A triage note is the staff's working note (decision 44): the staff who may triage the topic read it on
//! the timeline, residents and API partners read `null`, and the property company reads the note on the
//! request routed to it. What residents are owed, a rejection's reason, stays public.

use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::partners_support::{partner_token, register};
use crate::pipeline_support::{
    ACCEPT, REJECT, ROUTE, act, category, demo, demo_topics, done, plan, raise, timeline, topic, topic_input,
};

const WORKING_NOTE: &str = "先请街道城管科核实，联系人王科长 13800138000";
const REASON: &str = "不属于本社区协商范围，请向区住建局反映";

/// An API partner over 锦绣花园, holding a token.
async fn partner_over(app: &TestApp, compound: &str) -> String {
    let admin = app.login_as("city_admin").await;
    let partner = register(app, &admin, "锦绣智慧社区", compound, None).await;
    partner_token(app, &partner).await
}

/// The event of this kind on the timeline as `token` reads it.
async fn event(app: &TestApp, token: &str, topic: &str, kind: &str) -> Value {
    let events = timeline(app, token, topic).await;
    events.into_iter().find(|e| e["kind"] == kind).unwrap_or_else(|| panic!("no {kind} event on {topic}"))
}

on_both!(a_triage_note_is_read_by_the_staff_and_by_no_resident_or_partner, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let partner = partner_over(&app, &places.jinxiu).await;
    let repairs = category(&app, &resident, &places.community, "repairs").await;
    let refused = raise(&app, &resident, topic_input(&places.jinxiu, &repairs, "小区外人行道砖块松动")).await;

    let accepted =
        act(&app, &staff, ACCEPT, json!({ "t": topics.parking, "plan": plan(), "note": WORKING_NOTE })).await;
    let rejected = act(&app, &staff, REJECT, json!({ "t": refused, "reason": REASON })).await;

    done(&accepted);
    done(&rejected);
    assert_eq!(event(&app, &staff, &topics.parking, "accepted").await["note"], WORKING_NOTE);
    for (who, token) in [("the submitter", &resident), ("a neighbour", &owner), ("a partner", &partner)] {
        let accepted = event(&app, token, &topics.parking, "accepted").await;
        assert!(accepted["note"].is_null(), "{who} reads the triage note: {accepted}");
        assert_eq!(accepted["details"]["plan"]["form"], "coordination_meeting", "{who} reads the plan");
        let rejection = event(&app, token, &refused, "rejected").await;
        assert_eq!(rejection["details"]["reason"], REASON, "{who} reads why it was rejected: {rejection}");
    }
    assert_eq!(topic(&app, &resident, &refused).await["rejectionReason"], REASON);
});

on_both!(a_routing_note_is_read_by_the_property_company_and_not_by_the_submitter, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let property_staff = app.login_as("property_staff").await;
    let partner = partner_over(&app, &places.jinxiu).await;
    let repairs = category(&app, &resident, &places.community, "repairs").await;
    let lamp = raise(&app, &resident, topic_input(&places.jinxiu, &repairs, "2号楼门口路灯不亮")).await;

    let routed = act(&app, &staff, ROUTE, json!({ "t": lamp, "note": "请物业三日内修复，费用走公共维修" })).await;

    done(&routed);
    assert_eq!(event(&app, &property_staff, &lamp, "routed").await["note"], "请物业三日内修复，费用走公共维修");
    assert_eq!(event(&app, &staff, &lamp, "routed").await["note"], "请物业三日内修复，费用走公共维修");
    let seen_by_submitter = event(&app, &resident, &lamp, "routed").await;
    assert!(seen_by_submitter["note"].is_null(), "{seen_by_submitter}");
    let seen_by_partner = event(&app, &partner, &lamp, "routed").await;
    assert!(seen_by_partner["note"].is_null(), "{seen_by_partner}");
});

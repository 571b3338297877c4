//! 议题梳理 and service requests over HTTP: one topic from submission to a confirmed service request, the
//! triage decisions (accept with a plan, merge, route, reject, escalate, reclassify), who may take them,
//! and what each leaves on the timeline residents and staff read.

use chrono::Duration;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

use crate::pipeline_support::{
    ACCEPT, ACKNOWLEDGE, CO_SIGN, CONFIRM, DISPUTE, ESCALATE, FINISH, MERGE, RECLASSIFY, REJECT, ROUTE, SUBMIT, act,
    act_lang, category, co_sign, demo, demo_topics, done, person_id, plan, raise, refused, time, timeline,
    timeline_kinds, topic, topic_input, upload_photo,
};

on_both!(a_topic_goes_from_a_residents_proposal_to_a_confirmed_service_request, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let oc_member = app.login_as("oc_member").await;
    let staff = app.login_as("rc_staff").await;
    let property_staff = app.login_as("property_staff").await;
    let repairs = category(&app, &resident, &places.community, "repairs").await;
    let mut input = topic_input(&places.jinxiu, &repairs, "2号楼门口路灯不亮");
    input["location"] = json!({ "datum": "GCJ_02", "latitude": "36.612345", "longitude": "114.4876541" });
    let photos = [upload_photo(&app, &resident).await, upload_photo(&app, &resident).await];
    input["photos"] = json!([photos[1], photos[0]]);

    // Collect: the resident raises it, two neighbours co-sign.
    let submitted = act(&app, &resident, SUBMIT, json!({ "input": input })).await;
    let submitted = done(&submitted).clone();
    let id = submitted["id"].as_str().expect("id").to_owned();
    let first = act(&app, &owner, CO_SIGN, json!({ "t": id })).await;
    let second = act(&app, &oc_member, CO_SIGN, json!({ "t": id })).await;
    // Triage: the residents' committee hands it to the property company (一口受理).
    let routed = act(&app, &staff, ROUTE, json!({ "t": id, "note": "请物业三日内修复" })).await;
    // The company takes it on and reports it done; the submitter confirms.
    let acknowledged = act(&app, &property_staff, ACKNOWLEDGE, json!({ "t": id })).await;
    // Access tokens last minutes: everyone logs in again after the clock moves.
    app.clock.advance(Duration::hours(3));
    let (resident, owner, oc_member, staff) = (
        app.login_as("resident").await,
        app.login_as("owner").await,
        app.login_as("oc_member").await,
        app.login_as("rc_staff").await,
    );
    let (property_staff, manager) = (app.login_as("property_staff").await, app.login_as("property_manager").await);
    let finished = act(&app, &manager, FINISH, json!({ "t": id, "report": "已更换灯泡和线路" })).await;
    let finished_topic = done(&finished).clone();
    let confirmed = act(&app, &resident, CONFIRM, json!({ "t": id, "note": "已修好，谢谢" })).await;

    assert_eq!(submitted["stage"], "COLLECTING");
    assert_eq!(submitted["stateCode"], "awaiting_triage");
    assert_eq!(submitted["level"], "COMMUNITY");
    assert_eq!(submitted["submittedByMe"], true);
    assert_eq!(submitted["category"]["code"], "repairs");
    assert_eq!(submitted["location"], json!({ "datum": "GCJ_02", "latitude": "36.612345", "longitude": "114.487654" }));
    assert_eq!(submitted["photos"], json!([photos[1], photos[0]]), "in the order given");
    assert_eq!(done(&first)["coSignCount"], 1);
    assert_eq!(done(&second)["coSignCount"], 2);
    let routed = done(&routed);
    assert_eq!((&routed["stage"], &routed["stateCode"]), (&json!("SERVICE"), &json!("service_routed")));
    assert_eq!(routed["serviceRequest"]["status"], "ROUTED");
    assert_eq!(routed["propertyCompany"]["name"], "安居物业服务有限公司");
    assert!(routed["deadline"].is_null(), "{routed}");
    assert_eq!(done(&acknowledged)["stateCode"], "service_acknowledged");
    assert_eq!(finished_topic["stateCode"], "service_done");
    assert_eq!(finished_topic["deadline"]["kind"], "SERVICE_CONFIRMATION");
    assert_eq!(
        time(&finished_topic["deadline"]["dueAt"]) - time(&finished_topic["updatedAt"]),
        Duration::days(7),
        "the submitter has a week to confirm or dispute"
    );
    let confirmed = done(&confirmed);
    assert_eq!(confirmed["stateCode"], "service_confirmed");
    assert_eq!(confirmed["serviceRequest"], json!({ "status": "CONFIRMED", "confirmedByDefault": false }));
    assert!(confirmed["deadline"].is_null());

    // What a neighbour sees: the public steps, not who co-signed, nor who raised it.
    let seen_by_owner = topic(&app, &owner, &id).await;
    assert_eq!(seen_by_owner["coSignCount"], 2);
    assert_eq!(seen_by_owner["stage"], "SERVICE");
    assert_eq!(seen_by_owner["stateCode"], "service_confirmed");
    assert_eq!(seen_by_owner["coSignedByMe"], true);
    assert!(seen_by_owner["submitter"].is_null(), "the submitter is not shown to every neighbour: {seen_by_owner}");
    let public = timeline(&app, &owner, &id).await;
    let kinds: Vec<&str> = public.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["submitted", "routed", "service_acknowledged", "service_done", "service_confirmed"]);
    assert!(public.iter().all(|e| e["visibility"] == "PUBLIC"), "{public:?}");
    assert!(public[1]["note"].is_null(), "the triage note is the staff's: {:?}", public[1]);
    assert_eq!(public[3]["details"]["report"], "已更换灯泡和线路", "the report is public: {:?}", public[3]);
    assert_eq!(public[4]["note"], "已修好，谢谢");
    assert_eq!(public[2]["actor"]["id"], person_id(&app, &property_staff).await);
    assert!(public[0]["actor"].is_null(), "a neighbour does not learn who raised it from the timeline either");
    assert!(public[4]["actor"].is_null(), "nor who confirmed the service");
    let own = timeline(&app, &resident, &id).await;
    assert_eq!(own[0]["actor"]["id"], person_id(&app, &resident).await, "the resident sees their own steps");

    // What the residents' committee sees: the co-signers too, and the submitter.
    let seen_by_staff = topic(&app, &staff, &id).await;
    assert_eq!(seen_by_staff["submitter"]["id"], person_id(&app, &resident).await);
    let staff_timeline = timeline(&app, &staff, &id).await;
    let kinds: Vec<&str> = staff_timeline.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        ["submitted", "co_signed", "co_signed", "routed", "service_acknowledged", "service_done", "service_confirmed"]
    );
    assert_eq!(staff_timeline[1]["visibility"], "STAFF");
    assert_eq!(staff_timeline[3]["note"], "请物业三日内修复");
    assert_eq!(staff_timeline[1]["actor"]["id"], person_id(&app, &owner).await);
    assert_eq!(staff_timeline[2]["actor"]["id"], person_id(&app, &oc_member).await);
});

on_both!(a_disputed_service_request_goes_back_to_the_company, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let staff = app.login_as("rc_staff").await;
    let property_staff = app.login_as("property_staff").await;
    let repairs = category(&app, &resident, &places.community, "repairs").await;
    let id = raise(&app, &resident, topic_input(&places.jinxiu, &repairs, "单元门禁失灵")).await;
    done(&act(&app, &staff, ROUTE, json!({ "t": id })).await);

    let confirmed_early = act(&app, &resident, CONFIRM, json!({ "t": id })).await;
    // A job done on the spot skips the acknowledgement.
    let finished = act(&app, &property_staff, FINISH, json!({ "t": id, "report": "已重启门禁" })).await;
    let by_neighbour = act(&app, &owner, DISPUTE, json!({ "t": id, "reason": "还是坏的" })).await;
    let disputed = act(&app, &resident, DISPUTE, json!({ "t": id, "reason": "第二天又坏了" })).await;
    let finished_again = act(&app, &property_staff, FINISH, json!({ "t": id, "report": "已更换门禁控制器" })).await;
    let confirmed = act(&app, &resident, CONFIRM, json!({ "t": id })).await;

    assert_eq!(refused(&confirmed_early), "wrong_stage");
    assert_eq!(done(&finished)["stateCode"], "service_done");
    assert_eq!(error_code(&by_neighbour), Some("FORBIDDEN"), "{by_neighbour}");
    let disputed = done(&disputed);
    assert_eq!(disputed["stateCode"], "service_acknowledged");
    assert!(disputed["deadline"].is_null());
    assert_eq!(done(&finished_again)["stateCode"], "service_done");
    assert_eq!(done(&confirmed)["stateCode"], "service_confirmed");
    assert_eq!(
        timeline_kinds(&app, &owner, &id).await,
        ["submitted", "routed", "service_done", "service_disputed", "service_done", "service_confirmed"]
    );
});

on_both!(an_accepted_topic_carries_its_plan_and_takes_no_more_co_signs, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let oc_member = app.login_as("oc_member").await;
    let resident = app.login_as("resident").await;
    let lawyer = app.login_as("lawyer").await;
    let lawyer_id = person_id(&app, &lawyer).await;
    let mut with_invitees = plan();
    with_invitees["invitees"] = json!([{ "name": "韩律师（某某律师事务所）" }, { "personId": lawyer_id }]);
    with_invitees["major"] = json!(true);

    let accepted =
        act(&app, &staff, ACCEPT, json!({ "t": topics.parking, "plan": with_invitees, "note": "提交联席会议" })).await;
    let late_co_sign = act(&app, &oc_member, CO_SIGN, json!({ "t": topics.parking })).await;
    let accepted_again = act(&app, &staff, ACCEPT, json!({ "t": topics.parking, "plan": plan() })).await;
    let rejected_after = act(&app, &staff, REJECT, json!({ "t": topics.parking, "reason": "重复" })).await;
    let seen_by_resident = topic(&app, &resident, &topics.parking).await;

    let accepted = done(&accepted);
    assert_eq!(accepted["stage"], "DELIBERATING");
    assert_eq!(accepted["stateCode"], "deliberating");
    assert!(accepted["deadline"].is_null(), "{accepted}");
    assert_eq!(
        seen_by_resident["plan"],
        json!({
            "form": "COORDINATION_MEETING",
            "parties": ["RESIDENTS_COMMITTEE", "PROPERTY_COMPANY"],
            "inviteePeople": [lawyer_id],
            "inviteeNames": ["韩律师（某某律师事务所）"],
            "startsOn": "2026-11-25",
            "endsOn": "2026-11-30",
            "major": true,
        }),
        "residents read the plan"
    );
    assert_eq!(refused(&late_co_sign), "wrong_stage");
    let still = &late_co_sign["data"]["coSignTopic"]["topic"];
    assert_eq!(still["coSignCount"], 1, "{late_co_sign}");
    assert_eq!(still["coSignedByMe"], false);
    assert_eq!(refused(&accepted_again), "wrong_stage", "triage decides once");
    assert_eq!(refused(&rejected_after), "wrong_stage");
    let public = timeline(&app, &resident, &topics.parking).await;
    let accepted_event = public.iter().find(|e| e["kind"] == "accepted").expect("accepted event");
    assert_eq!(accepted_event["details"]["plan"]["form"], "coordination_meeting", "{accepted_event}");
    assert!(accepted_event["note"].is_null(), "the triage note is the staff's: {accepted_event}");
});

on_both!(a_plan_that_ends_before_it_starts_or_has_no_party_is_bad_input, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let mut backwards = plan();
    backwards["endsOn"] = json!("2026-11-20");
    let mut nobody = plan();
    nobody["parties"] = json!([]);

    let ends_early = act(&app, &staff, ACCEPT, json!({ "t": topics.parking, "plan": backwards })).await;
    let no_party = act(&app, &staff, ACCEPT, json!({ "t": topics.parking, "plan": nobody })).await;

    assert_eq!(error_code(&ends_early), Some("BAD_USER_INPUT"), "{ends_early}");
    assert_eq!(error_code(&no_party), Some("BAD_USER_INPUT"), "{no_party}");
    assert_eq!(topic(&app, &staff, &topics.parking).await["stateCode"], "awaiting_triage");
});

on_both!(residents_and_building_leaders_do_not_triage_nor_handle_service_requests, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let building_leader = app.login_as("building_leader").await;
    let chair = app.login_as("oc_chair").await;
    let staff = app.login_as("rc_staff").await;
    let property_staff = app.login_as("property_staff").await;

    let reject_by_resident = act(&app, &resident, REJECT, json!({ "t": topics.parking, "reason": "不想要了" })).await;
    let route_by_chair = act(&app, &chair, ROUTE, json!({ "t": topics.parking })).await;
    let accept_by_company = act(&app, &property_staff, ACCEPT, json!({ "t": topics.parking, "plan": plan() })).await;
    let still_waiting = topic(&app, &staff, &topics.parking).await;
    done(&act(&app, &staff, ROUTE, json!({ "t": topics.parking })).await);
    let ack_by_leader = act(&app, &building_leader, ACKNOWLEDGE, json!({ "t": topics.parking })).await;
    let ack_by_staff = act(&app, &staff, ACKNOWLEDGE, json!({ "t": topics.parking })).await;
    let finish_by_resident = act(&app, &resident, FINISH, json!({ "t": topics.parking, "report": "自己修好了" })).await;
    let finish_by_company =
        act(&app, &property_staff, FINISH, json!({ "t": topics.parking, "report": "已划线" })).await;
    let confirm_by_owner = act(&app, &owner, CONFIRM, json!({ "t": topics.parking })).await;

    assert_eq!(error_code(&reject_by_resident), Some("FORBIDDEN"), "{reject_by_resident}");
    assert_eq!(error_code(&route_by_chair), Some("FORBIDDEN"), "{route_by_chair}");
    assert_eq!(error_code(&accept_by_company), Some("FORBIDDEN"), "{accept_by_company}");
    assert_eq!(still_waiting["stateCode"], "awaiting_triage");
    assert_eq!(error_code(&ack_by_leader), Some("FORBIDDEN"), "{ack_by_leader}");
    assert_eq!(error_code(&ack_by_staff), Some("FORBIDDEN"), "{ack_by_staff}");
    assert_eq!(error_code(&finish_by_resident), Some("FORBIDDEN"), "{finish_by_resident}");
    assert_eq!(done(&finish_by_company)["stateCode"], "service_done", "done straight from routed");
    assert_eq!(error_code(&confirm_by_owner), Some("FORBIDDEN"), "only the submitter confirms: {confirm_by_owner}");
});

on_both!(a_rejection_needs_a_reason_which_every_resident_reads, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let owner = app.login_as("owner").await;

    let blank = act(&app, &staff, REJECT, json!({ "t": topics.parking, "reason": "   " })).await;
    let unchanged = topic(&app, &staff, &topics.parking).await;
    let events_before = timeline_kinds(&app, &staff, &topics.parking).await;
    let rejected =
        act(&app, &staff, REJECT, json!({ "t": topics.parking, "reason": "属于交警管辖范围，已转告相关部门" })).await;
    let seen_by_owner = topic(&app, &owner, &topics.parking).await;

    assert_eq!(error_code(&blank), Some("BAD_USER_INPUT"), "{blank}");
    assert_eq!(unchanged["stateCode"], "awaiting_triage");
    assert_eq!(events_before, ["submitted", "co_signed"], "nothing was recorded");
    assert_eq!(done(&rejected)["stage"], "REJECTED");
    assert_eq!(seen_by_owner["rejectionReason"], "属于交警管辖范围，已转告相关部门");
    assert_eq!(timeline_kinds(&app, &owner, &topics.parking).await, ["submitted", "rejected"]);
});

on_both!(a_compound_without_a_property_company_has_no_one_to_route_to, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;

    let routed = act(&app, &staff, ROUTE, json!({ "t": topics.roof })).await;
    let en = act_lang(&app, &staff, ROUTE, json!({ "t": topics.roof }), Some("en")).await;

    assert_eq!(refused(&routed), "no_property_company");
    assert_eq!(routed["data"]["routeTopic"]["topic"]["stateCode"], "awaiting_triage", "nothing changed: {routed}");
    assert_eq!(
        en["data"]["routeTopic"]["refusal"]["message"],
        "The compound has no property company to route the request to"
    );
    assert_eq!(timeline_kinds(&app, &staff, &topics.roof).await, ["submitted"]);
});

on_both!(an_escalated_topic_is_the_streets_to_decide_not_the_communitys, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    // A day after the demo topics were raised.
    app.clock.advance(Duration::days(1));
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let secretary = app.login_as("party_secretary").await;
    let officer = app.login_as("street_officer").await;
    let district = app.login_as("district_officer").await;
    let old_owner = app.login_as("old_owner").await;

    let escalated = act(&app, &staff, ESCALATE, json!({ "t": topics.roof, "reason": "涉及相邻社区的排水管网" })).await;
    let reject_by_staff = act(&app, &staff, REJECT, json!({ "t": topics.roof, "reason": "不归社区管" })).await;
    let accept_by_secretary = act(&app, &secretary, ACCEPT, json!({ "t": topics.roof, "plan": plan() })).await;
    let escalate_again = act(&app, &staff, ESCALATE, json!({ "t": topics.roof, "reason": "再上报" })).await;
    let past_street = act(&app, &officer, ESCALATE, json!({ "t": topics.roof, "reason": "上报区里" })).await;
    let rejected =
        act(&app, &officer, REJECT, json!({ "t": topics.roof, "reason": "已纳入街道老旧小区改造计划" })).await;

    let escalated = done(&escalated);
    assert_eq!(escalated["level"], "STREET");
    assert_eq!(escalated["stage"], "COLLECTING", "escalation changes who decides, not where it stands");
    assert_eq!(escalated["deadline"]["kind"], "TRIAGE");
    assert_eq!(
        time(&escalated["deadline"]["dueAt"]) - time(&escalated["submittedAt"]),
        Duration::days(6),
        "the street's own five days start at the escalation, a day after submission"
    );
    assert_eq!(error_code(&reject_by_staff), Some("FORBIDDEN"), "{reject_by_staff}");
    assert_eq!(error_code(&accept_by_secretary), Some("FORBIDDEN"), "{accept_by_secretary}");
    assert_eq!(error_code(&escalate_again), Some("FORBIDDEN"), "{escalate_again}");
    assert_eq!(refused(&past_street), "escalation_limit");
    let rejected = done(&rejected);
    assert_eq!(rejected["stage"], "REJECTED");
    assert_eq!(rejected["level"], "STREET");
    let seen_by_owner = topic(&app, &old_owner, &topics.roof).await;
    assert_eq!(seen_by_owner["rejectionReason"], "已纳入街道老旧小区改造计划");
    assert_eq!(timeline_kinds(&app, &old_owner, &topics.roof).await, ["submitted", "escalated", "rejected"]);
    let escalated_event = &timeline(&app, &old_owner, &topics.roof).await[1];
    assert_eq!(escalated_event["details"]["reason"], "涉及相邻社区的排水管网");
    assert_eq!(
        (&escalated_event["details"]["from"], &escalated_event["details"]["to"]),
        (&json!("community"), &json!("street"))
    );

    // The street also accepts and routes what it was handed; an officer above it may too.
    let resident = app.login_as("resident").await;
    let environment = category(&app, &resident, &places.community, "environment").await;
    let to_accept = raise(&app, &resident, topic_input(&places.jinxiu, &environment, "小区外河道污染")).await;
    let to_route = raise(&app, &resident, topic_input(&places.jinxiu, &environment, "围墙外垃圾堆放")).await;
    for id in [&to_accept, &to_route] {
        done(&act(&app, &staff, ESCALATE, json!({ "t": id, "reason": "涉及街道统筹" })).await);
    }
    let route_by_staff = act(&app, &staff, ROUTE, json!({ "t": to_route })).await;
    let accepted = act(&app, &officer, ACCEPT, json!({ "t": to_accept, "plan": plan() })).await;
    let routed = act(&app, &district, ROUTE, json!({ "t": to_route })).await;

    assert_eq!(error_code(&route_by_staff), Some("FORBIDDEN"), "{route_by_staff}");
    let accepted = done(&accepted);
    assert_eq!((&accepted["stage"], &accepted["level"]), (&json!("DELIBERATING"), &json!("STREET")));
    assert_eq!(done(&routed)["stage"], "SERVICE");
});

on_both!(a_merged_duplicate_carries_its_supporters_over_each_counted_once, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let owner = app.login_as("owner").await;
    let oc_member = app.login_as("oc_member").await;
    let resident = app.login_as("resident").await;
    let parking = category(&app, &owner, &places.community, "parking").await;
    let duplicate = raise(&app, &owner, topic_input(&places.jinxiu, &parking, "消防通道被电动车堵死")).await;
    co_sign(&app, &oc_member, &duplicate).await;

    let merged =
        act(&app, &staff, MERGE, json!({ "t": duplicate, "into": topics.parking, "note": "与已有议题重复" })).await;
    let target = topic(&app, &oc_member, &topics.parking).await;
    let seen_by_owner = topic(&app, &owner, &duplicate).await;

    let merged = done(&merged);
    assert_eq!(merged["stage"], "MERGED");
    assert_eq!(merged["stateCode"], "merged");
    assert_eq!(merged["mergedInto"], topics.parking);
    assert!(merged["deadline"].is_null());
    assert_eq!(seen_by_owner["mergedInto"], topics.parking, "the submitter can follow it");
    assert_eq!(target["coSignCount"], 2, "owner (already co-signing) once, and oc_member: {target}");
    assert_eq!(target["coSignedByMe"], true, "oc_member's support was carried over");
    assert_eq!(topic(&app, &owner, &topics.parking).await["coSignedByMe"], true);
    assert_eq!(topic(&app, &resident, &topics.parking).await["coSignedByMe"], false, "not on one's own topic");
    let target_events = timeline(&app, &resident, &topics.parking).await;
    let merged_in = target_events.iter().find(|e| e["kind"] == "merged_in").expect("merged_in on the target");
    assert!(merged_in["note"].is_null(), "the triage note is the staff's: {merged_in}");
    assert_eq!(timeline_kinds(&app, &owner, &duplicate).await, ["submitted", "merged"]);
    assert_eq!(refused(&act(&app, &resident, CO_SIGN, json!({ "t": duplicate })).await), "wrong_stage");
});

on_both!(a_duplicate_whose_supporters_already_back_the_target_adds_nobody, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    let parking = category(&app, &owner, &places.community, "parking").await;
    // By the target's co-signer, co-signed by the target's own submitter: nobody new to carry.
    let duplicate = raise(&app, &owner, topic_input(&places.jinxiu, &parking, "电动车堵塞消防通道")).await;
    co_sign(&app, &resident, &duplicate).await;

    let merged = act(&app, &staff, MERGE, json!({ "t": duplicate, "into": topics.parking })).await;

    assert_eq!(done(&merged)["stage"], "MERGED");
    assert_eq!(topic(&app, &staff, &topics.parking).await["coSignCount"], 1);
});

on_both!(a_topic_merges_only_into_another_open_topic, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    let parking = category(&app, &owner, &places.community, "parking").await;
    let duplicate = raise(&app, &owner, topic_input(&places.jinxiu, &parking, "晚上电动车乱停")).await;
    let closed = raise(&app, &resident, topic_input(&places.jinxiu, &parking, "地库积水")).await;
    done(&act(&app, &staff, REJECT, json!({ "t": closed, "reason": "已处理" })).await);

    let into_itself = act(&app, &staff, MERGE, json!({ "t": duplicate, "into": duplicate })).await;
    let into_closed = act(&app, &staff, MERGE, json!({ "t": duplicate, "into": closed })).await;
    let by_resident = act(&app, &resident, MERGE, json!({ "t": duplicate, "into": topics.parking })).await;
    let from_closed = act(&app, &staff, MERGE, json!({ "t": closed, "into": topics.parking })).await;

    assert_eq!(refused(&into_itself), "self_merge");
    assert_eq!(refused(&into_closed), "merge_target_closed");
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    assert_eq!(refused(&from_closed), "wrong_stage");
    assert_eq!(topic(&app, &staff, &duplicate).await["stateCode"], "awaiting_triage");
    assert_eq!(topic(&app, &staff, &topics.parking).await["coSignCount"], 1);
});

on_both!(triage_may_file_a_topic_under_another_entry_before_deciding, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let safety = category(&app, &staff, &places.community, "safety").await;
    let parking = category(&app, &staff, &places.community, "parking").await;

    let by_resident = act(&app, &resident, RECLASSIFY, json!({ "t": topics.parking, "c": safety })).await;
    let same = act(&app, &staff, RECLASSIFY, json!({ "t": topics.parking, "c": parking })).await;
    let moved = act(&app, &staff, RECLASSIFY, json!({ "t": topics.parking, "c": safety })).await;

    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    assert_eq!(refused(&same), "same_category");
    let moved = done(&moved);
    assert_eq!(moved["category"]["code"], "safety");
    assert_eq!(moved["stateCode"], "awaiting_triage", "not a decision");
    assert_eq!(timeline_kinds(&app, &resident, &topics.parking).await, ["submitted", "reclassified"]);
});

/// A merge racing the target's rejection never lands in a rejected topic: the target's write is guarded
/// like any transition, so one of the two loses with CONFLICT.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_is_never_merged_into_a_topic_rejected_meanwhile() {
    let Some(app) = spawn_app(gongzhi_tests::Backend::Postgres).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let secretary = app.login_as("party_secretary").await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let environment = category(&app, &resident, &places.community, "environment").await;

    for round in 0..10 {
        let target =
            raise(&app, &resident, topic_input(&places.jinxiu, &environment, &format!("河道垃圾（{round}）"))).await;
        let duplicate =
            raise(&app, &owner, topic_input(&places.jinxiu, &environment, &format!("河边垃圾（{round}）"))).await;

        let (merged, rejected) = futures::join!(
            act(&app, &staff, MERGE, json!({ "t": duplicate, "into": target })),
            act(&app, &secretary, REJECT, json!({ "t": target, "reason": "已列入街道河道整治" }))
        );

        done(&rejected);
        let kinds = timeline_kinds(&app, &staff, &target).await;
        let rejected_at = kinds.iter().position(|k| k == "rejected").expect("rejected event");
        assert!(
            !kinds[rejected_at..].contains(&"merged_in".to_owned()),
            "round {round}: merged into a rejected topic: {kinds:?} (merge answered {merged})"
        );
    }
}

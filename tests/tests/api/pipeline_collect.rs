//! 议题征集 over HTTP: submitting topics (and what a submission may not be), co-signing, withdrawing, the
//! triage deadline, solicitation rounds and the catalogue, and co-signs arriving all at once.

use chrono::Duration;
use futures::future::join_all;
use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::pipeline_support::{
    ACCEPT, CO_SIGN, REJECT, SUBMIT, WITHDRAW, act, act_lang, category, demo, demo_topics, document, done, node, plan,
    raise, refused, time, timeline_kinds, topic, topic_input, upload_photo,
};

on_both!(a_submission_over_the_limits_is_bad_input_and_creates_nothing, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let repairs = category(&app, &resident, &places.community, "repairs").await;
    let base = topic_input(&places.jinxiu, &repairs, "楼道灯不亮");
    let with = |field: &str, value: Value| {
        let mut input = base.clone();
        input[field] = value;
        json!({ "input": input })
    };
    let mut ten_photos = Vec::new();
    for _ in 0..10 {
        ten_photos.push(upload_photo(&app, &resident).await);
    }
    let nine_photos = &ten_photos[..9];
    let owner = app.login_as("owner").await;
    let owners_photo = upload_photo(&app, &owner).await;
    let title_61 = "灯".repeat(61);
    let title_60 = "灯".repeat(60);

    let too_many = act(&app, &resident, SUBMIT, with("photos", json!(ten_photos))).await;
    let too_long = act(&app, &resident, SUBMIT, with("title", json!(title_61))).await;
    let blank = act(&app, &resident, SUBMIT, with("description", json!("   "))).await;
    let twice = act(&app, &resident, SUBMIT, with("photos", json!([ten_photos[0], ten_photos[0]]))).await;
    let borrowed = act(&app, &resident, SUBMIT, with("photos", json!([owners_photo]))).await;
    let invented = act(&app, &resident, SUBMIT, with("photos", json!(["photos/never-uploaded.png"]))).await;
    let bad_key = act(&app, &resident, SUBMIT, with("photos", json!(["my photo.jpg"]))).await;
    let outside_china = act(
        &app,
        &resident,
        SUBMIT,
        with("location", json!({ "datum": "GCJ_02", "latitude": "48.8566", "longitude": "2.3522" })),
    )
    .await;
    let mine = app.gql(Some(&resident), "{ myTopics { edges { node { id } } } }", json!({})).await;

    for (what, body) in [
        ("10 photos", &too_many),
        ("a title of 61 characters", &too_long),
        ("a blank description", &blank),
        ("the same photo twice", &twice),
        ("a photo someone else uploaded", &borrowed),
        ("a photo nobody uploaded", &invented),
        ("a photo key with a space", &bad_key),
        ("GCJ-02 outside China", &outside_china),
    ] {
        assert_eq!(error_code(body), Some("BAD_USER_INPUT"), "{what}: {body}");
        assert!(body["data"]["submitTopic"].is_null(), "{what}: {body}");
    }
    let mine = mine["data"]["myTopics"]["edges"].as_array().map(Vec::len);
    assert_eq!(mine, Some(1), "only the demo topic: nothing was created");

    // The limits themselves are allowed.
    let nine = act(&app, &resident, SUBMIT, with("photos", json!(nine_photos))).await;
    let sixty = act(&app, &resident, SUBMIT, with("title", json!(title_60))).await;
    assert_eq!(done(&nine)["photos"].as_array().map(Vec::len), Some(9), "{nine}");
    assert_eq!(done(&sixty)["title"], title_60);
});

on_both!(nobody_raises_a_topic_about_a_compound_they_do_not_live_in, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let old_owner = app.login_as("old_owner").await;
    let property = app.login_as("property_staff").await;
    let parking = category(&app, &old_owner, &places.community, "parking").await;

    let elsewhere =
        act(&app, &old_owner, SUBMIT, json!({ "input": topic_input(&places.jinxiu, &parking, "车位不够") })).await;
    let by_company =
        act(&app, &property, SUBMIT, json!({ "input": topic_input(&places.jinxiu, &parking, "车位不够") })).await;
    let at_home =
        act(&app, &old_owner, SUBMIT, json!({ "input": topic_input(&places.laojie, &parking, "车位不够") })).await;

    assert_eq!(error_code(&elsewhere), Some("FORBIDDEN"), "{elsewhere}");
    assert_eq!(error_code(&by_company), Some("FORBIDDEN"), "the property company does not raise topics: {by_company}");
    assert_eq!(done(&at_home)["stage"], "COLLECTING");
});

on_both!(a_topic_is_about_a_compound_or_building_never_a_household_or_community, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;
    let household = app.place_id(&resident, &["和平社区", "锦绣花园", "1号楼", "1单元102"]).await;
    let repairs = category(&app, &resident, &places.community, "repairs").await;

    let at_household =
        act(&app, &resident, SUBMIT, json!({ "input": topic_input(&household, &repairs, "家里漏水") })).await;
    let at_community =
        act(&app, &staff, SUBMIT, json!({ "input": topic_input(&places.community, &repairs, "社区道路") })).await;
    let at_building =
        act(&app, &resident, SUBMIT, json!({ "input": topic_input(&places.jinxiu_1, &repairs, "楼道灯不亮") })).await;

    // Refused as not allowed there (today's answer) or as the wrong kind of place; never taken.
    assert!(matches!(error_code(&at_household), Some("FORBIDDEN" | "BAD_USER_INPUT")), "{at_household}");
    assert!(matches!(error_code(&at_community), Some("FORBIDDEN" | "BAD_USER_INPUT")), "{at_community}");
    assert_eq!(done(&at_building)["stage"], "COLLECTING", "{at_building}");
});

on_both!(a_second_co_sign_is_refused_and_not_counted, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let owner = app.login_as("owner").await;

    let again = act(&app, &owner, CO_SIGN, json!({ "t": topics.parking })).await;
    let after = topic(&app, &owner, &topics.parking).await;

    assert_eq!(refused(&again), "already_co_signed", "{again}");
    assert_eq!(after["coSignCount"], 1, "owner co-signed once, in the demo seed");
    assert_eq!(after["coSignedByMe"], true);
});

on_both!(nobody_co_signs_their_own_topic, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let resident = app.login_as("resident").await;

    let own = act(&app, &resident, CO_SIGN, json!({ "t": topics.parking })).await;

    assert_eq!(refused(&own), "own_topic");
    let payload = &own["data"]["coSignTopic"];
    assert_eq!(payload["topic"]["coSignCount"], 1, "the topic as it stands comes back: {own}");
    assert_eq!(payload["topic"]["coSignedByMe"], false);
    assert!(payload["refusal"]["message"].as_str().is_some_and(|m| m.contains("附议")), "Chinese by default: {own}");
});

on_both!(only_the_people_of_the_compound_co_sign_not_its_staff_nor_its_company, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;

    let mut answers = Vec::new();
    for handle in ["rc_staff", "property_staff", "street_officer", "lawyer"] {
        let token = app.login_as(handle).await;
        answers.push((handle, act(&app, &token, CO_SIGN, json!({ "t": topics.parking })).await));
    }
    let building_leader = app.login_as("building_leader").await;
    let chair = app.login_as("oc_chair").await;
    let by_leader = act(&app, &building_leader, CO_SIGN, json!({ "t": topics.parking })).await;
    let by_chair = act(&app, &chair, CO_SIGN, json!({ "t": topics.parking })).await;

    for (handle, body) in &answers {
        assert!(matches!(error_code(body), Some("FORBIDDEN" | "NOT_FOUND")), "{handle}: {body}");
    }
    assert_eq!(done(&by_leader)["coSignCount"], 2);
    assert_eq!(done(&by_chair)["coSignCount"], 3);
});

on_both!(a_neighbour_of_another_compound_cannot_even_see_the_topic, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let old_owner = app.login_as("old_owner").await;

    let seen = node(&app, &old_owner, &topics.parking).await;
    let co_signed = act(&app, &old_owner, CO_SIGN, json!({ "t": topics.parking })).await;
    let staff = app.login_as("rc_staff").await;
    let after = topic(&app, &staff, &topics.parking).await;

    assert_eq!(error_code(&seen), Some("NOT_FOUND"), "{seen}");
    assert_eq!(error_code(&co_signed), Some("NOT_FOUND"), "{co_signed}");
    assert_eq!(after["coSignCount"], 1);
});

on_both!(only_the_submitter_withdraws_and_only_before_triage_decides, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let owner = app.login_as("owner").await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let environment = category(&app, &resident, &places.community, "environment").await;
    let fresh = raise(&app, &resident, topic_input(&places.jinxiu, &environment, "草坪被占用")).await;

    let by_neighbour = act(&app, &owner, WITHDRAW, json!({ "t": topics.parking })).await;
    let by_staff = act(&app, &staff, WITHDRAW, json!({ "t": topics.parking })).await;
    done(&act(&app, &staff, ACCEPT, json!({ "t": topics.parking, "plan": plan() })).await);
    let after_triage = act(&app, &resident, WITHDRAW, json!({ "t": topics.parking })).await;
    let withdrawn = act(&app, &resident, WITHDRAW, json!({ "t": fresh, "note": "已自行解决" })).await;
    let twice = act(&app, &resident, WITHDRAW, json!({ "t": fresh })).await;

    assert_eq!(error_code(&by_neighbour), Some("FORBIDDEN"), "{by_neighbour}");
    assert_eq!(error_code(&by_staff), Some("FORBIDDEN"), "{by_staff}");
    assert_eq!(refused(&after_triage), "wrong_stage");
    assert_eq!(after_triage["data"]["withdrawTopic"]["topic"]["stage"], "DELIBERATING", "{after_triage}");
    let withdrawn = done(&withdrawn);
    assert_eq!(withdrawn["stage"], "WITHDRAWN");
    assert!(withdrawn["deadline"].is_null(), "nothing to wait for: {withdrawn}");
    assert_eq!(refused(&twice), "wrong_stage");
    let co_signed_late = act(&app, &owner, CO_SIGN, json!({ "t": fresh })).await;
    assert_eq!(refused(&co_signed_late), "wrong_stage", "a withdrawn topic takes no support");
});

on_both!(a_fresh_topic_must_be_triaged_within_five_days_and_is_overdue_after, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let safety = category(&app, &resident, &places.community, "safety").await;
    let body =
        act(&app, &resident, SUBMIT, json!({ "input": topic_input(&places.jinxiu, &safety, "消防栓被埋") })).await;
    let fresh = done(&body).clone();
    let id = fresh["id"].as_str().expect("id");

    assert_eq!(fresh["deadline"]["kind"], "TRIAGE");
    assert_eq!(time(&fresh["deadline"]["dueAt"]) - time(&fresh["submittedAt"]), Duration::days(5));
    assert_eq!(fresh["deadline"]["overdue"], false);

    // Access tokens last minutes: log in again after moving the clock.
    app.clock.advance(Duration::days(5));
    let resident = app.login_as("resident").await;
    assert_eq!(
        topic(&app, &resident, id).await["deadline"]["overdue"],
        false,
        "a decision at the very instant is on time"
    );

    app.clock.advance(Duration::minutes(1));
    let late = topic(&app, &resident, id).await;
    assert_eq!(late["deadline"]["overdue"], true, "{late}");
    assert_eq!(late["deadline"]["kind"], "TRIAGE");

    // Being overdue never blocks the decision itself, which ends the deadline.
    let staff = app.login_as("rc_staff").await;
    let rejected = act(&app, &staff, REJECT, json!({ "t": id, "reason": "已由街道统一处理" })).await;
    assert!(done(&rejected)["deadline"].is_null(), "{rejected}");
});

on_both!(a_retired_category_takes_no_new_topics_but_keeps_its_old_ones, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let parking = category(&app, &staff, &places.community, "parking").await;

    let retired = app
        .gql(
            Some(&staff),
            "mutation($c: ID!) { editCategory(categoryId: $c, nameZh: \"停车管理\", nameEn: \"Parking\", active: false) { active } }",
            json!({ "c": parking }),
        )
        .await;
    let refused_body =
        act(&app, &resident, SUBMIT, json!({ "input": topic_input(&places.jinxiu, &parking, "访客车位不足") })).await;
    let active_catalogue = app
        .gql(
            Some(&resident),
            "query($c: ID!) { catalogue(communityId: $c) { code } }",
            json!({ "c": places.community }),
        )
        .await;
    let old = topic(&app, &resident, &topics.parking).await;

    assert_eq!(retired["data"]["editCategory"]["active"], false, "{retired}");
    assert_eq!(refused(&refused_body), "category_retired");
    assert!(refused_body["data"]["submitTopic"]["topic"].is_null(), "nothing was created: {refused_body}");
    let codes: Vec<&str> = active_catalogue["data"]["catalogue"]
        .as_array()
        .expect("catalogue")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert!(!codes.contains(&"parking") && codes.contains(&"repairs"), "{codes:?}");
    assert_eq!(old["category"]["code"], "parking", "old topics keep their category");
    assert_eq!(old["category"]["active"], false);
});

on_both!(residents_do_not_edit_the_catalogue, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let parking = category(&app, &resident, &places.community, "parking").await;

    let edit = app
        .gql(
            Some(&resident),
            "mutation($c: ID!) { editCategory(categoryId: $c, nameZh: \"停车\", nameEn: \"Parking\", active: false) { active } }",
            json!({ "c": parking }),
        )
        .await;
    let add = app
        .gql(
            Some(&resident),
            "mutation($c: ID!) { addCategory(communityId: $c, code: \"pets\", nameZh: \"宠物\", nameEn: \"Pets\") { category { id } } }",
            json!({ "c": places.community }),
        )
        .await;

    assert_eq!(error_code(&edit), Some("FORBIDDEN"), "{edit}");
    assert_eq!(error_code(&add), Some("FORBIDDEN"), "{add}");
});

on_both!(a_topic_answers_a_round_only_while_it_is_open, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let shared_income = category(&app, &resident, &places.community, "shared_income").await;
    let opened = app
        .gql(
            Some(&staff),
            "mutation($p: ID!, $o: DateTime!, $c: DateTime!) {
               openRound(placeId: $p, theme: \"电梯广告收益使用意见征集\", opensAt: $o, closesAt: $c) { id closesAt } }",
            json!({ "p": places.jinxiu, "o": "2026-11-22T08:00:00Z", "c": "2026-11-24T08:00:00Z" }),
        )
        .await;
    let round = opened["data"]["openRound"]["id"].as_str().unwrap_or_else(|| panic!("{opened}")).to_owned();
    let answer = |title: &str| {
        let mut input = topic_input(&places.jinxiu, &shared_income, title);
        input["roundId"] = json!(round);
        json!({ "input": input })
    };

    let listed = app
        .gql(Some(&resident), "query($p: ID!) { rounds(placeId: $p) { id } }", json!({ "p": places.jinxiu_1 }))
        .await;
    let in_time = act(&app, &resident, SUBMIT, answer("广告收益用于更换电梯")).await;
    app.clock.advance(Duration::days(2));
    let resident = app.login_as("resident").await;
    let at_closing = act(&app, &resident, SUBMIT, answer("广告收益用于绿化")).await;
    app.clock.advance(Duration::minutes(1));
    let late = act(&app, &resident, SUBMIT, answer("广告收益分给业主")).await;
    let late_en = act_lang(&app, &resident, SUBMIT, answer("广告收益分给业主"), Some("en")).await;

    assert_eq!(listed["data"]["rounds"][0]["id"], round, "residents of a building see their compound's round");
    assert_eq!(done(&in_time)["stage"], "COLLECTING");
    assert_eq!(refused(&at_closing), "round_not_open", "closesAt is exclusive");
    assert_eq!(refused(&late), "round_not_open");
    let message = late_en["data"]["submitTopic"]["refusal"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("The solicitation round is not open"), "{late_en}");
});

on_both!(a_round_takes_topics_only_from_the_places_it_invites, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let renovation = category(&app, &resident, &places.community, "renovation").await;
    let opened = app
        .gql(
            Some(&staff),
            "mutation($p: ID!) {
               openRound(placeId: $p, theme: \"老旧小区改造意见征集\", opensAt: \"2026-11-22T08:00:00Z\",
                         closesAt: \"2026-12-06T08:00:00Z\") { id } }",
            json!({ "p": places.laojie }),
        )
        .await;
    let round = opened["data"]["openRound"]["id"].as_str().unwrap_or_else(|| panic!("{opened}")).to_owned();
    let mut input = topic_input(&places.jinxiu, &renovation, "外墙保温层脱落");
    input["roundId"] = json!(round);
    let by_resident =
        app.gql(Some(&resident), "query($p: ID!) { rounds(placeId: $p) { id } }", json!({ "p": places.jinxiu })).await;
    let opened_by_resident = app
        .gql(
            Some(&resident),
            "mutation($p: ID!) { openRound(placeId: $p, theme: \"车位\", opensAt: \"2026-11-22T08:00:00Z\",
               closesAt: \"2026-11-29T08:00:00Z\") { id } }",
            json!({ "p": places.jinxiu }),
        )
        .await;
    let already_over = app
        .gql(
            Some(&staff),
            "mutation($p: ID!) { openRound(placeId: $p, theme: \"车位\", opensAt: \"2026-11-01T08:00:00Z\",
               closesAt: \"2026-11-21T08:00:00Z\") { id } }",
            json!({ "p": places.jinxiu }),
        )
        .await;

    let answered = act(&app, &resident, SUBMIT, json!({ "input": input })).await;

    assert_eq!(refused(&answered), "round_elsewhere");
    assert_eq!(by_resident["data"]["rounds"], json!([]), "老街小院's round is not 锦绣花园's: {by_resident}");
    assert_eq!(error_code(&opened_by_resident), Some("FORBIDDEN"), "{opened_by_resident}");
    assert_eq!(error_code(&already_over), Some("BAD_USER_INPUT"), "{already_over}");
});

/// Street officers open rounds for a whole street (community staff only within their community).
#[tokio::test]
async fn a_street_officer_opens_a_round_for_the_whole_street() {
    let Some(app) = spawn_app(gongzhi_tests::Backend::Sqlite).await else { return };
    let places = demo(&app).await;
    let officer = app.login_as("street_officer").await;
    let resident = app.login_as("resident").await;
    let street = app.place_id(&officer, &[]).await;
    let other = category(&app, &resident, &places.community, "other").await;

    let opened = app
        .gql(
            Some(&officer),
            "mutation($p: ID!) {
               openRound(placeId: $p, theme: \"全域文明创建意见征集\", opensAt: \"2026-11-22T08:00:00Z\",
                         closesAt: \"2026-12-22T08:00:00Z\") { id } }",
            json!({ "p": street }),
        )
        .await;
    let round = opened["data"]["openRound"]["id"].as_str().unwrap_or_else(|| panic!("{opened}")).to_owned();
    let mut input = topic_input(&places.jinxiu, &other, "小区周边增设公共厕所");
    input["roundId"] = json!(round);

    assert_eq!(done(&act(&app, &resident, SUBMIT, json!({ "input": input })).await)["stage"], "COLLECTING");
}

on_both!(a_retried_submission_or_co_sign_acts_once, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let environment = category(&app, &resident, &places.community, "environment").await;
    let mut input = topic_input(&places.jinxiu, &environment, "垃圾站夏天异味大");
    input["idempotencyKey"] = json!("submit-2026-11-22-7f3a");

    let first = act(&app, &resident, SUBMIT, json!({ "input": input })).await;
    let retry = act(&app, &resident, SUBMIT, json!({ "input": input })).await;
    let id = done(&first)["id"].as_str().expect("id").to_owned();
    let co_sign = document(CO_SIGN);
    let headers = [("idempotency-key", "co-sign-7f3a")];
    let signed = app.post_with(&owner, &co_sign, json!({ "t": id }), &headers).await;
    let signed: Value = signed.json().await.expect("json");
    let signed_again = app.post_with(&owner, &co_sign, json!({ "t": id }), &headers).await;
    let replayed = signed_again.headers().get("idempotent-replayed").cloned();
    let signed_again: Value = signed_again.json().await.expect("json");
    let mine = app.gql(Some(&resident), "{ myTopics { edges { node { title } } } }", json!({})).await;

    assert_eq!(retry, first, "the retry is answered from the first result");
    assert_eq!(mine["data"]["myTopics"]["edges"].as_array().map(Vec::len), Some(2), "one new topic: {mine}");
    assert_eq!(done(&signed)["coSignCount"], 1);
    assert_eq!(signed_again, signed, "not a CONFLICT: the same co-sign, retried");
    assert_eq!(replayed.as_ref().and_then(|v| v.to_str().ok()), Some("true"));
    assert_eq!(topic(&app, &owner, &id).await["coSignCount"], 1);
});

on_both!(refusals_and_errors_are_worded_in_the_language_asked_for, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;

    let own_en = act_lang(&app, &resident, CO_SIGN, json!({ "t": topics.parking }), Some("en-US,en;q=0.9")).await;
    let own_zh = act_lang(&app, &resident, CO_SIGN, json!({ "t": topics.parking }), Some("zh-CN")).await;
    let forbidden_en = act_lang(&app, &owner, WITHDRAW, json!({ "t": topics.parking }), Some("en")).await;

    assert_eq!(refused(&own_en), "own_topic");
    assert_eq!(own_en["data"]["coSignTopic"]["refusal"]["message"], "You cannot co-sign your own topic");
    assert_eq!(own_zh["data"]["coSignTopic"]["refusal"]["message"], "不能附议自己提出的议题");
    assert_eq!(error_code(&forbidden_en), Some("FORBIDDEN"));
    assert_eq!(error_message(&forbidden_en), Some("You are not permitted to do this"), "{forbidden_en}");
});

/// `n` people who logged in with WeChat for the first time, each made a resident of one of 锦绣花园's six
/// households by the residents' committee (several share a household); their access tokens.
async fn new_neighbours(app: &TestApp, n: usize) -> Vec<String> {
    let staff = app.login_as("rc_staff").await;
    let mut households = Vec::new();
    for (building, unit) in [
        ("1号楼", "1单元101"),
        ("1号楼", "1单元102"),
        ("1号楼", "1单元201"),
        ("1号楼", "1单元202"),
        ("2号楼", "1单元101"),
        ("2号楼", "1单元102"),
    ] {
        households.push(app.place_id(&staff, &["和平社区", "锦绣花园", building, unit]).await);
    }
    let mut neighbours = Vec::new();
    for i in 0..n {
        let login = app
            .gql(
                None,
                "mutation($code: String!) { loginWithWeChat(code: $code) { accessToken person { id } } }",
                json!({ "code": format!("ok:oNeighbour{i:04}") }),
            )
            .await;
        let token = login["data"]["loginWithWeChat"]["accessToken"].as_str().unwrap_or_else(|| panic!("{login}"));
        let person = login["data"]["loginWithWeChat"]["person"]["id"].as_str().expect("person id");
        let granted = app
            .gql(
                Some(&staff),
                "mutation($p: ID!, $h: ID!) { grantRole(input: { personId: $p, role: RESIDENT, placeId: $h }) { grant { id } } }",
                json!({ "p": person, "h": households[i % households.len()] }),
            )
            .await;
        assert!(granted["data"]["grantRole"]["grant"]["id"].is_string(), "{granted}");
        neighbours.push(token.to_owned());
    }
    neighbours
}

on_both!(twenty_neighbours_co_signing_at_once_are_each_counted_once, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let neighbours = new_neighbours(&app, 20).await;
    let environment = category(&app, &resident, &places.community, "environment").await;
    let id = raise(&app, &resident, topic_input(&places.jinxiu, &environment, "小区池塘发臭")).await;

    let answers = join_all(neighbours.iter().map(|token| act(&app, token, CO_SIGN, json!({ "t": id })))).await;

    let succeeded = answers.iter().filter(|body| body["data"]["coSignTopic"]["ok"] == true).count();
    let failures: Vec<&Value> = answers.iter().filter(|body| body["data"]["coSignTopic"]["ok"] != true).collect();
    assert!(failures.is_empty(), "every co-sign is taken: {failures:?}");
    assert_eq!(succeeded, 20);
    let after = topic(&app, &staff, &id).await;
    assert_eq!(after["coSignCount"], 20, "{after}");
    let co_signed = timeline_kinds(&app, &staff, &id).await.iter().filter(|k| *k == "co_signed").count();
    assert_eq!(co_signed, 20, "one event per co-signer");
    assert_eq!(topic(&app, &neighbours[7], &id).await["coSignedByMe"], true);
});

/// A co-sign racing the triage decision is refused once the decision commits (the count only rises while
/// the topic awaits triage), on PostgreSQL as on SQLite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_co_sign_is_taken_after_the_triage_decision_even_when_they_race() {
    let Some(app) = spawn_app(gongzhi_tests::Backend::Postgres).await else { return };
    let places = demo(&app).await;
    let neighbours = new_neighbours(&app, 20).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let environment = category(&app, &resident, &places.community, "environment").await;

    for round in 0..5 {
        let id = raise(&app, &resident, topic_input(&places.jinxiu, &environment, &format!("池塘发臭（第{round}次）")))
            .await;
        let accept = act(&app, &staff, ACCEPT, json!({ "t": id, "plan": plan() }));
        let co_signs = join_all(neighbours.iter().map(|token| act(&app, token, CO_SIGN, json!({ "t": id }))));
        let (accepted, _) = futures::join!(accept, co_signs);
        done(&accepted);

        let kinds = timeline_kinds(&app, &staff, &id).await;
        let decision = kinds.iter().position(|k| k == "accepted").expect("accepted event");
        let late = kinds[decision..].iter().filter(|k| *k == "co_signed").count();
        assert_eq!(late, 0, "round {round}: co-signs recorded after the acceptance: {kinds:?}");
    }
}

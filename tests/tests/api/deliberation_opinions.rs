//! The online opinion thread of a topic under deliberation (网上协商), over HTTP on SQLite and PostgreSQL:
//! opinions with stances and their replies, who may see and post, moderation that hides without deleting,
//! reports once per person, and refusals while the topic is not deliberating.

use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

use crate::deliberation_support::*;

on_both!(residents_post_opinions_with_stances_and_reply_to_them, |backend| async move {
    // Arrange: the parking topic under deliberation.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let leader = app.login_as("building_leader").await;

    // Act: three opinions, one of each stance, and replies to the first.
    let first = posted(&app, &owner, &topic, "FOR", "支持划定停放区。\n楼道太窄，电动车挡路。").await;
    let second = posted(&app, &resident, &topic, "AGAINST", "停放区离我家太远。").await;
    let third = posted(&app, &leader, &topic, "NEUTRAL", "建议先调查各楼停放需求。").await;
    let reply = opinion_gql(
        &app,
        &resident,
        REPLY,
        json!({ "input": { "opinionId": first["id"], "text": "同意，但要加装充电桩。" } }),
    )
    .await;
    let reply = opinion_done(&reply).clone();
    let staff_reply = opinion_gql(
        &app,
        &staff,
        REPLY,
        json!({ "input": { "opinionId": first["id"], "text": "居委会将在联席会议上讨论充电桩。" } }),
    )
    .await;
    opinion_done(&staff_reply);
    let nested =
        opinion_gql(&app, &owner, REPLY, json!({ "input": { "opinionId": reply["id"], "text": "好的" } })).await;

    // Assert: what was posted, as its author sees it.
    assert_eq!(first["stance"], "FOR");
    assert_eq!(first["text"], "支持划定停放区。\n楼道太窄，电动车挡路。");
    assert_eq!(first["mine"], true);
    assert!(first["replyTo"].is_null());
    assert_eq!(reply["replyTo"], first["id"]);
    assert!(reply["stance"].is_null(), "replies take no stance");
    assert_eq!(error_code(&nested), Some("BAD_USER_INPUT"), "replies go one level deep: {nested}");

    // The thread, newest opinion first, each with its replies oldest first, and the stance counts.
    let page = thread(&app, &resident, &topic, 2, None).await;
    let shown = opinions(&page);
    assert_eq!(shown.iter().map(|o| o["id"].clone()).collect::<Vec<_>>(), [third["id"].clone(), second["id"].clone()]);
    assert_eq!(page["data"]["node"]["opinions"]["stanceCounts"], json!({ "for": 1, "against": 1, "neutral": 1 }));
    assert!(page["data"]["node"]["opinions"]["hiddenCount"].is_null(), "residents are not told of hidden opinions");
    assert_eq!(page["data"]["node"]["opinions"]["pageInfo"]["hasNextPage"], true);
    let after = page["data"]["node"]["opinions"]["pageInfo"]["endCursor"].as_str().expect("cursor").to_owned();
    let rest = thread(&app, &resident, &topic, 2, Some(&after)).await;
    let rest = opinions(&rest);
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["id"], first["id"]);
    let replies = rest[0]["replies"].as_array().expect("replies");
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[0]["text"], "同意，但要加装充电桩。");
    assert_eq!(replies[1]["author"]["id"], person_id(&app, &staff).await);
    assert!(rest[0]["reportCount"].is_null(), "report counts are for moderators");
});

on_both!(a_resident_of_another_compound_can_neither_see_nor_post_opinions, |backend| async move {
    // Arrange: an opinion in 锦绣花园's parking thread; `old_owner` lives in 老街小院.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let opinion = posted(&app, &app.login_as("owner").await, &topic, "FOR", "支持。").await;
    let outsider = app.login_as("old_owner").await;

    // Act
    let seen = thread(&app, &outsider, &topic, 10, None).await;
    let post = opinion_gql(
        &app,
        &outsider,
        POST,
        json!({ "input": { "topicId": topic, "stance": "AGAINST", "text": "我也要说两句。" } }),
    )
    .await;
    let reply =
        opinion_gql(&app, &outsider, REPLY, json!({ "input": { "opinionId": opinion["id"], "text": "同上" } })).await;
    let report =
        opinion_gql(&app, &outsider, REPORT, json!({ "input": { "opinionId": opinion["id"], "reason": "不实信息" } }))
            .await;

    // Assert: the topic does not exist for them, and the thread is unchanged.
    for body in [&seen, &post, &reply, &report] {
        assert_eq!(error_code(body), Some("NOT_FOUND"), "{body}");
    }
    let thread_now = thread(&app, &staff, &topic, 10, None).await;
    assert_eq!(opinions(&thread_now).len(), 1);
    assert_eq!(opinions(&thread_now)[0]["replies"], json!([]));
});

on_both!(
    hiding_an_opinion_with_a_reason_removes_it_from_the_residents_view_but_not_from_the_staffs,
    |backend| async move {
        // Arrange: two opinions, the second with a reply.
        let Some(app) = spawn_app(backend).await else { return };
        let staff = app.login_as("rc_staff").await;
        let topic = deliberating_topic(&app, &staff).await;
        let owner = app.login_as("owner").await;
        let resident = app.login_as("resident").await;
        let kept = posted(&app, &owner, &topic, "FOR", "支持划定停放区。").await;
        let rude = posted(&app, &resident, &topic, "AGAINST", "物业都是骗子！").await;
        let reply =
            opinion_gql(&app, &owner, REPLY, json!({ "input": { "opinionId": rude["id"], "text": "请文明发言" } }))
                .await;
        opinion_done(&reply);

        // Act: the topic's lead hides the rude one with a reason.
        let hidden = opinion_gql(
            &app,
            &staff,
            HIDE,
            json!({ "input": { "opinionId": rude["id"], "reason": "含人身攻击，请就事论事" } }),
        )
        .await;

        // Assert: the moderation is recorded with who, when and why.
        let hidden = opinion_done(&hidden).clone();
        assert_eq!(hidden["hidden"], true);
        assert_eq!(hidden["hiding"]["reason"], "含人身攻击，请就事论事");
        assert_eq!(hidden["hiding"]["hiddenBy"]["id"], person_id(&app, &staff).await);
        assert!(hidden["hiding"]["hiddenAt"].is_string());

        // Residents no longer see it (nor its replies), and it no longer counts.
        let neighbour = app.login_as("building_leader").await;
        let public = thread(&app, &neighbour, &topic, 10, None).await;
        assert_eq!(opinions(&public).iter().map(|o| o["id"].clone()).collect::<Vec<_>>(), [kept["id"].clone()]);
        assert_eq!(public["data"]["node"]["opinions"]["stanceCounts"], json!({ "for": 1, "against": 0, "neutral": 0 }));
        let gone =
            opinion_gql(&app, &neighbour, REPLY, json!({ "input": { "opinionId": rude["id"], "text": "?" } })).await;
        assert_eq!(error_code(&gone), Some("NOT_FOUND"), "{gone}");

        // Its author still sees it, flagged, with the reason; and can no longer be replied to.
        let own = thread(&app, &resident, &topic, 10, None).await;
        let own_hidden = opinions(&own).into_iter().find(|o| o["id"] == rude["id"]).expect("the author sees it");
        assert_eq!(own_hidden["hidden"], true);
        assert_eq!(own_hidden["hiding"]["reason"], "含人身攻击，请就事论事");
        let to_hidden =
            opinion_gql(&app, &resident, REPLY, json!({ "input": { "opinionId": rude["id"], "text": "我收回" } }))
                .await;
        assert_eq!(refused(&to_hidden).0, "opinion_hidden");

        // Staff still see it in the thread, flagged, with its reply, and the hidden count.
        let staff_view = thread(&app, &staff, &topic, 10, None).await;
        let shown = opinions(&staff_view);
        assert_eq!(shown.len(), 2);
        let flagged = shown.iter().find(|o| o["id"] == rude["id"]).expect("staff see it");
        assert_eq!(flagged["hidden"], true);
        assert_eq!(flagged["text"], "物业都是骗子！");
        assert_eq!(flagged["replies"].as_array().map(Vec::len), Some(1));
        assert_eq!(staff_view["data"]["node"]["opinions"]["hiddenCount"], 1);
        assert_eq!(staff_view["data"]["node"]["opinions"]["stanceCounts"]["against"], 0);

        // Hiding it again is refused as data.
        let again =
            opinion_gql(&app, &staff, HIDE, json!({ "input": { "opinionId": rude["id"], "reason": "重复" } })).await;
        assert_eq!(refused(&again).0, "already_hidden", "{again}");
    }
);

on_both!(a_resident_cannot_hide_an_opinion, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let opinion = posted(&app, &app.login_as("owner").await, &topic, "FOR", "支持。").await;
    let resident = app.login_as("resident").await;

    // Act
    let body = app
        .gql_lang(
            Some(&resident),
            &format!("{HIDE}\nfragment OP on OpinionPayload {{ ok }}"),
            json!({ "input": { "opinionId": opinion["id"], "reason": "我不同意" } }),
            Some("en"),
        )
        .await;

    // Assert: refused, worded, and nothing changed.
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert!(
        error_message(&body).is_some_and(|m| m.starts_with(
            "You are not permitted to do this; it needs one of these roles: residents' committee staff of the community"
        )),
        "{body}"
    );
    let public = thread(&app, &resident, &topic, 10, None).await;
    assert_eq!(opinions(&public)[0]["hidden"], false);
    assert!(opinions(&public)[0]["hiding"].is_null());
});

on_both!(reporting_an_opinion_twice_is_a_conflict_and_staff_see_the_count, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let owner = app.login_as("owner").await;
    let opinion = posted(&app, &owner, &topic, "AGAINST", "停放区收费不合理。").await;
    let resident = app.login_as("resident").await;
    let report = |reason: &str| json!({ "input": { "opinionId": opinion["id"], "reason": reason } });

    // Act
    let first = opinion_gql(&app, &resident, REPORT, report("内容与议题无关")).await;
    let second = opinion_gql(&app, &resident, REPORT, report("再次举报")).await;
    let own = opinion_gql(&app, &owner, REPORT, report("举报自己")).await;
    app.clock.advance(chrono::Duration::minutes(1));
    let leader = app.login_as("building_leader").await;
    let other = opinion_gql(&app, &leader, REPORT, report("信息不实")).await;

    // Assert: one report per person, the second refused as data worded in Chinese by default, as is
    // reporting one's own.
    assert_eq!(opinion_done(&first)["reportedByMe"], true);
    assert!(opinion_done(&first)["reportCount"].is_null(), "residents do not see counts");
    assert_eq!(refused(&second), ("already_reported", "您已举报过该意见"), "{second}");
    assert_eq!(refused(&own).0, "own_opinion");
    opinion_done(&other);

    // Staff see two reports with their reasons; the opinion stays in the public thread until they act.
    let staff_view = thread(&app, &staff, &topic, 10, None).await;
    let seen = &opinions(&staff_view)[0];
    assert_eq!(seen["reportCount"], 2);
    let reasons: Vec<&str> =
        seen["reports"].as_array().expect("reports").iter().filter_map(|r| r["reason"].as_str()).collect();
    assert_eq!(reasons, ["内容与议题无关", "信息不实"]);
    let public = thread(&app, &resident, &topic, 10, None).await;
    assert_eq!(opinions(&public)[0]["reportedByMe"], true);
    assert!(opinions(&public)[0]["reports"].is_null());
});

on_both!(opinions_are_refused_as_data_while_the_topic_is_not_deliberating, |backend| async move {
    // Arrange: the roof topic of 老街小院, still awaiting triage; `old_owner` raised it and lives there.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = demo_topic(&app, &staff, "屋顶漏雨").await;
    let old_owner = app.login_as("old_owner").await;

    // Act
    let body = opinion_gql(
        &app,
        &old_owner,
        POST,
        json!({ "input": { "topicId": topic, "stance": "FOR", "text": "请尽快维修。" } }),
    )
    .await;

    // Assert: a refusal the client switches on, worded for the resident, and nothing posted.
    let (code, message) = refused(&body);
    assert_eq!(code, "wrong_stage");
    assert!(message.contains("待梳理"), "{message}");
    assert!(payload(&body)["opinion"].is_null());
    let now_thread = thread(&app, &staff, &topic, 10, None).await;
    assert_eq!(opinions(&now_thread), Vec::<serde_json::Value>::new());
    assert_eq!(now_thread["data"]["node"]["opinions"]["stanceCounts"], json!({ "for": 0, "against": 0, "neutral": 0 }));
});

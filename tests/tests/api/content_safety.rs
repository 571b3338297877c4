//! Content safety (issue 19, decisions 130–134) over HTTP on SQLite and PostgreSQL, with the fake WeChat
//! check: text that passes is published at once; risky text is held for the residents' committee, pending
//! for its author and unseen by neighbours, until staff approve (published) or reject (with a reason the
//! author reads); only the community's own staff moderate; the word list is the embedded default.

use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::{Value, json};

use crate::content_support::*;
use crate::pipeline_support::demo;

on_both!(a_topic_that_passes_the_check_is_published_at_once, |backend| async move {
    // Arrange
    let Some(app) = app_on_wechat(backend).await else { return };
    let resident = app.login_as("resident").await;

    // Act
    let submitted = submit(&app, &resident, "3号楼电梯异响").await;

    // Assert
    assert_eq!(submitted["ok"], true, "{submitted}");
    assert!(submitted["held"].is_null(), "{submitted}");
    assert_eq!(submitted["topic"]["title"], "3号楼电梯异响");
    let asked = app.wechat.last_content_check().expect("the check was asked");
    assert_eq!((asked["version"].clone(), asked["scene"].clone()), (json!(2), json!(3)), "{asked}");
    assert!(asked["content"].as_str().unwrap_or_default().starts_with("3号楼电梯异响\n"), "{asked}");
    assert!(asked["openid"].as_str().is_some_and(|o| !o.is_empty()), "the author's openid is sent: {asked}");
    assert_eq!(app.wechat.token_fetches(), 1);
    // The stable token (decision 137), never forced: another service of the appid keeps its token.
    let token = app.wechat.last_token_request().expect("a token was asked");
    assert_eq!(
        (token["grant_type"].as_str(), token["force_refresh"].as_bool()),
        (Some("client_credential"), Some(false))
    );
});

on_both!(
    a_risky_opinion_is_pending_for_its_author_unseen_by_a_neighbour_and_published_when_staff_approve,
    |backend| async move {
        // Arrange
        let Some(app) = app_on_wechat(backend).await else { return };
        let owner = app.login_as("owner").await;
        let resident = app.login_as("resident").await;
        let staff = app.login_as("rc_staff").await;
        let places = demo(&app).await;

        // Act: the owner posts text the check calls risky.
        let (topic, posted) = opinion(&app, &owner, "[risky] 加我微信领补贴").await;

        // Assert: held, pending for the author, unseen by the neighbour, in the committee's queue.
        assert_eq!(posted["ok"], true, "{posted}");
        assert!(posted["opinion"].is_null(), "{posted}");
        let held = &posted["held"];
        assert_eq!((held["state"].as_str(), held["pending"].as_bool()), (Some("HELD"), Some(true)), "{posted}");
        assert_eq!((held["kind"].as_str(), held["suggestion"].as_str()), (Some("OPINION"), Some("RISKY")));
        let hold = held["id"].as_str().expect("hold id").to_owned();
        assert_eq!(mine(&app, &owner).await.iter().map(|h| h["id"].clone()).collect::<Vec<_>>(), [json!(hold)]);
        assert!(mine(&app, &resident).await.is_empty(), "a neighbour has no such submission");
        assert!(!thread_texts(&app, &resident, &topic).await.iter().any(|t| t.contains("补贴")));
        assert!(!thread_texts(&app, &owner, &topic).await.iter().any(|t| t.contains("补贴")), "not in the thread yet");
        let queued = queue(&app, &staff, &places.community, false).await;
        assert_eq!(field(&queued).as_array().map(|q| q.len()), Some(1), "{queued}");

        // Act: the residents' committee approves it.
        let approved = held_gql(&app, &staff, APPROVE, json!({ "h": hold })).await;

        // Assert: published as the owner's, seen by the neighbour, out of the queue.
        let payload = field(&approved);
        assert_eq!(payload["ok"], true, "{approved}");
        assert_eq!(payload["hold"]["state"], "PUBLISHED");
        assert_eq!(payload["hold"]["pending"], false);
        assert!(payload["hold"]["publishedId"].is_string(), "{approved}");
        assert_eq!(thread_texts(&app, &resident, &topic).await, ["[risky] 加我微信领补贴"]);
        let queued = queue(&app, &staff, &places.community, false).await;
        assert_eq!(field(&queued), &json!([]), "{queued}");

        // A second decision finds it decided.
        let again = held_gql(&app, &staff, APPROVE, json!({ "h": hold })).await;
        assert_eq!(field(&again)["refusal"]["code"], "content_not_held", "{again}");
    }
);

on_both!(a_risky_topic_is_held_and_a_rejection_keeps_the_reason_for_its_author, |backend| async move {
    // Arrange
    let Some(app) = app_on_wechat(backend).await else { return };
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let staff = app.login_as("rc_staff").await;

    // Act
    let submitted = submit(&app, &resident, "[review] 出售二手车").await;
    let hold = submitted["held"]["id"].as_str().unwrap_or_else(|| panic!("not held: {submitted}")).to_owned();
    let rejected = held_gql(&app, &staff, REJECT, json!({ "h": hold, "reason": "与小区公共事务无关" })).await;

    // Assert
    assert_eq!(submitted["held"]["suggestion"], "REVIEW", "{submitted}");
    assert!(submitted["topic"].is_null());
    assert!(!feed_titles(&app, &owner).await.iter().any(|t| t.contains("二手车")), "never shown to neighbours");
    assert_eq!(field(&rejected)["ok"], true, "{rejected}");
    let seen = mine(&app, &resident).await;
    assert_eq!(seen[0]["state"], "REJECTED");
    assert_eq!(seen[0]["pending"], false);
    assert_eq!(seen[0]["rejectionReason"], "与小区公共事务无关");
    assert_eq!(seen[0]["title"], "[review] 出售二手车");
    assert!(!feed_titles(&app, &resident).await.iter().any(|t| t.contains("二手车")));
});

on_both!(a_risky_reply_is_held_like_an_opinion_and_the_thread_shows_only_the_opinion, |backend| async move {
    // Arrange: a published opinion.
    let Some(app) = app_on_wechat(backend).await else { return };
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    let (topic, posted) = opinion(&app, &owner, "支持划定停放区").await;
    let first = posted["opinion"]["id"].as_str().unwrap_or_else(|| panic!("not published: {posted}")).to_owned();

    // Act
    let body =
        held_gql(&app, &resident, REPLY, json!({ "input": { "opinionId": first, "text": "[risky] 私信我" } })).await;

    // Assert
    let replied = field(&body);
    assert_eq!(replied["held"]["kind"], "REPLY", "{body}");
    assert_eq!(replied["held"]["state"], "HELD");
    assert_eq!(app.wechat.last_content_check().expect("asked")["scene"], 2, "a reply is a comment");
    let thread = crate::deliberation_support::thread(&app, &owner, &topic, 10, None).await;
    let shown = crate::deliberation_support::opinions(&thread);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["replies"], json!([]), "{thread}");
});

on_both!(the_word_list_is_the_default_check_and_holds_a_listed_word, |backend| async move {
    // Arrange: no checker configured.
    let Some(app) = spawn_app(backend).await else { return };
    let resident = app.login_as("resident").await;

    // Act
    let ordinary = submit(&app, &resident, "楼道灯不亮").await;
    let listed = submit(&app, &resident, "有人在群里发赌博网站").await;

    // Assert
    assert_eq!(ordinary["topic"]["title"], "楼道灯不亮", "{ordinary}");
    assert_eq!(listed["held"]["state"], "HELD", "{listed}");
    assert_eq!(listed["held"]["suggestion"], "RISKY");
    assert_eq!(app.wechat.content_checks(), 0, "WeChat is not asked by default");
});

on_both!(a_resident_may_not_moderate_nor_may_staff_of_another_community, |backend| async move {
    // Arrange: a held opinion, and staff of a second community.
    let Some(app) = app_on_wechat(backend).await else { return };
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    let (_, posted) = opinion(&app, &owner, "[risky] 广告").await;
    let hold = posted["held"]["id"].as_str().expect("held").to_owned();
    let places = demo(&app).await;
    let elsewhere = other_community_staff(&app).await;

    // Act
    let by_resident = held_gql(&app, &resident, APPROVE, json!({ "h": hold })).await;
    let by_owner = held_gql(&app, &owner, REJECT, json!({ "h": hold, "reason": "不喜欢" })).await;
    let by_outsider = held_gql(&app, &elsewhere, APPROVE, json!({ "h": hold })).await;
    let outsiders_queue = queue(&app, &elsewhere, &places.community, false).await;
    let residents_queue = queue(&app, &resident, &places.community, false).await;

    // Assert: refused, and nothing changed.
    for refused in [&by_resident, &by_owner, &by_outsider, &outsiders_queue, &residents_queue] {
        assert_eq!(error_code(refused), Some("FORBIDDEN"), "{refused}");
    }
    let seen = mine(&app, &owner).await;
    assert_eq!(seen[0]["state"], "HELD");
});

/// The lawyer, made staff of a second community (幸福社区) by the street officer; their token.
async fn other_community_staff(app: &gongzhi_tests::TestApp) -> String {
    let officer = app.login_as("street_officer").await;
    let street = app.place_id(&officer, &[]).await;
    let created = app
        .gql(
            Some(&officer),
            "mutation($parent: ID!) { createPlace(input: { parentId: $parent, kind: COMMUNITY, name: \"幸福社区\" }) { place { id } } }",
            json!({ "parent": street }),
        )
        .await;
    let community = created["data"]["createPlace"]["place"]["id"].clone();
    let lawyer = app.login_as("lawyer").await;
    let person = gongzhi_tests::app::person_id(app, &lawyer).await;
    let granted: Value = app
        .gql(
            Some(&officer),
            "mutation($p: ID!, $at: ID!) { grantRole(input: { personId: $p, role: RESIDENTS_COMMITTEE_STAFF, placeId: $at }) { ok refusal { code } } }",
            json!({ "p": person, "at": community }),
        )
        .await;
    assert_eq!(granted["data"]["grantRole"]["ok"], true, "{granted}");
    app.login_as("lawyer").await
}

on_both!(
    a_risky_topic_sent_with_an_idempotency_key_is_held_once_and_its_retry_answers_the_same,
    |backend| async move {
        // Arrange: a request with an idempotency key runs in a unit of work, and the check flags the text.
        let Some(app) = app_on_wechat(backend).await else { return };
        let resident = app.login_as("resident").await;
        let staff = app.login_as("rc_staff").await;
        let places = demo(&app).await;
        let repairs = crate::pipeline_support::category(&app, &staff, &places.community, "repairs").await;
        let input =
            json!({ "input": crate::pipeline_support::topic_input(&places.jinxiu, &repairs, "[risky] 加我微信") });
        let query = format!("{SUBMIT}\n{HOLD}");
        let send = || app.post_with(&resident, &query, input.clone(), &[("idempotency-key", "held-7f3a")]);

        // Act
        let first: Value = send().await.json().await.expect("json");
        let retry: Value = send().await.json().await.expect("json");

        // Assert: held, not UNAVAILABLE; the retry replays it; one hold in all.
        let held = &field(&first)["held"];
        assert_eq!(held["state"], "HELD", "{first}");
        assert_eq!(field(&retry)["held"]["id"], held["id"], "the retry answers the first result: {retry}");
        assert_eq!(mine(&app, &resident).await.len(), 1, "held once");
    }
);

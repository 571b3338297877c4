//! Content safety for the kinds of text beyond topics and opinions (decision 135), over HTTP on SQLite and
//! PostgreSQL with the fake WeChat check: meeting minutes, rating comments, explanations and disclosure
//! questions. For each: text that passes is shown at once; risky text is held (pending for its author,
//! unseen by others) until the residents' committee approves it, which publishes it through the same step;
//! an unavailable check holds it as awaiting its check, and the retry round publishes it once it answers.

use chrono::Duration;
use gongzhi_tests::fake_wechat::Outage;
use gongzhi_tests::{TestApp, on_both};
use serde_json::{Value, json};

use crate::content_support::*;
use crate::deliberation_support::{deliberating_topic, meeting_input, scheduled};
use crate::disclosures_support::list;
use crate::pipeline_support::demo;

/// The held submission of a payload, asserted to be in `state` and of `kind`; its id.
fn held_as(payload: &Value, kind: &str, state: &str) -> String {
    let held = &payload["held"];
    assert_eq!((held["kind"].as_str(), held["state"].as_str()), (Some(kind), Some(state)), "{payload}");
    assert_eq!(held["pending"], true, "{payload}");
    held["id"].as_str().expect("hold id").to_owned()
}

/// Staff approve a hold; the approved hold.
async fn approve(app: &TestApp, hold: &str) -> Value {
    let staff = app.login_as("rc_staff").await;
    let approved = held_gql(app, &staff, APPROVE, json!({ "h": hold })).await;
    let payload = field(&approved).clone();
    assert_eq!((payload["ok"].as_bool(), payload["hold"]["state"].as_str()), (Some(true), Some("PUBLISHED")));
    payload["hold"].clone()
}

/// With the check down, a round after the first wait finds nothing to publish; with it back, the next
/// round after the doubled wait publishes the one owed check.
async fn retried_until_published(app: &TestApp) {
    app.clock.advance(Duration::minutes(1));
    assert_eq!(app.content.recheck_due().await.expect("round").still_unchecked, 1);
    app.wechat.set_outage(Outage::None);
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.content.recheck_due().await.expect("round").published, 1);
}

/// The latest minutes of a meeting as `token` reads them.
async fn minutes(app: &TestApp, token: &str, meeting: &str) -> Value {
    let query = "query($m: ID!) { node(id: $m) { ... on Meeting { minutes { version text } } } }";
    let body = app.gql(Some(token), query, json!({ "m": meeting })).await;
    body["data"]["node"]["minutes"].clone()
}

const MINUTES: &str = "mutation($input: WriteMinutesInput!) {
  writeMeetingMinutes(input: $input) { ok refusal { code } meeting { minutes { version text } } held { ...H } } }";

on_both!(minutes_are_checked_held_when_risky_or_unchecked_and_published_by_approval_or_retry, |backend| async move {
    // Arrange: a meeting on the parking topic that has started.
    let Some(app) = app_on_wechat(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let meeting = scheduled(&app, &staff, meeting_input(&app, &topic, 1, 3, json!([]))).await;
    let id = meeting["id"].as_str().expect("id").to_owned();
    app.clock.advance(Duration::hours(2));
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let write = |text: &str, reason: Option<&str>| json!({ "input": { "meetingId": id, "text": text, "attachments": [], "reason": reason } });

    // Act & Assert: minutes that pass are recorded at once, asked as forum text.
    let first = held_gql(&app, &staff, MINUTES, write("一、同意划定停放区。", None)).await;
    assert_eq!(field(&first)["meeting"]["minutes"]["version"], 1, "{first}");
    assert!(field(&first)["held"].is_null());
    assert_eq!(app.wechat.last_content_check().expect("asked")["scene"], 3);

    // Risky minutes are held: the resident still reads the first version; approval records the second.
    let risky = held_gql(&app, &staff, MINUTES, write("[risky] 二、加群领补贴。", Some("补记"))).await;
    let hold = held_as(field(&risky), "MINUTES", "HELD");
    assert_eq!(field(&risky)["meeting"]["minutes"]["version"], 1, "{risky}");
    assert_eq!(minutes(&app, &resident, &id).await["version"], 1);
    let approved = approve(&app, &hold).await;
    assert_eq!(approved["publishedId"], json!(id), "the meeting the minutes are of");
    assert_eq!(minutes(&app, &resident, &id).await["text"], "[risky] 二、加群领补贴。");

    // With the check down, they wait for it, unseen, and the retry round records them.
    app.wechat.set_outage(Outage::Error);
    let unchecked = held_gql(&app, &staff, MINUTES, write("三、下次会议定于周六。", Some("补记时间"))).await;
    held_as(field(&unchecked), "MINUTES", "AWAITING_CHECK");
    assert_eq!(minutes(&app, &resident, &id).await["version"], 2);
    retried_until_published(&app).await;
    assert_eq!(minutes(&app, &resident, &id).await["version"], 3);
});

const RATE: &str = "mutation($t: ID!, $score: Int!, $comment: String) {
  rateTopic(topicId: $t, score: $score, comment: $comment) { ok refusal { code } topic { ratings { count } } held { ...H } } }";

on_both!(a_rating_comment_is_checked_and_a_held_rating_counts_only_once_published, |backend| async move {
    // Arrange: the parking topic's outcome is published; rating is open.
    let Some(app) = app_on_wechat(backend).await else { return };
    let topic = crate::refusals_needed::rating_open(&app).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let rate = |score: i64, comment: Option<&str>| json!({ "t": topic, "score": score, "comment": comment });
    let count = |body: &Value| field(body)["topic"]["ratings"]["count"].as_u64();

    // Act & Assert: a score alone asks nothing; a comment that passes is a comment.
    let checks = app.wechat.content_checks();
    let plain = held_gql(&app, &resident, RATE, rate(5, None)).await;
    assert_eq!(count(&plain), Some(1), "{plain}");
    assert_eq!(app.wechat.content_checks(), checks, "nothing to check");
    let commented = held_gql(&app, &resident, RATE, rate(4, Some("划线清楚"))).await;
    assert!(field(&commented)["held"].is_null(), "{commented}");
    assert_eq!(app.wechat.last_content_check().expect("asked")["scene"], 2, "a comment");

    // A risky comment holds its rating: not counted until the committee approves it.
    let risky = held_gql(&app, &owner, RATE, rate(1, Some("[risky] 加我微信"))).await;
    let hold = held_as(field(&risky), "RATING", "HELD");
    assert_eq!(count(&risky), Some(1), "{risky}");
    let approved = approve(&app, &hold).await;
    assert_eq!(approved["publishedId"], json!(topic));
    let after = held_gql(&app, &owner, RATE, rate(1, None)).await;
    assert_eq!(count(&after), Some(2), "{after}");

    // With the check down, the rating waits for it, and the retry round counts it.
    app.wechat.set_outage(Outage::Error);
    let unchecked = held_gql(&app, &owner, RATE, rate(3, Some("还行"))).await;
    held_as(field(&unchecked), "RATING", "AWAITING_CHECK");
    retried_until_published(&app).await;
    let mine = app
        .gql(Some(&owner), "query($t: ID!) { node(id: $t) { ... on Topic { myRating } } }", json!({ "t": topic }))
        .await;
    assert_eq!(mine["data"]["node"]["myRating"], 3, "{mine}");
});

const EXPLAIN: &str =
    "mutation($t: ID!) { requestExplanation(topicId: $t, question: \"为什么这么久？\") { ok request { id } } }";
const ANSWER: &str = "mutation($r: ID!, $a: String!) {
  answerExplanation(requestId: $r, answer: $a) { ok refusal { code } request { status answer } held { ...H } } }";

/// `token` rates 2 and asks for an explanation; the request's id.
async fn dissatisfied(app: &TestApp, token: &str, topic: &str) -> String {
    app.gql(Some(token), "mutation($t: ID!) { rateTopic(topicId: $t, score: 2) { ok } }", json!({ "t": topic })).await;
    let asked = app.gql(Some(token), EXPLAIN, json!({ "t": topic })).await;
    asked["data"]["requestExplanation"]["request"]["id"].as_str().unwrap_or_else(|| panic!("{asked}")).to_owned()
}

/// The status of `token`'s own request on the topic, as they read it.
async fn status(app: &TestApp, token: &str, topic: &str) -> Value {
    let body = app
        .gql(
            Some(token),
            "query($t: ID!) { node(id: $t) { ... on Topic { requests { status answer } } } }",
            json!({ "t": topic }),
        )
        .await;
    body["data"]["node"]["requests"][0].clone()
}

on_both!(an_explanation_is_checked_before_the_resident_reads_it, |backend| async move {
    // Arrange: the resident and the owner are dissatisfied and ask why.
    let Some(app) = app_on_wechat(backend).await else { return };
    let topic = crate::refusals_needed::rating_open(&app).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let staff = app.login_as("rc_staff").await;
    let (to_resident, to_owner) =
        (dissatisfied(&app, &resident, &topic).await, dissatisfied(&app, &owner, &topic).await);

    // Act & Assert: a risky explanation is held; the resident's request stays unanswered until approval.
    let risky = held_gql(&app, &staff, ANSWER, json!({ "r": to_resident, "a": "[review] 详情私聊" })).await;
    let hold = held_as(field(&risky), "EXPLANATION", "HELD");
    assert!(field(&risky)["request"].is_null(), "{risky}");
    assert_eq!(status(&app, &resident, &topic).await["status"], "pending");
    let approved = approve(&app, &hold).await;
    assert!(approved["publishedId"].is_string(), "{approved}");
    assert_eq!(status(&app, &resident, &topic).await["answer"], "[review] 详情私聊");

    // With the check down, it waits; the retry round answers the owner, as forum text.
    app.wechat.set_outage(Outage::Error);
    let unchecked = held_gql(&app, &staff, ANSWER, json!({ "r": to_owner, "a": "材料需统一采购。" })).await;
    held_as(field(&unchecked), "EXPLANATION", "AWAITING_CHECK");
    assert_eq!(status(&app, &owner, &topic).await["status"], "pending");
    retried_until_published(&app).await;
    assert_eq!(status(&app, &owner, &topic).await["answer"], "材料需统一采购。");
    assert_eq!(app.wechat.last_content_check().expect("asked")["scene"], 3);
});

const ASK: &str = "mutation($input: QuestionDisclosureInput!) {
  questionDisclosure(input: $input) { question { id text } held { ...H } } }";

/// The texts of the questions on a disclosure, as anyone reads them.
async fn questions(app: &TestApp, disclosure: &str) -> Vec<String> {
    let body =
        app.gql(None, "query($d: ID!) { disclosure(id: $d) { questions { text } } }", json!({ "d": disclosure })).await;
    body["data"]["disclosure"]["questions"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|q| q["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

on_both!(a_disclosure_question_is_checked_before_it_is_public, |backend| async move {
    // Arrange: the latest accounts of 锦绣花园.
    let Some(app) = app_on_wechat(backend).await else { return };
    let resident = app.login_as("resident").await;
    let places = demo(&app).await;
    let latest = list(&app, None, &places.jinxiu).await[0]["id"].as_str().unwrap_or_default().to_owned();
    let ask = |text: &str| json!({ "input": { "disclosureId": latest, "line": "parking", "text": text } });

    // Act & Assert: a question that passes is public at once.
    let clean = held_gql(&app, &resident, ASK, ask("停车收入为何减少？")).await;
    assert_eq!(field(&clean)["question"]["text"], "停车收入为何减少？", "{clean}");
    assert_eq!(questions(&app, &latest).await, ["停车收入为何减少？"]);

    // A risky one is held out of the public list until approved; the committee of the community sees it.
    let risky = held_gql(&app, &resident, ASK, ask("[risky] 扫码看内幕")).await;
    let hold = held_as(field(&risky), "DISCLOSURE_QUESTION", "HELD");
    assert!(field(&risky)["question"].is_null());
    assert_eq!(questions(&app, &latest).await.len(), 1);
    let staff = app.login_as("rc_staff").await;
    assert_eq!(field(&queue(&app, &staff, &places.community, false).await).as_array().map(Vec::len), Some(1));
    approve(&app, &hold).await;
    assert!(questions(&app, &latest).await.contains(&"[risky] 扫码看内幕".to_owned()));

    // With the check down, it waits, and the retry round makes it public.
    app.wechat.set_outage(Outage::Error);
    let unchecked = held_gql(&app, &resident, ASK, ask("临停收费标准？")).await;
    held_as(field(&unchecked), "DISCLOSURE_QUESTION", "AWAITING_CHECK");
    assert_eq!(questions(&app, &latest).await.len(), 2);
    retried_until_published(&app).await;
    assert_eq!(questions(&app, &latest).await.len(), 3);
});

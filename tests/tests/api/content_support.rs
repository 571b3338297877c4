//! Shared helpers for the content-safety tests: apps on the fake WeChat check, held submissions' fields,
//! and the moderators' mutations.

use gongzhi_api::content_settings::Checker;
use gongzhi_tests::{Backend, TestApp, spawn_app_with};
use serde_json::{Value, json};

use crate::deliberation_support::deliberating_topic;
use crate::pipeline_support::{category, demo, topic_input};

/// Every field of a held submission the tests read.
pub const HOLD: &str = "fragment H on ContentHold {
  id kind state pending suggestion title text checkAttempts nextCheckAt publishedId rejectionReason authorId decidedById
}";

pub const SUBMIT: &str = "mutation($input: SubmitTopicInput!) {
  submitTopic(input: $input) { ok refusal { code } topic { id title } held { ...H } } }";
pub const POST: &str = "mutation($input: PostOpinionInput!) {
  postOpinion(input: $input) { ok refusal { code } opinion { id text } held { ...H } } }";
pub const REPLY: &str = "mutation($input: ReplyToOpinionInput!) {
  replyToOpinion(input: $input) { ok refusal { code } opinion { id text } held { ...H } } }";
pub const MINE: &str = "query { myHeldContent { ...H } }";
pub const QUEUE: &str =
    "query($c: ID!, $all: Boolean) { moderationQueue(communityId: $c, includeUnchecked: $all) { ...H } }";
pub const APPROVE: &str =
    "mutation($h: ID!) { approveContent(holdId: $h) { ok refusal { code message } hold { ...H } } }";
pub const REJECT: &str = "mutation($h: ID!, $reason: String!) {
  rejectContent(input: { holdId: $h, reason: $reason }) { ok refusal { code message } hold { ...H } } }";

/// The app with WeChat's content check (the fake one) instead of the word list.
pub async fn app_on_wechat(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |s| {
        s.content.checker = Checker::WeChat;
        s.content.timeout_ms = 300;
    })
    .await
}

/// Runs a query or mutation with the hold fragment.
pub async fn held_gql(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.gql(Some(token), &format!("{query}\n{HOLD}"), variables).await
}

/// The one field of a response's data.
pub fn field(body: &Value) -> &Value {
    body["data"].as_object().and_then(|fields| fields.values().next()).unwrap_or_else(|| panic!("no data: {body}"))
}

/// Submits a topic about 锦绣花园 titled `title` as `token`; the whole payload.
pub async fn submit(app: &TestApp, token: &str, title: &str) -> Value {
    let staff = app.login_as("rc_staff").await;
    let places = demo(app).await;
    let category = category(app, &staff, &places.community, "repairs").await;
    let body = held_gql(app, token, SUBMIT, json!({ "input": topic_input(&places.jinxiu, &category, title) })).await;
    field(&body).clone()
}

/// The parking topic under deliberation, and the payload of `token`'s opinion on it saying `text`.
pub async fn opinion(app: &TestApp, token: &str, text: &str) -> (String, Value) {
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(app, &staff).await;
    let body =
        held_gql(app, token, POST, json!({ "input": { "topicId": topic, "stance": "FOR", "text": text } })).await;
    (topic, field(&body).clone())
}

/// The texts of a topic's thread as `token` sees it.
pub async fn thread_texts(app: &TestApp, token: &str, topic: &str) -> Vec<String> {
    let body = crate::deliberation_support::thread(app, token, topic, 10, None).await;
    crate::deliberation_support::opinions(&body)
        .iter()
        .map(|o| o["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The held submissions `token` sees as theirs.
pub async fn mine(app: &TestApp, token: &str) -> Vec<Value> {
    let body = held_gql(app, token, MINE, json!({})).await;
    field(&body).as_array().unwrap_or_else(|| panic!("no list: {body}")).clone()
}

/// The community's moderation queue as `token` sees it (the whole response).
pub async fn queue(app: &TestApp, token: &str, community: &str, all: bool) -> Value {
    held_gql(app, token, QUEUE, json!({ "c": community, "all": all })).await
}

/// The titles of the topic feed of 锦绣花园 as `token` sees it.
pub async fn feed_titles(app: &TestApp, token: &str) -> Vec<String> {
    let places = demo(app).await;
    let body = app
        .gql(
            Some(token),
            "query($p: ID!) { topics(placeId: $p, first: 50) { edges { node { title } } } }",
            json!({ "p": places.jinxiu }),
        )
        .await;
    body["data"]["topics"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no feed: {body}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

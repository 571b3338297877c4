//! Shared helpers for the pipeline tests: the pipeline's mutations with one payload selection, the demo
//! world's places, categories and topics, and short ways to read payloads and timelines.

use gongzhi_tests::TestApp;
pub use gongzhi_tests::app::person_id;
use serde_json::{Value, json};

/// Every field of a topic the pipeline tests read, except the timeline (asked for on its own).
pub const TOPIC: &str = "fragment T on Topic {
  id title description stage stateCode level submittedAt updatedAt coSignCount coSignedByMe submittedByMe
  mergedInto rejectionReason photos
  location { datum latitude longitude }
  category { id code active }
  deadline { kind dueAt overdue }
  plan { form parties inviteePeople inviteeNames startsOn endsOn major }
  serviceRequest { status confirmedByDefault }
  propertyCompany { name }
  submitter { id }
}";

const PAYLOAD: &str = "fragment P on TopicPayload { ok refusal { code message } topic { ...T } }";

pub const SUBMIT: &str = "mutation($input: SubmitTopicInput!) { submitTopic(input: $input) { ...P } }";
pub const CO_SIGN: &str = "mutation($t: ID!) { coSignTopic(topicId: $t) { ...P } }";
pub const WITHDRAW: &str = "mutation($t: ID!, $note: String) { withdrawTopic(topicId: $t, note: $note) { ...P } }";
pub const ACCEPT: &str = "mutation($t: ID!, $plan: PlanInput!, $note: String) { acceptTopic(topicId: $t, plan: $plan, note: $note) { ...P } }";
pub const MERGE: &str = "mutation($t: ID!, $into: ID!, $note: String) { mergeTopic(topicId: $t, intoTopicId: $into, note: $note) { ...P } }";
pub const ROUTE: &str = "mutation($t: ID!, $note: String) { routeTopic(topicId: $t, note: $note) { ...P } }";
pub const REJECT: &str = "mutation($t: ID!, $reason: String!) { rejectTopic(topicId: $t, reason: $reason) { ...P } }";
pub const ESCALATE: &str =
    "mutation($t: ID!, $reason: String!) { escalateTopic(topicId: $t, reason: $reason) { ...P } }";
pub const RECLASSIFY: &str = "mutation($t: ID!, $c: ID!) { reclassifyTopic(topicId: $t, categoryId: $c) { ...P } }";
pub const ACKNOWLEDGE: &str = "mutation($t: ID!) { acknowledgeServiceRequest(topicId: $t) { ...P } }";
pub const FINISH: &str =
    "mutation($t: ID!, $report: String!) { finishServiceRequest(topicId: $t, report: $report) { ...P } }";
pub const CONFIRM: &str =
    "mutation($t: ID!, $note: String) { confirmServiceRequest(topicId: $t, note: $note) { ...P } }";
pub const DISPUTE: &str =
    "mutation($t: ID!, $reason: String!) { disputeServiceRequest(topicId: $t, reason: $reason) { ...P } }";

/// The ids of the demo world's places the pipeline tests use.
pub struct Demo {
    pub community: String,
    /// 锦绣花园: owners' committee, property company 安居物业.
    pub jinxiu: String,
    /// 锦绣花园 1号楼.
    pub jinxiu_1: String,
    /// 老街小院: no owners' committee, no property company.
    pub laojie: String,
}

pub async fn demo(app: &TestApp) -> Demo {
    let staff = app.login_as("rc_staff").await;
    Demo {
        community: app.place_id(&staff, &["和平社区"]).await,
        jinxiu: app.place_id(&staff, &["和平社区", "锦绣花园"]).await,
        jinxiu_1: app.place_id(&staff, &["和平社区", "锦绣花园", "1号楼"]).await,
        laojie: app.place_id(&staff, &["和平社区", "老街小院"]).await,
    }
}

/// The id of the catalogue entry with this code in the community's catalogue.
pub async fn category(app: &TestApp, token: &str, community: &str, code: &str) -> String {
    let body = app
        .gql(
            Some(token),
            "query($c: ID!) { catalogue(communityId: $c, includeRetired: true) { id code } }",
            json!({ "c": community }),
        )
        .await;
    body["data"]["catalogue"]
        .as_array()
        .unwrap_or_else(|| panic!("no catalogue: {body}"))
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no category {code}: {body}"))["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// Runs one of the pipeline's mutations and returns the whole response.
pub async fn act(app: &TestApp, token: &str, mutation: &str, variables: Value) -> Value {
    act_lang(app, token, mutation, variables, None).await
}

pub async fn act_lang(app: &TestApp, token: &str, mutation: &str, variables: Value, lang: Option<&str>) -> Value {
    app.gql_lang(Some(token), &document(mutation), variables, lang).await
}

/// The mutation with the fragments it selects, as sent.
pub fn document(mutation: &str) -> String {
    format!("{mutation}\n{PAYLOAD}\n{TOPIC}")
}

/// The payload of a one-field mutation response (`ok`, `refusal`, `topic`).
pub fn payload(body: &Value) -> &Value {
    body["data"]
        .as_object()
        .and_then(|fields| fields.values().next())
        .filter(|payload| !payload.is_null())
        .unwrap_or_else(|| panic!("no payload: {body}"))
}

/// The topic of a payload that must have succeeded.
pub fn done(body: &Value) -> &Value {
    let payload = payload(body);
    assert_eq!(payload["ok"], true, "the step was refused: {body}");
    assert!(payload["refusal"].is_null(), "{body}");
    &payload["topic"]
}

/// The refusal code of a payload that must have been refused.
pub fn refused(body: &Value) -> &str {
    let payload = payload(body);
    assert_eq!(payload["ok"], false, "the step was not refused: {body}");
    payload["refusal"]["code"].as_str().unwrap_or_else(|| panic!("no refusal code: {body}"))
}

/// What a topic submission sends, with the given place, category and title.
pub fn topic_input(place: &str, category: &str, title: &str) -> Value {
    json!({
        "placeId": place,
        "categoryId": category,
        "title": title,
        "description": format!("{title}。请尽快处理。"),
    })
}

/// Submits a topic that must be accepted for triage and returns its id.
pub async fn raise(app: &TestApp, token: &str, input: Value) -> String {
    let body = act(app, token, SUBMIT, json!({ "input": input })).await;
    done(&body)["id"].as_str().unwrap_or_else(|| panic!("no topic id: {body}")).to_owned()
}

/// Co-signs; the co-signature must be taken.
pub async fn co_sign(app: &TestApp, token: &str, topic: &str) {
    let body = act(app, token, CO_SIGN, json!({ "t": topic })).await;
    done(&body);
}

/// The topic as this person sees it through `node(id)` (the whole response, to check errors too).
pub async fn node(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql(Some(token), &format!("query($id: ID!) {{ node(id: $id) {{ ...T }} }}\n{TOPIC}"), json!({ "id": id })).await
}

/// The topic as this person sees it; it must be visible.
pub async fn topic(app: &TestApp, token: &str, id: &str) -> Value {
    let body = node(app, token, id).await;
    let topic = &body["data"]["node"];
    assert!(topic["id"].is_string(), "topic not visible: {body}");
    topic.clone()
}

/// The timeline as this person sees it: each event's kind, visibility, actor and details.
pub async fn timeline(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    let body = app
        .gql(
            Some(token),
            "query($id: ID!) { node(id: $id) { ... on Topic { timeline { kind visibility note details actor { id } } } } }",
            json!({ "id": id }),
        )
        .await;
    body["data"]["node"]["timeline"].as_array().cloned().unwrap_or_else(|| panic!("no timeline: {body}"))
}

/// The kinds of the timeline's events as this person sees them, in order.
pub async fn timeline_kinds(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    timeline(app, token, id).await.iter().map(|e| e["kind"].as_str().unwrap_or_default().to_owned()).collect()
}

/// The demo topics: the parking topic in 锦绣花园 (by `resident`, co-signed by `owner`) and the roof leak in
/// 老街小院 (by `old_owner`).
pub struct DemoTopics {
    pub parking: String,
    pub roof: String,
}

pub async fn demo_topics(app: &TestApp, community: &str) -> DemoTopics {
    let staff = app.login_as("rc_staff").await;
    let body = app
        .gql(
            Some(&staff),
            "query($p: ID!) { topics(placeId: $p, first: 100) { edges { node { id title } } } }",
            json!({ "p": community }),
        )
        .await;
    let edges = body["data"]["topics"]["edges"].as_array().cloned().unwrap_or_else(|| panic!("no feed: {body}"));
    let find = |needle: &str| {
        edges
            .iter()
            .find(|e| e["node"]["title"].as_str().is_some_and(|t| t.contains(needle)))
            .unwrap_or_else(|| panic!("no demo topic {needle}: {body}"))["node"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    DemoTopics { parking: find("电动车"), roof: find("屋顶漏雨") }
}

/// A deliberation plan as `acceptTopic` takes it.
pub fn plan() -> Value {
    json!({
        "form": "COORDINATION_MEETING",
        "parties": ["RESIDENTS_COMMITTEE", "PROPERTY_COMPANY"],
        "invitees": [{ "name": "韩律师（某某律师事务所）" }],
        "startsOn": "2026-11-25",
        "endsOn": "2026-11-30",
    })
}

pub fn time(value: &Value) -> chrono::DateTime<chrono::Utc> {
    let text = value.as_str().unwrap_or_else(|| panic!("not a time: {value}"));
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}")).with_timezone(&chrono::Utc)
}

const BOUNDARY: &str = "pipeline-test-boundary";

/// Uploads a tiny PNG as this person (a GraphQL multipart request) and returns its storage key, which
/// only they may attach to a topic.
pub async fn upload_photo(app: &TestApp, token: &str) -> String {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    let operations =
        json!({ "query": "mutation($f: Upload!) { uploadPhoto(file: $f) { key } }", "variables": { "f": null } });
    let mut body = Vec::new();
    for (name, extra, content) in [
        ("operations", "", operations.to_string().into_bytes()),
        ("map", "", br#"{"0":["variables.f"]}"#.to_vec()),
        ("0", "; filename=\"photo.png\"\r\nContent-Type: image/png", png.to_vec()),
    ] {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(&content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let response = app
        .client
        .post(app.graphql_url())
        .bearer_auth(token)
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
        .await
        .expect("upload sent");
    let answer: Value = response.json().await.expect("JSON response");
    answer["data"]["uploadPhoto"]["key"].as_str().unwrap_or_else(|| panic!("upload failed: {answer}")).to_owned()
}

//! Shared helpers for the deliberation tests (meetings and the opinion thread): the demo parking topic of
//! 锦绣花园 accepted for deliberation over HTTP, the selections of a meeting and of an opinion, and short
//! ways to run their mutations and read their payloads.

use chrono::{DateTime, Duration, Utc};
use gongzhi_tests::TestApp;
pub use gongzhi_tests::app::{demo_topic, person_id};
use serde_json::{Value, json};

/// Every field of a meeting the tests read.
pub const MEETING: &str = "fragment M on Meeting {
  id title form startsAt endsAt checkInOpensAt checkInOpen location scheduledAt
  scheduledBy { id }
  topic { id }
  invitees { person { id } capacity invited checkedIn checkedInAt checkedInByStaff }
  attendees { person { id } capacity invited checkedIn checkedInByStaff }
  attendance { invited inviteesCheckedIn walkIns }
  me { capacity checkedIn }
  minutes { version text attachments reason writtenBy { id } writtenAt }
  minutesVersions { version text attachments reason writtenAt }
}";

const MEETING_PAYLOAD: &str = "fragment MP on MeetingPayload { ok refusal { code message } meeting { ...M } }";

pub const SCHEDULE: &str = "mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { ...MP } }";
pub const INVITE: &str = "mutation($input: InviteToMeetingInput!) { inviteToMeeting(input: $input) { ...MP } }";
pub const CHECK_IN: &str = "mutation($input: CheckInInput!) { checkInToMeeting(input: $input) { ...MP } }";
pub const MINUTES: &str = "mutation($input: WriteMinutesInput!) { writeMeetingMinutes(input: $input) { ...MP } }";

/// Every field of an opinion the tests read, replies included.
pub const OPINION: &str = "fragment O on Opinion {
  id stance text postedAt mine replyTo hidden reportCount reportedByMe
  author { id }
  hiding { hiddenAt reason hiddenBy { id } }
  reports { reason reportedAt }
  replies { id stance text replyTo hidden reportCount author { id } hiding { reason } }
}";

const OPINION_PAYLOAD: &str = "fragment OP on OpinionPayload { ok refusal { code message } opinion { ...O } }";

pub const POST: &str = "mutation($input: PostOpinionInput!) { postOpinion(input: $input) { ...OP } }";
pub const REPLY: &str = "mutation($input: ReplyToOpinionInput!) { replyToOpinion(input: $input) { ...OP } }";
pub const HIDE: &str = "mutation($input: OpinionReasonInput!) { hideOpinion(input: $input) { ...OP } }";
pub const REPORT: &str = "mutation($input: OpinionReasonInput!) { reportOpinion(input: $input) { ...OP } }";

/// Runs a meeting mutation or query (with the meeting fragments) and returns the whole response.
pub async fn meeting_gql(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.gql(Some(token), &format!("{query}\n{MEETING_PAYLOAD}\n{MEETING}"), variables).await
}

/// Runs an opinion mutation (with the opinion fragments) and returns the whole response.
pub async fn opinion_gql(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.gql(Some(token), &format!("{query}\n{OPINION_PAYLOAD}\n{OPINION}"), variables).await
}

/// The payload of a one-field mutation response.
pub fn payload(body: &Value) -> &Value {
    body["data"]
        .as_object()
        .and_then(|fields| fields.values().next())
        .filter(|payload| !payload.is_null())
        .unwrap_or_else(|| panic!("no payload: {body}"))
}

/// The meeting of a payload that must have succeeded.
pub fn meeting_done(body: &Value) -> &Value {
    let payload = payload(body);
    assert_eq!(payload["ok"], true, "the step was refused: {body}");
    assert!(payload["refusal"].is_null(), "{body}");
    &payload["meeting"]
}

/// The opinion of a payload that must have succeeded.
pub fn opinion_done(body: &Value) -> &Value {
    let payload = payload(body);
    assert_eq!(payload["ok"], true, "the step was refused: {body}");
    assert!(payload["refusal"].is_null(), "{body}");
    &payload["opinion"]
}

/// The refusal of a payload that must have been refused: its code, and its worded message.
pub fn refused(body: &Value) -> (&str, &str) {
    let payload = payload(body);
    assert_eq!(payload["ok"], false, "the step was not refused: {body}");
    let code = payload["refusal"]["code"].as_str().unwrap_or_else(|| panic!("no refusal code: {body}"));
    (code, payload["refusal"]["message"].as_str().unwrap_or_default())
}

/// The demo parking topic of 锦绣花园 (raised by `resident`), accepted for deliberation by `staff` with a
/// coordination meeting in the plan.
pub async fn deliberating_topic(app: &TestApp, staff: &str) -> String {
    let topic = demo_topic(app, staff, "电动车").await;
    let body = app
        .gql(
            Some(staff),
            "mutation($t: ID!, $plan: PlanInput!) { acceptTopic(topicId: $t, plan: $plan) { ok refusal { code } } }",
            json!({
                "t": topic,
                "plan": {
                    "form": "COORDINATION_MEETING",
                    "parties": ["RESIDENTS_COMMITTEE", "OWNERS_COMMITTEE", "PROPERTY_COMPANY"],
                    "startsOn": "2026-11-23",
                    "endsOn": "2026-11-30",
                },
            }),
        )
        .await;
    assert_eq!(body["data"]["acceptTopic"]["ok"], true, "not accepted: {body}");
    topic
}

/// The app's clock now.
pub fn now(app: &TestApp) -> DateTime<Utc> {
    gongzhi_domain::clock::Clock::now(app.clock.as_ref())
}

pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn time(value: &Value) -> DateTime<Utc> {
    let text = value.as_str().unwrap_or_else(|| panic!("not a time: {value}"));
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}")).with_timezone(&Utc)
}

/// The input of a coordination meeting on `topic` from `starts` to `ends` hours from now.
pub fn meeting_input(app: &TestApp, topic: &str, starts: i64, ends: i64, invitees: Value) -> Value {
    let now = now(app);
    json!({
        "topicId": topic,
        "title": "电动车停放联席会议",
        "form": "COORDINATION_MEETING",
        "startsAt": rfc3339(now + Duration::hours(starts)),
        "endsAt": rfc3339(now + Duration::hours(ends)),
        "location": "社区党群服务中心二楼会议室",
        "invitees": invitees,
    })
}

/// Schedules a meeting that must be scheduled and returns it.
pub async fn scheduled(app: &TestApp, token: &str, input: Value) -> Value {
    let body = meeting_gql(app, token, SCHEDULE, json!({ "input": input })).await;
    meeting_done(&body).clone()
}

/// The topic's meetings as this person sees them (the whole response, to check errors too).
pub async fn meetings_of(app: &TestApp, token: &str, topic: &str) -> Value {
    app.gql(
        Some(token),
        &format!("query($id: ID!) {{ node(id: $id) {{ ... on Topic {{ meetings {{ ...M }} }} }} }}\n{MEETING}"),
        json!({ "id": topic }),
    )
    .await
}

/// A meeting through `node(id)` as this person sees it (the whole response).
pub async fn meeting_node(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql(Some(token), &format!("query($id: ID!) {{ node(id: $id) {{ ...M }} }}\n{MEETING}"), json!({ "id": id }))
        .await
}

/// The kinds of the topic's timeline events as this person sees them, in order, with their details.
pub async fn timeline(app: &TestApp, token: &str, topic: &str) -> Vec<Value> {
    let body = app
        .gql(
            Some(token),
            "query($id: ID!) { node(id: $id) { ... on Topic { timeline { kind details actor { id } } } } }",
            json!({ "id": topic }),
        )
        .await;
    body["data"]["node"]["timeline"].as_array().cloned().unwrap_or_else(|| panic!("no timeline: {body}"))
}

/// One page of the topic's opinion thread as this person sees it (the whole response).
pub async fn thread(app: &TestApp, token: &str, topic: &str, first: i64, after: Option<&str>) -> Value {
    app.gql(
        Some(token),
        &format!(
            "query($id: ID!, $first: Int, $after: String) {{ node(id: $id) {{ ... on Topic {{
               opinions(first: $first, after: $after) {{
                 stanceCounts {{ for against neutral }} hiddenCount
                 pageInfo {{ hasNextPage endCursor }}
                 edges {{ cursor node {{ ...O }} }}
               }}
             }} }} }}\n{OPINION}"
        ),
        json!({ "id": topic, "first": first, "after": after }),
    )
    .await
}

/// The opinions of a thread page that must be readable.
pub fn opinions(body: &Value) -> Vec<Value> {
    body["data"]["node"]["opinions"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no thread: {body}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Posts an opinion that must be taken and returns it.
pub async fn posted(app: &TestApp, token: &str, topic: &str, stance: &str, text: &str) -> Value {
    let body =
        opinion_gql(app, token, POST, json!({ "input": { "topicId": topic, "stance": stance, "text": text } })).await;
    opinion_done(&body).clone()
}

//! Notifications over GraphQL: the switches and WeChat consent a person manages, the messages a pipeline
//! step writes, and the delivery operations only city administrators may use.

use chrono::Duration;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app, spawn_app_with};
use serde_json::{Value, json};

use crate::deliberation_support::{
    deliberating_topic, meeting_gql, meeting_input, payload, refused, rfc3339, scheduled,
};
use crate::pipeline_support::person_id;

const PREFERENCES: &str = "{ notificationPreferences { kind channel enabled chosen } }";
const SET_PREFERENCE: &str = "mutation($k: NotificationKind!, $c: Channel!, $on: Boolean!) {
  setNotificationPreference(kind: $k, channel: $c, enabled: $on) { kind channel enabled chosen } }";
const REPORT_CONSENTS: &str = "mutation($c: [ConsentInput!]!) {
  reportSubscribeConsents(consents: $c) { templateId oneTimeGrants longTerm } }";
const MESSAGES: &str = "query($s: MessageStatus, $r: ID, $t: ID) {
  outboxMessages(status: $s, recipientId: $r, topicId: $t, first: 100) {
    edges { node { id kind channel address status attemptCount lastError recipientId topicId } } } }";
const REPLAY: &str = "mutation($id: ID!) { replayDeadLetter(id: $id) { ok refusal { code } message { id status } } }";
const REGISTER: &str = "mutation($input: RegisterWebhookInput!) {
  registerWebhook(input: $input) { secret webhook { id name url eventKinds } } }";
const RESCHEDULE: &str = "mutation($input: RescheduleMeetingInput!) { rescheduleMeeting(input: $input) { ...MP } }";

fn switch<'a>(body: &'a Value, kind: &str, channel: &str) -> &'a Value {
    body["data"]["notificationPreferences"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["kind"] == kind && p["channel"] == channel))
        .unwrap_or_else(|| panic!("no switch {kind}/{channel}: {body}"))
}

async fn messages(app: &gongzhi_tests::TestApp, admin: &str, variables: Value) -> Vec<Value> {
    let body = app.gql(Some(admin), MESSAGES, variables).await;
    body["data"]["outboxMessages"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no messages: {body}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

on_both!(wechat_is_on_and_sms_off_until_a_person_chooses_and_the_choice_is_theirs_alone, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;

    let before = app.gql(Some(&resident), PREFERENCES, json!({})).await;
    let set = app.gql(Some(&resident), SET_PREFERENCE, json!({ "k": "TOPIC_ACCEPTED", "c": "SMS", "on": true })).await;
    let mine = app.gql(Some(&resident), PREFERENCES, json!({})).await;
    let theirs = app.gql(Some(&owner), PREFERENCES, json!({})).await;
    let webhook =
        app.gql(Some(&resident), SET_PREFERENCE, json!({ "k": "TOPIC_ACCEPTED", "c": "WEBHOOK", "on": true })).await;

    assert_eq!(switch(&before, "TOPIC_ACCEPTED", "WECHAT_SUBSCRIBE")["enabled"], true);
    assert_eq!(switch(&before, "TOPIC_ACCEPTED", "SMS")["enabled"], false);
    assert_eq!(switch(&before, "TOPIC_ACCEPTED", "SMS")["chosen"], false);
    assert_eq!(set["data"]["setNotificationPreference"]["enabled"], true, "{set}");
    assert_eq!(switch(&mine, "TOPIC_ACCEPTED", "SMS")["enabled"], true);
    assert_eq!(switch(&mine, "TOPIC_ACCEPTED", "SMS")["chosen"], true);
    assert_eq!(switch(&mine, "VOTE_OPENED", "SMS")["enabled"], false);
    assert_eq!(switch(&theirs, "TOPIC_ACCEPTED", "SMS")["enabled"], false);
    assert_eq!(error_code(&webhook), Some("BAD_USER_INPUT"), "{webhook}");
});

on_both!(consent_reports_add_one_time_grants_and_a_refusal_withdraws_only_the_long_term_one, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let resident = app.login_as("resident").await;
    let report = |answer: &str, long_term: bool| json!({ "c": [{ "templateId": "TPL-A", "answer": answer, "longTerm": long_term }] });

    app.gql(Some(&resident), REPORT_CONSENTS, report("ACCEPT", false)).await;
    let twice = app.gql(Some(&resident), REPORT_CONSENTS, report("ACCEPT", false)).await;
    let long_term = app.gql(Some(&resident), REPORT_CONSENTS, report("ACCEPT", true)).await;
    let rejected = app.gql(Some(&resident), REPORT_CONSENTS, report("REJECT", true)).await;
    let too_long = app
        .gql(Some(&resident), REPORT_CONSENTS, json!({ "c": [{ "templateId": "x".repeat(101), "answer": "ACCEPT" }] }))
        .await;
    let listed =
        app.gql(Some(&resident), "{ subscribeConsents { templateId oneTimeGrants longTerm } }", json!({})).await;

    assert_eq!(twice["data"]["reportSubscribeConsents"][0]["oneTimeGrants"], 2, "{twice}");
    assert_eq!(long_term["data"]["reportSubscribeConsents"][0]["longTerm"], true);
    assert_eq!(rejected["data"]["reportSubscribeConsents"][0]["longTerm"], false);
    assert_eq!(rejected["data"]["reportSubscribeConsents"][0]["oneTimeGrants"], 2);
    assert_eq!(error_code(&too_long), Some("BAD_USER_INPUT"), "{too_long}");
    let tpl_a = listed["data"]["subscribeConsents"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["templateId"] == "TPL-A").cloned())
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(tpl_a["oneTimeGrants"], 2);
});

on_both!(
    accepting_a_topic_queues_a_message_for_its_author_and_co_signer_on_their_chosen_channels,
    |backend| async move {
        let Some(app) = spawn_app(backend).await else { return };
        let staff = app.login_as("rc_staff").await;
        let resident = app.login_as("resident").await;
        let owner = app.login_as("owner").await;
        let admin = app.login_as("city_admin").await;
        let resident_id = person_id(&app, &resident).await;
        let owner_id = person_id(&app, &owner).await;
        app.gql(Some(&resident), SET_PREFERENCE, json!({ "k": "TOPIC_ACCEPTED", "c": "SMS", "on": true })).await;

        let topic = deliberating_topic(&app, &staff).await;
        let queued = messages(&app, &admin, json!({ "t": topic })).await;

        let accepted: Vec<_> = queued.iter().filter(|m| m["kind"] == "topic_accepted").collect();
        let to = |person: &str, channel: &str| {
            accepted.iter().filter(|m| m["recipientId"] == person && m["channel"] == channel).count()
        };
        assert_eq!(to(&resident_id, "WECHAT_SUBSCRIBE"), 1, "{queued:?}");
        assert_eq!(to(&resident_id, "SMS"), 1, "{queued:?}");
        assert_eq!(to(&owner_id, "WECHAT_SUBSCRIBE"), 1, "{queued:?}");
        assert_eq!(to(&owner_id, "SMS"), 0, "{queued:?}");
        assert_eq!(accepted.len(), 3, "{queued:?}");
        let sms = accepted.iter().find(|m| m["channel"] == "SMS").expect("an sms");
        assert!(sms["address"].as_str().is_some_and(|a| a.contains("****")), "the phone is masked: {sms}");
        assert!(accepted.iter().all(|m| m["status"] == "QUEUED"));
    }
);

on_both!(only_city_administrators_read_the_outbox_replay_and_register_webhooks, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let admin = app.login_as("city_admin").await;
    let officer = app.login_as("district_officer").await;
    let topic = deliberating_topic(&app, &staff).await;
    let queued = messages(&app, &admin, json!({ "t": topic })).await;
    let first = queued.first().expect("a message")["id"].as_str().expect("id").to_owned();
    let webhook = json!({ "input": { "name": "智慧社区平台", "url": "https://partner.example.cn/hooks", "eventKinds": ["accepted"] } });

    let listed_by_staff = app.gql(Some(&staff), MESSAGES, json!({})).await;
    let listed_by_officer = app.gql(Some(&officer), MESSAGES, json!({})).await;
    let replay_by_staff = app.gql(Some(&staff), REPLAY, json!({ "id": first })).await;
    let replay_queued = app.gql(Some(&admin), REPLAY, json!({ "id": first })).await;
    let register_by_officer = app.gql(Some(&officer), REGISTER, webhook.clone()).await;
    let plain_http = app
        .gql(Some(&admin), REGISTER, json!({ "input": { "name": "x", "url": "http://partner.example.cn/hooks" } }))
        .await;
    let unknown_kind = app
        .gql(
            Some(&admin),
            REGISTER,
            json!({ "input": { "name": "x", "url": "https://a.cn/h", "eventKinds": ["nope"] } }),
        )
        .await;
    let registered = app.gql(Some(&admin), REGISTER, webhook).await;
    let listed = app.gql(Some(&admin), "{ webhooks { name url eventKinds } }", json!({})).await;

    assert_eq!(error_code(&listed_by_staff), Some("FORBIDDEN"), "{listed_by_staff}");
    assert_eq!(error_code(&listed_by_officer), Some("FORBIDDEN"));
    assert_eq!(error_code(&replay_by_staff), Some("FORBIDDEN"));
    assert_eq!(
        replay_queued["data"]["replayDeadLetter"]["refusal"]["code"], "not_dead_letter",
        "only dead letters replay: {replay_queued}"
    );
    assert_eq!(error_code(&register_by_officer), Some("FORBIDDEN"));
    assert_eq!(error_code(&plain_http), Some("BAD_USER_INPUT"), "{plain_http}");
    assert_eq!(error_code(&unknown_kind), Some("BAD_USER_INPUT"), "{unknown_kind}");
    let secret = registered["data"]["registerWebhook"]["secret"].as_str().unwrap_or_else(|| panic!("{registered}"));
    assert!(secret.len() >= 32, "{secret}");
    assert_eq!(
        listed["data"]["webhooks"],
        json!([{ "name": "智慧社区平台", "url": "https://partner.example.cn/hooks", "eventKinds": ["topic.accepted"] }])
    );
    assert!(!listed.to_string().contains(secret), "the secret is shown once");
});

on_both!(moving_a_meeting_tells_everyone_invited_until_it_starts, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let admin = app.login_as("city_admin").await;
    let owner = app.login_as("owner").await;
    let owner_id = person_id(&app, &owner).await;
    let topic = deliberating_topic(&app, &staff).await;
    let invitees = json!([{ "personId": owner_id, "capacity": "RESIDENT" }]);
    let meeting = scheduled(&app, &staff, meeting_input(&app, &topic, 24, 26, invitees)).await;
    let id = meeting["id"].as_str().expect("id").to_owned();
    let now = crate::deliberation_support::now(&app);
    let moved_input = json!({ "input": {
        "meetingId": id, "startsAt": rfc3339(now + Duration::hours(48)), "endsAt": rfc3339(now + Duration::hours(50)),
        "location": "小区会所一楼" } });

    let moved = meeting_gql(&app, &staff, RESCHEDULE, moved_input.clone()).await;
    let by_owner = meeting_gql(&app, &owner, RESCHEDULE, moved_input.clone()).await;
    app.clock.advance(Duration::hours(49));
    let staff = app.login_as("rc_staff").await;
    let admin_again = app.login_as("city_admin").await;
    let too_late = meeting_gql(&app, &staff, RESCHEDULE, moved_input).await;
    let to_owner = messages(&app, &admin_again, json!({ "r": owner_id })).await;

    assert_eq!(payload(&moved)["meeting"]["location"], "小区会所一楼", "{moved}");
    assert_eq!(error_code(&by_owner), Some("FORBIDDEN"), "{by_owner}");
    assert_eq!(refused(&too_late).0, "meeting_started", "{too_late}");
    let kinds: Vec<_> =
        to_owner.iter().filter(|m| m["channel"] == "WECHAT_SUBSCRIBE").map(|m| m["kind"].clone()).collect();
    assert!(kinds.contains(&json!("meeting_invited")), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "meeting_changed").count(), 1, "{kinds:?}");
    drop(admin);
});

on_both!(without_a_gateway_the_serving_process_delivers_to_the_local_log, |backend| async move {
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.outbox.worker_in_serve = true;
        settings.outbox.idle_ms = 50;
    })
    .await
    else {
        return;
    };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let log = std::path::PathBuf::from(&app.settings.outbox.log_path);

    assert!(app.sent_at_least(2, std::time::Duration::from_secs(5)).await, "the worker delivered both");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let lines: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).collect();

    let to: Vec<_> =
        lines.iter().filter(|l| l["kind"] == "topic_accepted").map(|l| l["to"].as_str().unwrap_or_default()).collect();
    assert!(to.contains(&"demo_openid_resident") && to.contains(&"demo_openid_owner"), "{lines:?}");
    let line = lines.iter().find(|l| l["kind"] == "topic_accepted").expect("a line");
    assert_eq!(line["channel"], "wechat_subscribe");
    assert!(line["page"].as_str().is_some_and(|p| p.contains("pages/topic/detail")), "{line}");
    assert_eq!(line["data"]["phrase2"]["value"], "已受理");
    drop(topic);
});

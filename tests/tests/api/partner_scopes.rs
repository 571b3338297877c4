//! Partners' scopes, secret rotation with an overlap, re-enabling and idempotent registration (issue
//! 18): a partner reads only what its scopes cover, within its place (FORBIDDEN with reason
//! `MISSING_SCOPE` otherwise); a rotated secret keeps working until the time the administrator stated, on
//! the injected clock; a disabled partner comes back under a new secret; registering twice makes one.

use chrono::Duration;
use gongzhi_domain::clock::Clock;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::on_both;
use serde_json::{Value, json};

use crate::open311_support::{get, register_scoped};
use crate::partners_support::*;
use crate::pipeline_support::{demo, demo_topics};

const TOPIC_DETAILS: &str = "query($id: ID!) { node(id: $id) { ... on Topic { id
  tasks { id } votes { id } meetings { id } } } }";
const TASKS_ONLY: &str = "query($id: ID!) { node(id: $id) { ... on Topic { id tasks { id } } } }";
const ROUNDS: &str = "query($p: ID!) { rounds(placeId: $p) { id } }";
const ROTATE_OVERLAP: &str =
    "mutation($id: ID!, $until: DateTime) { rotatePartnerSecret(id: $id, oldSecretValidUntil: $until) {
  ok refusal { code } credentials { clientSecret partner { oldSecretValidUntil } } } }";
const ENABLE: &str = "mutation($id: ID!) { enablePartner(id: $id) { ok refusal { code } credentials { clientSecret partner { enabled } } } }";

fn reason(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["reason"].as_str()
}

async fn token_status(app: &gongzhi_tests::TestApp, client_id: &str, secret: &str) -> u16 {
    token_request(app, form(client_id, secret), None).await.status().as_u16()
}

on_both!(a_partner_reads_only_what_its_scopes_cover, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let topic = topics.roof.clone();
    let topics_only = register_scoped(&app, &admin, "只读议题", &places.community, &["TOPICS"]).await;
    let everything = register_scoped(
        &app,
        &admin,
        "全部读取",
        &places.community,
        &["TOPICS", "TASKS", "VOTES", "MEETINGS", "ROUNDS", "STATISTICS"],
    )
    .await;
    let hotline = register_scoped(&app, &admin, "只有热线", &places.community, &["OPEN311"]).await;
    let topics_token = partner_token(&app, &topics_only).await;
    let everything_token = partner_token(&app, &everything).await;
    let hotline_token = partner_token(&app, &hotline).await;

    let feed = app.gql(Some(&topics_token), FEED, json!({ "p": places.community })).await;
    let tasks = app.gql(Some(&topics_token), TASKS_ONLY, json!({ "id": topic })).await;
    let rounds = app.gql(Some(&topics_token), ROUNDS, json!({ "p": places.jinxiu })).await;
    let all = app.gql(Some(&everything_token), TOPIC_DETAILS, json!({ "id": topic })).await;
    let own_rounds = app.gql(Some(&everything_token), ROUNDS, json!({ "p": places.jinxiu })).await;
    let city = city(&app, &admin).await;
    let other_rounds = app.gql(Some(&everything_token), ROUNDS, json!({ "p": city })).await;
    let hotline_feed = app.gql(Some(&hotline_token), FEED, json!({ "p": places.community })).await;
    let hotline_counts = app.gql(Some(&hotline_token), COUNTS, json!({ "p": places.community })).await;
    let hotline_node = app.gql(Some(&hotline_token), TOPIC, json!({ "id": topic })).await;
    let (open311_status, _, _) = get(&app, "services.json", &[("api_key", topics_only.client_secret.as_str())]).await;

    assert!(!titles(&feed).is_empty(), "{feed}");
    assert_eq!(error_code(&tasks), Some("FORBIDDEN"), "{tasks}");
    assert_eq!(reason(&tasks), Some("MISSING_SCOPE"), "{tasks}");
    assert_eq!(error_code(&rounds), Some("FORBIDDEN"), "{rounds}");
    assert!(all["errors"].is_null(), "every scope reads all: {all}");
    assert!(all["data"]["node"]["tasks"].is_array() && all["data"]["node"]["votes"].is_array(), "{all}");
    assert!(own_rounds["data"]["rounds"].is_array(), "{own_rounds}");
    assert_eq!(error_code(&other_rounds), Some("NOT_FOUND"), "above its place: {other_rounds}");
    for body in [&hotline_feed, &hotline_counts, &hotline_node] {
        assert_eq!(error_code(body), Some("FORBIDDEN"), "{body}");
        assert_eq!(reason(body), Some("MISSING_SCOPE"), "{body}");
    }
    assert_eq!(open311_status, 403, "Open311 needs its own scope");
});

on_both!(a_rotated_secret_keeps_working_until_the_stated_time_and_not_after, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let partner = register_scoped(&app, &admin, "轮换测试", &places.community, &["TOPICS", "OPEN311"]).await;
    let old_token = partner_token(&app, &partner).await;
    let until = app.clock.now() + Duration::minutes(10);
    let too_late = app.clock.now() + Duration::days(8);
    let past = app.clock.now() - Duration::minutes(1);

    let rotated = app.gql(Some(&admin), ROTATE_OVERLAP, json!({ "id": partner.id, "until": until.to_rfc3339() })).await;
    let new_secret = rotated["data"]["rotatePartnerSecret"]["credentials"]["clientSecret"]
        .as_str()
        .unwrap_or_else(|| panic!("rotated: {rotated}"))
        .to_owned();
    let old_during = token_status(&app, &partner.client_id, &partner.client_secret).await;
    let new_during = token_status(&app, &partner.client_id, &new_secret).await;
    let old_token_during = app.gql(Some(&old_token), COUNTS, json!({ "p": places.community })).await;
    let (old_key_during, _, _) = get(&app, "services.json", &[("api_key", partner.client_secret.as_str())]).await;
    app.clock.advance(Duration::minutes(11));
    let old_after = token_status(&app, &partner.client_id, &partner.client_secret).await;
    let new_after = token_status(&app, &partner.client_id, &new_secret).await;
    let old_token_after = app.gql(Some(&old_token), COUNTS, json!({ "p": places.community })).await;
    let (old_key_after, _, _) = get(&app, "services.json", &[("api_key", partner.client_secret.as_str())]).await;
    let week = app.gql(Some(&admin), ROTATE_OVERLAP, json!({ "id": partner.id, "until": too_late.to_rfc3339() })).await;
    let before = app.gql(Some(&admin), ROTATE_OVERLAP, json!({ "id": partner.id, "until": past.to_rfc3339() })).await;
    let still = token_status(&app, &partner.client_id, &new_secret).await;

    let shown = rotated["data"]["rotatePartnerSecret"]["credentials"]["partner"]["oldSecretValidUntil"].as_str();
    let shown = shown.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    assert_eq!(shown.map(|t| t.with_timezone(&chrono::Utc)), Some(until), "{rotated}");
    assert_eq!((old_during, new_during), (200, 200));
    assert!(old_token_during["errors"].is_null(), "the old secret's token works meanwhile: {old_token_during}");
    assert_eq!(old_key_during, 200);
    assert_eq!((old_after, new_after), (401, 200));
    assert_eq!(error_code(&old_token_after), Some("UNAUTHENTICATED"), "{old_token_after}");
    assert_eq!(old_key_after, 403);
    assert_eq!(error_code(&week), Some("BAD_USER_INPUT"), "more than a week: {week}");
    assert_eq!(error_code(&before), Some("BAD_USER_INPUT"), "in the past: {before}");
    assert_eq!(still, 200, "refused rotations changed nothing");
});

on_both!(a_disabled_partner_is_enabled_under_a_new_secret_only, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let partner = register(&app, &admin, "停用再启用", &places.community, None).await;
    let active = app.gql(Some(&admin), ENABLE, json!({ "id": partner.id })).await;
    app.gql(Some(&admin), DISABLE, json!({ "id": partner.id })).await;

    let enabled = app.gql(Some(&admin), ENABLE, json!({ "id": partner.id })).await;
    let credentials = &enabled["data"]["enablePartner"]["credentials"];
    let new_secret = credentials["clientSecret"].as_str().unwrap_or_else(|| panic!("enabled: {enabled}"));
    let old = token_status(&app, &partner.client_id, &partner.client_secret).await;
    let new = token_status(&app, &partner.client_id, new_secret).await;
    let resident = app.login_as("resident").await;
    let by_resident = app.gql(Some(&resident), ENABLE, json!({ "id": partner.id })).await;

    assert_eq!(active["data"]["enablePartner"]["refusal"]["code"], "partner_active", "{active}");
    assert_eq!(credentials["partner"]["enabled"], true);
    assert_eq!((old, new), (401, 200), "the secret it was stopped with stays dead");
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
});

on_both!(registering_a_partner_twice_makes_one_and_shows_its_secret_once, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let input = json!({ "name": "重复登记", "kind": "CITY_SYSTEM", "scopePlaceId": places.community });
    let query = "mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { created clientId clientSecret partner { id } } }";

    let first = app.gql(Some(&admin), query, json!({ "input": input })).await;
    let again = app.gql(Some(&admin), query, json!({ "input": input })).await;
    let listed = app.gql(Some(&admin), PARTNERS, json!({})).await;

    let (first, again) = (&first["data"]["registerPartner"], &again["data"]["registerPartner"]);
    assert_eq!(first["created"], true, "{first}");
    assert!(first["clientSecret"].is_string());
    assert_eq!(again["created"], false, "{again}");
    assert!(again["clientSecret"].is_null(), "the secret is shown once: {again}");
    assert_eq!(again["partner"]["id"], first["partner"]["id"]);
    assert_eq!(listed["data"]["partners"].as_array().map(Vec::len), Some(1), "{listed}");
});

//! Per-partner rate limits: a partner's requests are charged to its own budget (its own points, or the
//! configured default) and not to its client address; a spent budget answers 429 `RATE_LIMITED` with
//! `Retry-After`; people's budgets and the address's are untouched; and instances on one Redis share a
//! partner's budget.
//!
//! The measured requests come from a forwarded address of their own (`trust_forwarded_for`), so the
//! set-up's requests from loopback do not count against it.

use gongzhi_api::config::Settings;
use gongzhi_tests::backend::service_url;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::instances::another_instance;
use gongzhi_tests::{Backend, TestApp, spawn_app_with};
use serde_json::{Value, json};

use crate::partners_support::{Registered, city, partner_token, register};

/// A costly query: a page of 100 topics, about 500 points.
const HEAVY: &str = "query($p: ID!) { topics(placeId: $p, first: 100) { edges { node { id title description } } } }";
const ME: &str = "{ me { id } }";
/// Where the partner's city system sits: one NAT address, shared with anyone else behind it.
const NAT: &str = "203.0.113.7";

fn small_budgets(settings: &mut Settings) {
    settings.rate_limits.window_seconds = 60;
    settings.rate_limits.person_points = 200;
    settings.rate_limits.ip_points = 200;
    settings.rate_limits.trust_forwarded_for = true;
}

/// POSTs from behind the NAT address, with a token when given.
async fn from_nat(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.graphql_url())
        .header("x-forwarded-for", NAT)
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent")
}

/// A partner over the whole demo city, registered by the city administrator, with its token.
async fn city_partner(app: &TestApp, rate_points: Option<i64>) -> (Registered, String, String) {
    let admin = app.login_as("city_admin").await;
    let city = city(app, &admin).await;
    let partner = register(app, &admin, "邯郸市城市运行管理平台", &city, rate_points).await;
    let token = partner_token(app, &partner).await;
    (partner, token, city)
}

async fn refusal(response: reqwest::Response) -> (u16, Option<String>, Value) {
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, retry_after, response.json().await.expect("JSON"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_partner_budget_is_rate_limited_with_retry_after_and_people_keep_theirs() {
    let app = spawn_app_with(Backend::Sqlite, small_budgets).await.expect("app");
    let resident = app.login_as("resident").await;
    let (_, token, city) = city_partner(&app, Some(1_000)).await;

    let first = from_nat(&app, Some(&token), HEAVY, json!({ "p": city })).await.status().as_u16();
    let (status, retry_after, body) = refusal(from_nat(&app, Some(&token), HEAVY, json!({ "p": city })).await).await;
    let anonymous = from_nat(&app, None, "{ __typename }", json!({})).await.status().as_u16();
    let person = from_nat(&app, Some(&resident), ME, json!({})).await;
    let person_status = person.status().as_u16();
    let person_body: Value = person.json().await.expect("JSON");

    assert_eq!(first, 200);
    assert_eq!(status, 429, "{body}");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    assert!(body.get("data").is_none(), "nothing ran: {body}");
    let seconds: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=60).contains(&seconds), "{seconds}");
    assert_eq!(anonymous, 200, "the partner's 1,000 points were not charged to its address (budget 200)");
    assert_eq!(person_status, 200, "{person_body}");
    assert!(person_body.get("errors").is_none(), "a person's budget is their own: {person_body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_behind_a_spent_address_is_not_limited_by_it() {
    let app = spawn_app_with(Backend::Sqlite, small_budgets).await.expect("app");
    let (_, token, city) = city_partner(&app, None).await;

    // Charged before it runs (and then refused for want of a login): 500 points against a budget of 200.
    let (spent, _, spending) = refusal(from_nat(&app, None, HEAVY, json!({ "p": city })).await).await;
    let response = from_nat(&app, Some(&token), HEAVY, json!({ "p": city })).await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");

    assert_eq!(spent, 429, "an anonymous caller spent the address's budget: {spending}");
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_without_its_own_budget_has_the_configured_default() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        small_budgets(s);
        s.rate_limits.partner_points = 600;
    })
    .await
    .expect("app");
    let (partner, token, city) = city_partner(&app, None).await;

    let first = from_nat(&app, Some(&token), HEAVY, json!({ "p": city })).await.status().as_u16();
    let (status, retry_after, body) = refusal(from_nat(&app, Some(&token), HEAVY, json!({ "p": city })).await).await;

    let registered = &partner.body["data"]["registerPartner"]["partner"];
    assert!(registered["ratePoints"].is_null());
    assert_eq!(registered["effectiveRatePoints"], 600);
    assert_eq!(first, 200);
    assert_eq!((status, error_code(&body)), (429, Some("RATE_LIMITED")), "{body}");
    assert!(retry_after.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_redis_share_a_partners_budget() {
    let Some(redis_url) = service_url("TEST_REDIS_URL") else { return };
    let prefix = format!("gongzhi-test-{}:", uuid::Uuid::new_v4());
    let Some(first) = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(redis_url.clone());
        s.redis_prefix = prefix.clone();
    })
    .await
    else {
        return;
    };
    let second = another_instance(&first).await;
    let (partner, token, city) = city_partner(&first, Some(1_000)).await;

    let here = first
        .client
        .post(first.graphql_url())
        .bearer_auth(&token)
        .json(&json!({ "query": HEAVY, "variables": { "p": city } }))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16();
    let elsewhere = second.post(Some(&token), HEAVY, json!({ "p": city })).await;
    let elsewhere_status = elsewhere.status().as_u16();
    let body: Value = elsewhere.json().await.expect("JSON");
    let client = redis::Client::open(redis_url.as_str()).expect("Redis URL");
    let mut redis = client.get_multiplexed_async_connection().await.expect("Redis");
    let keys: Vec<String> =
        redis::cmd("KEYS").arg(format!("{prefix}rl:partner:*")).query_async(&mut redis).await.expect("KEYS");

    assert_eq!(here, 200);
    assert_eq!(elsewhere_status, 429, "the points spent on one instance are spent on the other: {body}");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    assert_eq!(keys.len(), 1, "one counter, in Redis: {keys:?}");
    let partner_uuid = partner.client_id.trim_start_matches("gzp_");
    let counter = uuid::Uuid::try_parse(partner_uuid).expect("client id names a uuid");
    assert!(keys[0].contains(&counter.to_string()), "the partner's own key: {keys:?}");
}

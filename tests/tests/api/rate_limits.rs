//! Rate limits per person and per client address, weighted by query complexity: a spent budget answers
//! 429 `RATE_LIMITED` with `Retry-After` and runs nothing; budgets are per person, shared by every instance
//! on one Redis, and kept in-process when Redis is away.

use gongzhi_api::config::Settings;
use gongzhi_tests::backend::service_url;
use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::instances::another_instance;
use gongzhi_tests::{Backend, TestApp, spawn_app_with};
use serde_json::{Value, json};

use crate::pipeline_support::{Demo, SUBMIT, category, demo, document, topic_input};

const ME: &str = "{ me { id name } }";
/// A costly query: a page of 100 topics (complexity in the hundreds).
const HEAVY: &str = "query($p: ID!) { topics(placeId: $p, first: 100) { edges { node { id title description } } } }";
const FEED: &str = "query($p: ID!) { topics(placeId: $p, first: 50) { edges { node { title } } } }";
const REFUSED_TITLE: &str = "限流时提交的议题";

/// Small budgets: a person's is spent by a handful of small queries; the address's is large.
fn small_person_budget(settings: &mut Settings) {
    settings.rate_limits.person_points = 40;
    settings.rate_limits.ip_points = 1_000_000;
    settings.rate_limits.window_seconds = 60;
}

/// An app where the resident may spend 10,000 points (enough for the staff member who finds the places
/// and the category a submission needs; the resident spends theirs on costly queries).
struct Spending {
    app: TestApp,
    places: Demo,
    staff: String,
    repairs: String,
    resident: String,
}

async fn spending() -> Spending {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        small_person_budget(s);
        s.rate_limits.person_points = 10_000;
    })
    .await
    .expect("app");
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let repairs = category(&app, &staff, &places.community, "repairs").await;
    let resident = app.login_as("resident").await;
    Spending { app, places, staff, repairs, resident }
}

/// Sends `ME` until refused; the refusal, or a panic when none came within `tries`.
async fn spend<F, Fut>(post: F, tries: usize) -> reqwest::Response
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = reqwest::Response>,
{
    for _ in 0..tries {
        let response = post().await;
        if response.status().as_u16() == 429 {
            return response;
        }
        assert_eq!(response.status().as_u16(), 200);
    }
    panic!("no refusal within {tries} requests")
}

fn titles(feed: &Value) -> Vec<String> {
    gongzhi_tests::graphql::feed_field(feed, "title")
}

async fn refused_body(response: reqwest::Response) -> (Option<String>, Value) {
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (retry_after, response.json().await.expect("json"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_personal_budget_is_rate_limited_with_retry_after_and_changes_nothing() {
    let Spending { app, places, staff: _, repairs, resident } = spending().await;
    let neighbour = app.login_as("oc_chair").await;

    spend(|| app.post_with(&resident, HEAVY, json!({ "p": places.jinxiu }), &[]), 60).await;
    let submit = app
        .post_with(
            &resident,
            &document(SUBMIT),
            json!({ "input": topic_input(&places.jinxiu, &repairs, REFUSED_TITLE) }),
            &[("accept-language", "en")],
        )
        .await;
    let status = submit.status().as_u16();
    let (retry_after, body) = refused_body(submit).await;
    let in_chinese = app.gql(Some(&resident), ME, json!({})).await;
    let for_neighbour = app.gql(Some(&neighbour), FEED, json!({ "p": places.jinxiu })).await;

    assert_eq!(status, 429);
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    assert!(body.get("data").is_none(), "nothing ran: {body}");
    let seconds: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=60).contains(&seconds), "{seconds}");
    assert!(error_message(&body).is_some_and(|m| m.contains("Too many requests")), "{body}");
    assert!(error_message(&in_chinese).is_some_and(|m| m.contains("请求过于频繁")), "{in_chinese}");
    assert!(for_neighbour.get("errors").is_none(), "another person is unaffected: {for_neighbour}");
    assert!(!titles(&for_neighbour).iter().any(|t| t == REFUSED_TITLE), "the refused submission changed nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_address_budget_limits_anonymous_requests() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.rate_limits.ip_points = 30).await.expect("app");
    let anonymous = || app.client.post(app.graphql_url()).json(&json!({ "query": "{ __typename }" })).send();

    let refused = spend(|| async { anonymous().await.expect("sent") }, 40).await;

    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.expect("json");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_redis_share_a_persons_budget() {
    let Some(redis) = service_url("TEST_REDIS_URL") else { return };
    let prefix = format!("gongzhi-test-{}:", uuid::Uuid::new_v4());
    let Some(first) = spawn_app_with(Backend::Postgres, |s| {
        small_person_budget(s);
        s.redis_url = Some(redis.clone());
        s.redis_prefix = prefix.clone();
    })
    .await
    else {
        return;
    };
    let second = another_instance(&first).await;
    let resident = first.login_as("resident").await;

    spend(|| first.post_with(&resident, ME, json!({}), &[]), 40).await;
    let elsewhere = second.post(Some(&resident), ME, json!({})).await;

    assert_eq!(elsewhere.status().as_u16(), 429, "the budget spent on one instance is spent on the other");
    let body: Value = elsewhere.json().await.expect("json");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_away_budgets_are_kept_in_process_and_nothing_fails() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        small_person_budget(s);
        s.redis_url = Some("redis://127.0.0.1:1".into());
    })
    .await
    .expect("app");
    let resident = app.login_as("resident").await;

    let refused = spend(|| app.post_with(&resident, ME, json!({}), &[]), 40).await;

    assert_eq!(refused.status().as_u16(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_sent_again_is_charged_its_whole_complexity() {
    // `ME` costs 3 points (three fields): the first request is charged as the engine validates it, the
    // ones after it from the remembered figure, before they run.
    let app = spawn_app_with(Backend::Sqlite, |s| {
        small_person_budget(s);
        s.rate_limits.person_points = 9;
    })
    .await
    .expect("app");
    let resident = app.login_as("resident").await;

    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.post_with(&resident, ME, json!({}), &[]).await.status().as_u16());
    }

    assert_eq!(statuses, [200, 200, 200, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mutation_sent_again_over_the_budget_is_refused_before_it_runs() {
    let Spending { app, places, staff, repairs, resident } = spending().await;
    let submit = json!({ "input": topic_input(&places.jinxiu, &repairs, REFUSED_TITLE) });

    let first = app.gql(Some(&resident), &document(SUBMIT), submit.clone()).await;
    spend(|| app.post_with(&resident, HEAVY, json!({ "p": places.jinxiu }), &[]), 60).await;
    let again = app.post_with(&resident, &document(SUBMIT), submit, &[]).await;
    let status = again.status().as_u16();
    let (_, body) = refused_body(again).await;
    let feed = app.gql(Some(&staff), FEED, json!({ "p": places.jinxiu })).await;

    assert!(first.get("errors").is_none(), "{first}");
    assert_eq!(status, 429);
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    let submitted = titles(&feed).iter().filter(|t| *t == REFUSED_TITLE).count();
    assert_eq!(submitted, 1, "the request refused the second time ran nothing: {feed}");
}

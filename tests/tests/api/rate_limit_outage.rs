//! A budget spent is spent whether Redis is there or not: when an instance loses Redis it counts on from
//! the totals Redis last gave it, when Redis is back it is told what was spent meanwhile (so every instance
//! refuses), and a Redis that comes back having lost its counts is raised to what the instance has seen.
//! The mock clock keeps every request in one window.

use gongzhi_api::config::Settings;
use gongzhi_api::startup::Application;
use gongzhi_tests::backend::service_url;
use gongzhi_tests::instances::Instance;
use gongzhi_tests::tcp_proxy::{TcpProxy, redis_address};
use gongzhi_tests::{Backend, TestApp, spawn_app_with};
use serde_json::json;

/// Three points: three fields.
const ME: &str = "{ me { id name } }";
/// One point.
const TYPENAME: &str = "{ __typename }";

/// A resident's budget of 13 points: four `ME` (12) fit, a fifth does not. The address's never matters.
/// Without the read cache a request's only Redis calls are its two charges, so the one request sent while
/// Redis is cut fails two calls, fewer than open the breaker (three): the next call after Redis is back
/// reaches it at once, without waiting out the breaker's cool-down in real time.
fn small_budget_on(redis_url: String, prefix: &str) -> impl FnOnce(&mut Settings) {
    let prefix = prefix.to_owned();
    move |settings| {
        settings.rate_limits.person_points = 13;
        settings.rate_limits.ip_points = 1_000_000;
        settings.rate_limits.window_seconds = 60;
        settings.cache.enabled = false;
        settings.redis_url = Some(redis_url);
        settings.redis_prefix = prefix;
    }
}

async fn status(app: &TestApp, token: Option<&str>, query: &str) -> u16 {
    let mut request = app.client.post(app.graphql_url()).json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent").status().as_u16()
}

/// Another instance of `app` on the same database and clock, reaching Redis at `redis_url` directly.
async fn instance_on(app: &TestApp, redis_url: &str) -> Instance {
    let mut settings = app.settings.clone();
    settings.seed_demo = false;
    settings.redis_url = Some(redis_url.to_owned());
    let built = Application::build_with_clock(settings, app.clock.clone()).await.expect("instance builds");
    let address = format!("http://127.0.0.1:{}", built.port());
    tokio::spawn(built.run_until_stopped());
    Instance { address, client: reqwest::Client::new() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_spent_across_a_redis_outage_stays_spent_on_every_instance() {
    let Some(redis) = service_url("TEST_REDIS_URL") else { return };
    let proxy = TcpProxy::start(&redis_address(&redis)).await;
    let prefix = format!("gongzhi-test-{}:", uuid::Uuid::new_v4());
    let through_proxy = format!("redis://127.0.0.1:{}", proxy.port);
    let Some(app) = spawn_app_with(Backend::Postgres, small_budget_on(through_proxy, &prefix)).await else { return };
    let elsewhere = instance_on(&app, &redis).await;
    let resident = app.login_as("resident").await;

    let mut before = Vec::new();
    for _ in 0..4 {
        before.push(status(&app, Some(&resident), ME).await);
    }
    proxy.stop();
    let while_cut = status(&app, Some(&resident), ME).await;
    proxy.resume().await;
    let anonymous_after = status(&app, None, TYPENAME).await;
    let on_the_other_instance = elsewhere.post(Some(&resident), TYPENAME, json!({})).await.status().as_u16();
    let here_after = status(&app, Some(&resident), TYPENAME).await;

    assert_eq!(before, [200; 4], "12 of 13 points spent with Redis");
    assert_eq!(while_cut, 429, "with Redis cut, the count goes on from 12, not from 0");
    assert_eq!(anonymous_after, 200, "the address's budget is untouched");
    assert_eq!(on_the_other_instance, 429, "the points spent while Redis was cut reached Redis when it came back");
    assert_eq!(here_after, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_lost_its_counts_is_raised_to_what_the_instance_has_seen() {
    let Some(redis) = service_url("TEST_REDIS_URL") else { return };
    let prefix = format!("gongzhi-test-{}:", uuid::Uuid::new_v4());
    let app = spawn_app_with(Backend::Sqlite, small_budget_on(redis.clone(), &prefix)).await.expect("app");
    let resident = app.login_as("resident").await;
    let mut before = Vec::new();
    for _ in 0..4 {
        before.push(status(&app, Some(&resident), ME).await);
    }

    let client = redis::Client::open(redis.as_str()).expect("redis url");
    let mut connection = client.get_multiplexed_async_connection().await.expect("redis connects");
    let counters: Vec<String> =
        redis::cmd("KEYS").arg(format!("{prefix}rl:*")).query_async(&mut connection).await.expect("KEYS");
    let _: () = redis::cmd("DEL").arg(&counters).query_async(&mut connection).await.expect("DEL");
    let after_the_loss = status(&app, Some(&resident), ME).await;

    assert_eq!(before, [200; 4]);
    assert!(counters.iter().any(|key| key.contains(":rl:person:")), "{counters:?}");
    assert_eq!(after_the_loss, 429, "Redis counted from 0 again: the instance had seen 12 points spent");
}

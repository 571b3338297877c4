//! The read cache's version counters in Redis expire when left alone, so a long-running deployment does
//! not keep one for every topic it ever saw; and a counter that expired and comes back never repeats a
//! number, so nothing cached under its old life is served as current.

use gongzhi_tests::app::demo_topic;
use gongzhi_tests::backend::service_url;
use gongzhi_tests::{Backend, spawn_app_with};
use serde_json::{Value, json};

use crate::pipeline_support::{category, co_sign, demo, raise, topic_input};

const TOPIC: &str = "query($t: ID!) { node(id: $t) { ... on Topic { id coSignCount } } }";

fn co_signs(topic: &Value) -> u64 {
    topic["data"]["node"]["coSignCount"].as_u64().unwrap_or_else(|| panic!("no topic: {topic}"))
}

async fn redis(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url).expect("redis url").get_multiplexed_async_connection().await.expect("redis connects")
}

async fn keys(connection: &mut redis::aio::MultiplexedConnection, pattern: &str) -> Vec<String> {
    redis::cmd("KEYS").arg(pattern).query_async(connection).await.expect("KEYS")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_counters_expire_when_left_alone() {
    let Some(url) = service_url("TEST_REDIS_URL") else { return };
    let app = spawn_app_with(Backend::Sqlite, |s| s.redis_url = Some(url.clone())).await.expect("app");
    let prefix = app.settings.redis_prefix.clone();
    let staff = app.login_as("rc_staff").await;
    let parking = demo_topic(&app, &staff, "电动车").await;
    co_signs(&app.gql(Some(&staff), TOPIC, json!({ "t": parking })).await);
    co_sign(&app, &app.login_as("oc_member").await, &parking).await;

    let mut connection = redis(&url).await;
    let counters = keys(&mut connection, &format!("{prefix}v:*")).await;
    let mut lifetimes = Vec::new();
    for key in counters.iter().filter(|key| !key.ends_with("v:epoch")) {
        let ttl: i64 = redis::cmd("TTL").arg(key).query_async(&mut connection).await.expect("TTL");
        lifetimes.push((key.clone(), ttl));
    }

    assert!(counters.iter().any(|key| key.contains("v:topic:")), "the topic's counter is in Redis: {counters:?}");
    assert!(counters.iter().any(|key| key.contains("v:place:")), "and its places': {counters:?}");
    let week = 7 * 24 * 3600;
    assert!(lifetimes.iter().all(|(_, ttl)| (1..=week).contains(ttl)), "every counter expires: {lifetimes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counter_that_expired_does_not_bring_back_what_was_cached_under_its_old_numbers() {
    let Some(url) = service_url("TEST_REDIS_URL") else { return };
    let app = spawn_app_with(Backend::Sqlite, |s| s.redis_url = Some(url.clone())).await.expect("app");
    let prefix = app.settings.redis_prefix.clone();
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let (raiser, reader) = (app.login_as("oc_chair").await, app.login_as("oc_member").await);
    let repairs = category(&app, &staff, &places.community, "repairs").await;
    // A new topic: its counter has been bumped once (the submission), and its first read is kept under that.
    let topic = raise(&app, &raiser, topic_input(&places.jinxiu, &repairs, "地下车库照明不足")).await;
    // The first read of a new Redis only names its life (a miss); the second keeps what it read.
    app.gql(Some(&reader), TOPIC, json!({ "t": topic })).await;
    let before = co_signs(&app.gql(Some(&reader), TOPIC, json!({ "t": topic })).await);
    co_sign(&app, &reader, &topic).await;
    let once = co_signs(&app.gql(Some(&reader), TOPIC, json!({ "t": topic })).await);

    // Redis lets the counters go (as their expiry would), then the topic changes again: a counter counting
    // from 0 again would be back at the number the first read was kept under.
    let mut connection = redis(&url).await;
    for key in keys(&mut connection, &format!("{prefix}v:*")).await.iter().filter(|key| !key.ends_with("v:epoch")) {
        let _: i64 = redis::cmd("DEL").arg(key).query_async(&mut connection).await.expect("DEL");
    }
    co_sign(&app, &app.login_as("building_leader").await, &topic).await;
    let twice = co_signs(&app.gql(Some(&reader), TOPIC, json!({ "t": topic })).await);

    assert_eq!(once, before + 1);
    assert_eq!(twice, before + 2, "a restarted counter must not name the entry kept before the first co-sign");
}

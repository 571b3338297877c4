//! Another instance's commit wakes this instance's consumers at once, over Redis (decision 88): the live
//! consumer runs where its lease is, and a change committed elsewhere must not wait for the poll.

use gongzhi_tests::backend::service_url;
use gongzhi_tests::instances::another_instance_with;
use gongzhi_tests::live::{connect, next, subscribe};
use gongzhi_tests::{Backend, spawn_app_with};
use serde_json::json;

use crate::pipeline_support::{CO_SIGN, act, demo, demo_topics, done};

/// Longer than any test's patience: a message that arrives came from a wake-up, not from the poll.
const NEVER_MS: u64 = 3_600_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_on_an_instance_without_consumers_wakes_the_other_instance_s() {
    let Some(redis) = service_url("TEST_REDIS_URL") else { return };
    let prefix = format!("gongzhi-test-{}:", uuid::Uuid::new_v4());
    // The first instance takes the writes and runs no consumer; the second runs them, polling never.
    let Some(writer) = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(redis.clone());
        s.redis_prefix = prefix.clone();
        s.events.pump_in_serve = false;
        s.events.poll_ms = NEVER_MS;
    })
    .await
    else {
        return;
    };
    let reader = another_instance_with(&writer, |s| s.events.pump_in_serve = true).await;
    let topics = demo_topics(&writer, &demo(&writer).await.community).await;
    let resident = writer.login_as("resident").await;
    let client = connect(&reader.address, Some(&resident)).await.expect("connected to the second instance");
    let topic_changed = "subscription($t: ID!) { topicChanged(topicId: $t) { seq topic { coSignCount } } }";
    let mut changes = subscribe(&client, topic_changed, json!({ "t": topics.parking })).await;
    let first = next(&mut changes).await.expect("the topic as it stands");
    let before = first["data"]["topicChanged"]["topic"]["coSignCount"].as_u64().expect("count");

    let neighbour = writer.login_as("oc_member").await;
    done(&act(&writer, &neighbour, CO_SIGN, json!({ "t": topics.parking })).await);

    let message = next(&mut changes).await.expect("the co-sign, the second instance woken by the first's commit");
    assert_eq!(message["data"]["topicChanged"]["topic"]["coSignCount"].as_u64(), Some(before + 1), "{message}");
    assert!(message["data"]["topicChanged"]["seq"].as_i64().is_some_and(|seq| seq > 0), "{message}");
}

//! The read cache: a write on one instance is seen by another on its next read through a shared Redis,
//! including writes made in a unit of work; personal fields and visibility are per viewer even when the
//! entry is shared; and Redis trouble is a cache miss, with recovery once Redis is back.

use std::time::Duration;

use gongzhi_infra::cache::ReadCache;
use gongzhi_infra::demo::cast_id;
use gongzhi_tests::app::demo_topic;
use gongzhi_tests::backend::service_url;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::instances::two_on_one_redis;
use gongzhi_tests::tcp_proxy::{TcpProxy, redis_address};
use gongzhi_tests::{Backend, TestApp, demo_store, spawn_app_with};
use serde_json::{Value, json};

use crate::pipeline_support::{CO_SIGN, category, co_sign, demo, document, done, raise, topic_input};

const FEED: &str = "query($p: ID!) { topics(placeId: $p, first: 50) { edges { node { id title coSignCount } } } }";
const COUNTS: &str = "query($p: ID!) { topicCounts(placeId: $p) { stage count } }";
const TOPIC: &str = "query($t: ID!) { node(id: $t) { ... on Topic { id coSignCount coSignedByMe } } }";
const NEW_TITLE: &str = "小区东门道闸常坏";

fn titles(feed: &Value) -> Vec<String> {
    gongzhi_tests::graphql::feed_field(feed, "title")
}

fn total(counts: &Value) -> u64 {
    counts["data"]["topicCounts"]
        .as_array()
        .unwrap_or_else(|| panic!("no counts: {counts}"))
        .iter()
        .filter_map(|c| c["count"].as_u64())
        .sum()
}

fn co_signs(topic: &Value) -> u64 {
    topic["data"]["node"]["coSignCount"].as_u64().unwrap_or_else(|| panic!("no topic: {topic}"))
}

async fn redis_keys(url: &str, pattern: &str) -> Vec<String> {
    let client = redis::Client::open(url).expect("redis url");
    let mut connection = client.get_multiplexed_async_connection().await.expect("redis connects");
    redis::cmd("KEYS").arg(pattern).query_async(&mut connection).await.expect("KEYS")
}

/// Every topic's version counter under the prefix.
async fn topic_versions(url: &str, prefix: &str) -> std::collections::BTreeMap<String, u64> {
    let client = redis::Client::open(url).expect("redis url");
    let mut connection = client.get_multiplexed_async_connection().await.expect("redis connects");
    let mut versions = std::collections::BTreeMap::new();
    for key in redis_keys(url, &format!("{prefix}v:topic:*")).await {
        let number: Option<u64> = redis::cmd("GET").arg(&key).query_async(&mut connection).await.expect("GET");
        versions.insert(key, number.unwrap_or(0));
    }
    versions
}

async fn readiness(app: &TestApp) -> Value {
    app.client.get(format!("{}/readyz", app.address)).send().await.expect("sent").json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_redis_see_each_others_writes_on_their_next_read() {
    let Some((first, second)) = two_on_one_redis().await else { return };
    let (redis, prefix) = (first.settings.redis_url.clone().expect("redis"), first.settings.redis_prefix.clone());
    let places = demo(&first).await;
    let staff = first.login_as("rc_staff").await;
    let (oc_member, oc_chair) = (first.login_as("oc_member").await, first.login_as("oc_chair").await);
    let building_leader = first.login_as("building_leader").await;
    let parking = demo_topic(&first, &staff, "电动车").await;
    let repairs = category(&first, &staff, &places.community, "repairs").await;
    // The second instance reads, and so fills the shared cache.
    let feed = json!({ "p": places.jinxiu });
    let titles_before = titles(&second.gql(Some(&oc_chair), FEED, feed.clone()).await);
    let total_before = total(&second.gql(Some(&staff), COUNTS, json!({ "p": places.community })).await);
    let co_signs_before = co_signs(&second.gql(Some(&oc_chair), TOPIC, json!({ "t": parking })).await);
    assert!(!redis_keys(&redis, &format!("{prefix}feed:*")).await.is_empty(), "the feed page is cached");
    assert!(!redis_keys(&redis, &format!("{prefix}topic:*")).await.is_empty(), "the topic is cached");

    // The first instance writes: a new topic, a co-sign, and an idempotent co-sign (a unit of work).
    raise(&first, &oc_chair, topic_input(&places.jinxiu, &repairs, NEW_TITLE)).await;
    co_sign(&first, &oc_member, &parking).await;
    let idempotent = first
        .post_with(&building_leader, &document(CO_SIGN), json!({ "t": parking }), &[("idempotency-key", "k-cache-1")])
        .await;
    done(&idempotent.json().await.expect("json"));

    let titles_after = titles(&second.gql(Some(&oc_chair), FEED, feed).await);
    let total_after = total(&second.gql(Some(&staff), COUNTS, json!({ "p": places.community })).await);
    let for_co_signer = second.gql(Some(&oc_member), TOPIC, json!({ "t": parking })).await;
    let for_neighbour = second.gql(Some(&oc_chair), TOPIC, json!({ "t": parking })).await;
    assert!(!titles_before.iter().any(|t| t == NEW_TITLE));
    assert!(titles_after.iter().any(|t| t == NEW_TITLE), "{titles_after:?}");
    assert_eq!(total_after, total_before + 1);
    assert_eq!(co_signs(&for_co_signer), co_signs_before + 2, "{for_co_signer}");
    assert_eq!(co_signs(&for_neighbour), co_signs_before + 2, "{for_neighbour}");
    assert_eq!(for_co_signer["data"]["node"]["coSignedByMe"], true, "personal, per viewer");
    assert_eq!(for_neighbour["data"]["node"]["coSignedByMe"], false, "never served from another's entry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_see_is_checked_on_every_read_even_when_the_entry_is_cached() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let (resident, old_owner) = (app.login_as("resident").await, app.login_as("old_owner").await);
    let parking = demo_topic(&app, &staff, "电动车").await;
    // Filled by people who may see them.
    let community = json!({ "p": places.community });
    assert!(!titles(&app.gql(Some(&staff), FEED, community.clone()).await).is_empty());
    assert!(total(&app.gql(Some(&staff), COUNTS, community.clone()).await) > 0);
    assert!(!titles(&app.gql(Some(&resident), FEED, json!({ "p": places.jinxiu })).await).is_empty());
    co_signs(&app.gql(Some(&resident), TOPIC, json!({ "t": parking })).await);

    let community_for_resident = app.gql(Some(&resident), FEED, community.clone()).await;
    let counts_for_resident = app.gql(Some(&resident), COUNTS, community).await;
    let other_compound = app.gql(Some(&old_owner), FEED, json!({ "p": places.jinxiu })).await;
    let other_topic = app.gql(Some(&old_owner), TOPIC, json!({ "t": parking })).await;

    assert_eq!(error_code(&community_for_resident), Some("NOT_FOUND"), "{community_for_resident}");
    assert_eq!(error_code(&counts_for_resident), Some("NOT_FOUND"), "{counts_for_resident}");
    assert_eq!(error_code(&other_compound), Some("NOT_FOUND"), "{other_compound}");
    assert_eq!(error_code(&other_topic), Some("NOT_FOUND"), "{other_topic}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_instance_sees_its_own_writes_including_those_of_a_unit_of_work() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    let staff = app.login_as("rc_staff").await;
    let (oc_member, building_leader) = (app.login_as("oc_member").await, app.login_as("building_leader").await);
    let parking = demo_topic(&app, &staff, "电动车").await;
    let before = co_signs(&app.gql(Some(&oc_member), TOPIC, json!({ "t": parking })).await);

    let idempotent = app
        .post_with(&building_leader, &document(CO_SIGN), json!({ "t": parking }), &[("idempotency-key", "k-cache-2")])
        .await;
    done(&idempotent.json().await.expect("json"));
    let after_unit = app.gql(Some(&building_leader), TOPIC, json!({ "t": parking })).await;
    co_sign(&app, &oc_member, &parking).await;
    let after_plain = app.gql(Some(&oc_member), TOPIC, json!({ "t": parking })).await;

    assert_eq!(co_signs(&after_unit), before + 1, "{after_unit}");
    assert_eq!(after_unit["data"]["node"]["coSignedByMe"], true);
    assert_eq!(co_signs(&after_plain), before + 2, "{after_plain}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_redis_is_a_cache_miss_and_every_request_still_answers() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.redis_url = Some("redis://127.0.0.1:1".into())).await.expect("app");
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let oc_member = app.login_as("oc_member").await;
    let parking = demo_topic(&app, &staff, "电动车").await;

    let mut statuses = Vec::new();
    for _ in 0..5 {
        let feed = app.post_with(&staff, FEED, json!({ "p": places.community }), &[]).await;
        statuses.push(feed.status().as_u16());
        assert!(!titles(&feed.json().await.expect("json")).is_empty());
    }
    let before = co_signs(&app.gql(Some(&oc_member), TOPIC, json!({ "t": parking })).await);
    co_sign(&app, &oc_member, &parking).await;
    let after = co_signs(&app.gql(Some(&oc_member), TOPIC, json!({ "t": parking })).await);
    let ready = readiness(&app).await;

    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(after, before + 1);
    assert_eq!(ready["status"], "degraded", "{ready}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_comes_back_with_redis_without_serving_what_changed_meanwhile() {
    let Some(redis) = service_url("TEST_REDIS_URL") else { return };
    let proxy = TcpProxy::start(&redis_address(&redis)).await;
    let through_proxy = format!("redis://127.0.0.1:{}", proxy.port);
    let app = spawn_app_with(Backend::Sqlite, |s| s.redis_url = Some(through_proxy)).await.expect("app");
    let prefix = app.settings.redis_prefix.clone();
    let staff = app.login_as("rc_staff").await;
    let (oc_member, oc_chair) = (app.login_as("oc_member").await, app.login_as("oc_chair").await);
    let parking = demo_topic(&app, &staff, "电动车").await;
    let before = co_signs(&app.gql(Some(&oc_chair), TOPIC, json!({ "t": parking })).await);
    assert!(!redis_keys(&redis, &format!("{prefix}topic:*")).await.is_empty(), "cached through the proxy");
    let versions_before = topic_versions(&redis, &prefix).await;

    proxy.stop();
    co_sign(&app, &oc_member, &parking).await;
    let while_down = co_signs(&app.gql(Some(&oc_chair), TOPIC, json!({ "t": parking })).await);
    let ready_while_down = readiness(&app).await;
    proxy.resume().await;
    // The breaker leaves Redis alone for a short cool-down before trying it again: moved past on the
    // injected clock.
    app.clock.advance(chrono::Duration::milliseconds(2_500));
    let after_recovery = co_signs(&app.gql(Some(&oc_chair), TOPIC, json!({ "t": parking })).await);
    co_sign(&app, &app.login_as("building_leader").await, &parking).await;
    let after_next_write = co_signs(&app.gql(Some(&oc_chair), TOPIC, json!({ "t": parking })).await);
    let ready_after = readiness(&app).await;
    let versions_after = topic_versions(&redis, &prefix).await;
    let moved: Vec<(u64, u64)> = versions_after
        .iter()
        .filter_map(|(key, after)| {
            let before = versions_before.get(key).copied().unwrap_or(0);
            (*after != before).then_some((before, *after))
        })
        .collect();

    assert_eq!(while_down, before + 1, "while Redis is away, reads go to the database");
    assert_eq!(ready_while_down["status"], "degraded", "{ready_while_down}");
    assert_eq!(after_recovery, before + 1, "the change made while Redis was away is not hidden by an old entry");
    assert_eq!(after_next_write, before + 2);
    assert_eq!(ready_after["status"], "ok", "{ready_after}");
    assert!(
        matches!(moved.as_slice(), [(before, after)] if *after == before + 2),
        "only the topic's counter moved, by the missed bump made on recovery and the next write's: {moved:?}"
    );
}

/// The race the ordering guards against: a read between a unit of work's write and its commit fills the
/// cache with the old value. Had the write bumped the version before the outer commit, that old value would
/// sit under the new version; bumped after, it sits under the old one and the next read refills.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_while_a_unit_of_work_is_open_cannot_keep_the_old_value_after_it_commits() {
    let Some((store, _db)) = demo_store(Backend::Postgres).await else { return };
    let store = store.with_cache(ReadCache::in_process(100, Duration::from_secs(60)));
    let person = |handle: &str| cast_id(handle).expect("demo person");
    let resident = store.actor(person("resident")).await.expect("actor");
    let neighbour = store.actor(person("oc_member")).await.expect("actor");
    let mine = store.my_topics(&resident, None, 10, false).await.expect("topics").records;
    let parking = mine.iter().find(|r| r.topic.title.as_str().contains("电动车")).expect("demo topic").topic.id;
    let before = store.topic(&neighbour, parking).await.expect("topic").co_sign_count;

    let work = store.unit_of_work().await.expect("unit of work");
    work.co_sign_topic(&neighbour, parking).await.expect("co-signed");
    let meanwhile = store.topic(&neighbour, parking).await.expect("topic").co_sign_count;
    work.finish(true).await.expect("committed");
    let after = store.topic(&neighbour, parking).await.expect("topic").co_sign_count;

    assert_eq!(meanwhile, before, "the open unit of work is not visible to others");
    assert_eq!(after, before + 1, "nor is its old value served once it has committed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_topic_is_hidden_at_once_from_property_staff_whose_contract_ended() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let property_staff = app.login_as("property_staff").await;
    let parking = demo_topic(&app, &staff, "电动车").await;
    let while_contracted = app.gql(Some(&property_staff), TOPIC, json!({ "t": parking })).await;

    let ended = app
        .gql(
            Some(&staff),
            "mutation($c: ID!) { assignPropertyCompany(compoundId: $c, companyId: null) { ok place { id } } }",
            json!({ "c": places.jinxiu }),
        )
        .await;
    let after_contract = app.gql(Some(&property_staff), TOPIC, json!({ "t": parking })).await;

    assert!(ended.get("errors").is_none(), "{ended}");
    co_signs(&while_contracted);
    assert_eq!(error_code(&after_contract), Some("NOT_FOUND"), "{after_contract}");
}

//! A feed page served from the read cache still shows each viewer their own co-signatures, and every
//! author's and category's current name: what a page's rows point at is kept per viewer or per row, under
//! versions of its own, on each instance, and never outlives a change on any instance. A Redis that lost
//! its data does not bring back what an instance kept from before.

use gongzhi_tests::app::demo_topic;
use gongzhi_tests::graphql::{feed_field, feed_row, uuid_of};
use gongzhi_tests::instances::{Instance, two_on_one_redis};
use gongzhi_tests::{Backend, TestApp, spawn_app_with};
use serde_json::{Value, json};

use crate::pipeline_support::{category, co_sign, demo, raise, topic_input};

const FEED: &str = "query($p: ID!) { topics(placeId: $p, first: 50) { edges { node { id title coSignedByMe \
                    category { id name } submitter { id name } } } } }";
const SET_NAME: &str = "mutation($n: String!) { setMyName(name: $n) { id name } }";
const EDIT_CATEGORY: &str = "mutation($c: ID!, $zh: String!, $en: String!) { \
                             editCategory(categoryId: $c, nameZh: $zh, nameEn: $en, active: true) { id name } }";

/// Where a request goes: the instance that wrote, or another on the same Redis.
trait Reader {
    async fn read(&self, token: &str, query: &str, variables: Value) -> Value;
}

impl Reader for TestApp {
    async fn read(&self, token: &str, query: &str, variables: Value) -> Value {
        self.gql(Some(token), query, variables).await
    }
}

impl Reader for Instance {
    async fn read(&self, token: &str, query: &str, variables: Value) -> Value {
        self.gql(Some(token), query, variables).await
    }
}

/// Fills the cache through `reader`, changes what the rows point at through `writer`, and reads again
/// through `reader`.
async fn changes_show_on_the_next_read(writer: &TestApp, reader: &impl Reader) {
    let places = demo(writer).await;
    let staff = writer.login_as("rc_staff").await;
    let (oc_member, oc_chair) = (writer.login_as("oc_member").await, writer.login_as("oc_chair").await);
    let resident = writer.login_as("resident").await;
    let parking = demo_topic(writer, &staff, "电动车").await;
    let compound = json!({ "p": places.jinxiu });
    let community = json!({ "p": places.community });
    for token in [&oc_member, &oc_chair] {
        let before = reader.read(token, FEED, compound.clone()).await;
        assert_eq!(feed_row(&before, &parking)["coSignedByMe"], false, "{before}");
        // Read again: the second is served from what the first kept, the third and fourth as whole
        // responses kept (decision 37), which the changes below must make stale too.
        for _ in 0..3 {
            assert_eq!(reader.read(token, FEED, compound.clone()).await, before);
        }
    }
    let for_staff = reader.read(&staff, FEED, community.clone()).await;
    let category_id = feed_row(&for_staff, &parking)["category"]["id"].as_str().expect("category").to_owned();
    for _ in 0..3 {
        assert_eq!(reader.read(&staff, FEED, community.clone()).await, for_staff);
    }

    co_sign(writer, &oc_member, &parking).await;
    let renamed = writer.gql(Some(&resident), SET_NAME, json!({ "n": "新名字" })).await;
    let recatalogued = writer
        .gql(Some(&staff), EDIT_CATEGORY, json!({ "c": category_id, "zh": "停车与充电", "en": "Parking and charging" }))
        .await;

    let co_signer = reader.read(&oc_member, FEED, compound.clone()).await;
    let neighbour = reader.read(&oc_chair, FEED, compound).await;
    let staff_after = reader.read(&staff, FEED, community).await;
    assert!(renamed.get("errors").is_none() && recatalogued.get("errors").is_none(), "{renamed} {recatalogued}");
    assert_eq!(feed_row(&co_signer, &parking)["coSignedByMe"], true, "the co-signer's own page: {co_signer}");
    assert_eq!(feed_row(&neighbour, &parking)["coSignedByMe"], false, "never another viewer's: {neighbour}");
    assert_eq!(feed_row(&staff_after, &parking)["submitter"]["name"], "新名字", "{staff_after}");
    assert_eq!(feed_row(&staff_after, &parking)["category"]["name"], "停车与充电", "{staff_after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_one_instance_a_cached_page_shows_the_viewers_co_signatures_and_current_names() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await.expect("app");
    changes_show_on_the_next_read(&app, &app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_another_instance_a_cached_page_shows_the_viewers_co_signatures_and_current_names() {
    let Some((first, second)) = two_on_one_redis().await else { return };
    changes_show_on_the_next_read(&first, &second).await;
}

/// Redis keeps nothing on disk: after a restart every counter starts again from 0, and once a place's has
/// counted back up to the number an instance read a page under, that instance must not serve its copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_lost_its_data_does_not_bring_back_what_an_instance_kept() {
    let Some((first, second)) = two_on_one_redis().await else { return };
    let (redis, prefix) = (first.settings.redis_url.clone().expect("redis"), first.settings.redis_prefix.clone());
    let places = demo(&first).await;
    let staff = first.login_as("rc_staff").await;
    let oc_chair = first.login_as("oc_chair").await;
    let repairs = category(&first, &staff, &places.community, "repairs").await;
    let compound = json!({ "p": places.jinxiu });
    let kept = second.read(&oc_chair, FEED, compound.clone()).await;
    let client = redis::Client::open(redis.as_str()).expect("redis url");
    let mut redis = client.get_multiplexed_async_connection().await.expect("redis connects");
    let counter = format!("{prefix}v:place:{}", uuid_of(&places.jinxiu));
    let number: u64 = redis::cmd("GET").arg(&counter).query_async(&mut redis).await.unwrap_or(0);

    let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{prefix}*")).query_async(&mut redis).await.expect("KEYS");
    let _: () = redis::cmd("DEL").arg(&keys).query_async(&mut redis).await.expect("DEL");
    let new_topic = raise(&first, &oc_chair, topic_input(&places.jinxiu, &repairs, "地库照明不足")).await;
    // The counter has counted up again to the number the page was read under.
    let _: () = redis::cmd("SET").arg(&counter).arg(number).query_async(&mut redis).await.expect("SET");
    let after = second.read(&oc_chair, FEED, compound).await;

    assert!(feed_field(&kept, "id").iter().all(|id| *id != new_topic), "{kept}");
    assert!(feed_field(&after, "id").contains(&new_topic), "the page read after the loss shows the new topic: {after}");
}

//! The read path costs a fixed number of SQL statements, however many rows a page holds: the feed with each
//! topic's author, category, co-sign count and the viewer's co-signed flag is read in one statement with
//! every relation joined, never one per topic.
//!
//! What is counted: every statement the app's store runs while one `POST /graphql` is served (sea-orm's
//! metric callback on the app's connection; nothing else runs meanwhile, the scheduler being off in tests).
//! That is the whole request:
//!
//! | statement                                                                       | per       |
//! |---------------------------------------------------------------------------------|-----------|
//! | the token's session is live, with the caller's live grants and their places     | request   |
//! | the feed's place with its compound facts (authorization)                        | request   |
//! | the page of topics with their places, categories, authors and my co-signatures  | page      |
//! | the rows' places with their compounds' facts (who may see the author)           | page      |
//!
//! With the read cache (on by default) a missed page is read the same way and its rows are cached; a page
//! served from the cache reads its relations for the viewer in one statement, or none once this instance
//! keeps them (`hit_relations`), so a hit costs at most what a miss does. The tests check both with the
//! cache on (a miss, then hits) and off. The statements about places and sessions are what the authority
//! snapshot (decision 32) saves on a warm request; it is off here so that every read pays them, and
//! `authority_snapshot.rs` measures it.

use gongzhi_tests::{Backend, TestApp, on_both, spawn_app_with};
use serde_json::{Value, json};

use crate::pipeline_support::{category, co_sign, demo, raise, topic_input};

const FEED: &str = "query($p: ID!, $first: Int) {
  topics(placeId: $p, first: $first) {
    edges { node { id submitter { id name } category { id name } coSignCount coSignedByMe } } } }";

/// Session with the caller's grants (1), and the feed's place (1): the same for any page.
const PER_REQUEST: u64 = 2;
/// Topics with their places, categories, authors and my co-signatures; the contexts of the rows' places.
const PER_PAGE: u64 = 2;
/// The bound on the whole request.
const AT_MOST: u64 = 4;

/// Runs the feed and returns the response and the statements it cost.
async fn counted(app: &TestApp, token: &str, place: &str, first: usize) -> (Value, u64) {
    let before = app.store.statements_run();
    let body = app.gql(Some(token), FEED, json!({ "p": place, "first": first })).await;
    (body, app.store.statements_run() - before)
}

fn rows(body: &Value) -> &Vec<Value> {
    body["data"]["topics"]["edges"].as_array().unwrap_or_else(|| panic!("no feed: {body}"))
}

fn co_signed(body: &Value) -> usize {
    rows(body).iter().filter(|e| e["node"]["coSignedByMe"] == true).count()
}

/// 100 topics in 锦绣花园 (the demo has one more), by six people, in five categories, a third of them
/// co-signed by the resident. Returns the resident's and the staff's tokens and the compound's id.
async fn hundred_topics(app: &TestApp) -> (String, String, String) {
    let places = demo(app).await;
    let staff = app.login_as("rc_staff").await;
    let mut categories = Vec::new();
    for code in ["repairs", "safety", "environment", "parking", "fees"] {
        categories.push(category(app, &staff, &places.community, code).await);
    }
    let authors = ["resident", "owner", "oc_member", "oc_chair", "building_leader", "oc_member2"];
    let mut tokens = Vec::new();
    for author in authors {
        tokens.push(app.login_as(author).await);
    }
    let resident = tokens[0].clone();
    for n in 0..100 {
        let author = n % authors.len();
        let place = if n % 2 == 0 { &places.jinxiu } else { &places.jinxiu_1 };
        let input = topic_input(place, &categories[n % categories.len()], &format!("第{n}号议题：楼道需要维修"));
        let topic = raise(app, &tokens[author], input).await;
        if author != 0 && n % 3 == 0 {
            co_sign(app, &resident, &topic).await;
        }
    }
    (resident, staff, places.jinxiu)
}

/// Reads pages of 10 and 100 as the resident and as the staff member, each twice (with the cache: a miss,
/// then a hit; the staff's first read is served from the resident's entry), and checks a page of 100 costs
/// no more than one of 10 read just before it, every read costs the same few statements or (a hit that
/// finds its relations kept) fewer, and each viewer sees their own co-signatures.
async fn feed_costs_the_same_for_any_page(app: &TestApp, backend: Backend, cache: &str) {
    let (resident, staff, compound) = hundred_topics(app).await;
    let resident_signed = (0..100).filter(|n| n % 6 != 0 && n % 3 == 0).count();
    for (viewer, token, signed) in [("resident", &resident, resident_signed), ("staff", &staff, 0)] {
        let mut costs = Vec::new();
        for first in [10, 100, 10, 100] {
            let (page, cost) = counted(app, token, &compound, first).await;
            assert_eq!(rows(&page).len(), first, "{page}");
            assert!(rows(&page).iter().all(|e| e["node"]["category"]["name"].is_string()), "{page}");
            assert!(rows(&page).iter().any(|e| e["node"]["submitter"]["name"].is_string()), "{page}");
            if first == 100 {
                assert_eq!(co_signed(&page), signed, "each viewer sees their own co-signatures: {page}");
            }
            costs.push(cost);
        }
        eprintln!("{backend:?}, cache {cache}, {viewer}: pages of 10, 100, 10, 100 cost {costs:?} statements");
        assert!(costs[1] <= costs[0] && costs[3] <= costs[2], "a bigger page must not cost more statements: {costs:?}");
        assert!(costs.iter().all(|c| *c <= PER_REQUEST + PER_PAGE), "{costs:?} statements for one feed page");
        assert!(costs.iter().all(|c| *c <= AT_MOST), "{costs:?} statements for one feed page");
        if cache == "off" {
            assert!(costs.iter().all(|c| *c == PER_REQUEST + PER_PAGE), "{costs:?}: every read pays the same");
        }
    }
}

on_both!(a_feed_page_costs_the_same_statements_for_ten_topics_as_for_a_hundred, |backend| async move {
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.cache.authority_seconds = 0;
        // The event log's consumers run statements in the background, which would count as the reads'.
        settings.events.pump_in_serve = false;
    })
    .await
    else {
        return;
    };
    feed_costs_the_same_for_any_page(&app, backend, "on").await;
});

on_both!(without_the_read_cache_a_feed_page_costs_the_same_statements, |backend| async move {
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.cache.enabled = false;
        settings.cache.authority_seconds = 0;
        settings.events.pump_in_serve = false;
    })
    .await
    else {
        return;
    };
    feed_costs_the_same_for_any_page(&app, backend, "off").await;
});

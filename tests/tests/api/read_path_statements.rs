//! The read path costs a fixed number of SQL statements, however many rows a page holds: the feed with each
//! topic's author, category, co-sign count and the viewer's co-signed flag is read with one statement per
//! relation, never one per topic.
//!
//! What is counted: every statement the app's store runs while one `POST /graphql` is served (sea-orm's
//! metric callback on the app's connection; nothing else runs meanwhile, the scheduler being off in tests).
//! That is the whole request:
//!
//! | statement                                                  | per       |
//! |------------------------------------------------------------|-----------|
//! | the token's session is live                                | request   |
//! | the caller's live grants with their places                 | request   |
//! | the feed's place with its compound facts (authorization)   | request   |
//! | the page of topics with their places                       | page      |
//! | categories                                                 | page      |
//! | the viewer's co-signatures among the page                  | page      |
//! | place contexts of the topics (who may see the author)      | page      |
//! | authors (people)                                           | page      |

use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::pipeline_support::{category, co_sign, demo, raise, topic_input};

const FEED: &str = "query($p: ID!, $first: Int) {
  topics(placeId: $p, first: $first) {
    edges { node { id submitter { id name } category { id name } coSignCount coSignedByMe } } } }";

/// Session and caller (2), and the feed's place (1): the same for any page.
const PER_REQUEST: u64 = 3;
/// Topics with places, categories, co-signatures, place contexts, people.
const PER_PAGE: u64 = 5;

/// Runs the feed and returns the response and the statements it cost.
async fn counted(app: &TestApp, token: &str, place: &str, first: usize) -> (Value, u64) {
    let before = app.store.statements_run();
    let body = app.gql(Some(token), FEED, json!({ "p": place, "first": first })).await;
    (body, app.store.statements_run() - before)
}

fn rows(body: &Value) -> &Vec<Value> {
    body["data"]["topics"]["edges"].as_array().unwrap_or_else(|| panic!("no feed: {body}"))
}

on_both!(a_feed_page_costs_the_same_statements_for_ten_topics_as_for_a_hundred, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let mut categories = Vec::new();
    for code in ["repairs", "safety", "environment", "parking", "fees"] {
        categories.push(category(&app, &staff, &places.community, code).await);
    }
    // 100 topics in 锦绣花园 (the demo has one more), by six people, in five categories, a third of them
    // co-signed by the resident who reads the feed.
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
        let topic = raise(&app, &tokens[author], input).await;
        if author != 0 && n % 3 == 0 {
            co_sign(&app, &resident, &topic).await;
        }
    }

    for token in [&resident, &staff] {
        let (ten, for_ten) = counted(&app, token, &places.jinxiu, 10).await;
        let (hundred, for_hundred) = counted(&app, token, &places.jinxiu, 100).await;
        assert_eq!(rows(&ten).len(), 10, "{ten}");
        assert_eq!(rows(&hundred).len(), 100, "{hundred}");
        assert!(rows(&hundred).iter().all(|e| e["node"]["category"]["name"].is_string()), "{hundred}");
        assert!(rows(&hundred).iter().any(|e| e["node"]["submitter"]["name"].is_string()), "{hundred}");
        eprintln!("{backend:?}: 10 topics cost {for_ten} statements, 100 cost {for_hundred}");
        assert_eq!(for_ten, for_hundred, "a bigger page must not cost more statements");
        assert!(for_hundred <= PER_REQUEST + PER_PAGE, "{for_hundred} statements for one feed page");
    }
    let flags = rows(&counted(&app, &resident, &places.jinxiu, 100).await.0)
        .iter()
        .filter(|e| e["node"]["coSignedByMe"] == true)
        .count();
    assert_eq!(flags, (0..100).filter(|n| n % 6 != 0 && n % 3 == 0).count(), "the resident's co-signatures");
});

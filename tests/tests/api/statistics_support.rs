//! Helpers for the statistics tests: an app whose pump is off (the tests step the projection themselves),
//! the demo world's levels, a little pipeline, and recounts from the pipeline's tables.

use chrono::NaiveDate;
use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::statistics::{Period, Window};
use gongzhi_infra::Store;
use gongzhi_infra::statistics::{PlaceStatistics, StatisticsProjection};
use gongzhi_tests::{Backend, TestApp};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::pipeline_support::{ACCEPT, CO_SIGN, REJECT, act, category, demo, done, plan, raise, topic_input};

pub const STATISTICS: &str = "query($p: ID!, $period: StatisticsPeriod!, $from: NaiveDate!, $to: NaiveDate!) {
  statistics(placeId: $p, period: $period, from: $from, to: $to) {
    placeId period from to
    totals { metric total }
    trend { start totals { metric total } }
    stages { stage categoryId topics }
    children { placeId totals { metric total } }
    averageDaysToAccept satisfaction
  } }";

/// The widest window of months: every figure the tests make falls in it.
pub const FROM: &str = "2020-01-01";
pub const TO: &str = "2029-12-31";

pub fn months() -> Window {
    let day = |text: &str| text.parse::<NaiveDate>().expect("date");
    Window::new(Period::Month, day(FROM), day(TO)).expect("window")
}

/// The demo app with its pump off.
pub async fn app(backend: Backend) -> Option<TestApp> {
    gongzhi_tests::spawn_app_with(backend, |settings| settings.events.pump_in_serve = false).await
}

/// The demo world's levels, as global ids.
pub struct Levels {
    pub city: String,
    pub district: String,
    pub street: String,
    pub community: String,
}

async fn parent(app: &TestApp, token: &str, place: &str) -> String {
    let query = "query($id: ID!) { node(id: $id) { ... on Place { parent { id } } } }";
    let body = app.gql(Some(token), query, json!({ "id": place })).await;
    body["data"]["node"]["parent"]["id"].as_str().unwrap_or_else(|| panic!("a parent: {body}")).to_owned()
}

pub async fn levels(app: &TestApp) -> Levels {
    let admin = app.login_as("city_admin").await;
    let community = demo(app).await.community;
    let street = parent(app, &admin, &community).await;
    let district = parent(app, &admin, &street).await;
    let city = parent(app, &admin, &district).await;
    Levels { city, district, street, community }
}

/// A little pipeline over the demo's topics: new topics raised and co-signed, one accepted, one rejected.
pub async fn run_pipeline(app: &TestApp) {
    let places = demo(app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let env = category(app, &staff, &places.community, "repairs").await;
    let first = raise(app, &resident, topic_input(&places.jinxiu, &env, "楼道堆放杂物需要清理")).await;
    let second = raise(app, &owner, topic_input(&places.jinxiu, &env, "垃圾分类点位需要调整")).await;
    done(&act(app, &owner, CO_SIGN, json!({ "t": first })).await);
    app.clock.advance(chrono::Duration::hours(30));
    // Thirty hours on, the morning's session has ended.
    let staff = app.login_as("rc_staff").await;
    done(&act(app, &staff, ACCEPT, json!({ "t": first, "plan": plan() })).await);
    done(&act(app, &staff, REJECT, json!({ "t": second, "reason": "已由物业处理" })).await);
}

/// Steps the projection until it has caught up with the log.
pub async fn catch_up(store: &Store) -> usize {
    let mut total = 0;
    loop {
        let handled = store.consume_once(&StatisticsProjection, 500).await.expect("projection stepped");
        if handled == 0 {
            return total;
        }
        total += handled;
    }
}

pub fn place(id: &str) -> PlaceId {
    PlaceId::from_uuid(gongzhi_tests::graphql::uuid_of(id).parse().expect("a Place id"))
}

pub async fn read(store: &Store, id: &str) -> PlaceStatistics {
    store.place_statistics(place(id), months()).await.expect("statistics read")
}

/// One count from the pipeline's own tables.
pub async fn count(store: &Store, sql: &str) -> i64 {
    let db = store.connection();
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("counted");
    row.expect("a row").try_get::<i64>("", "n").expect("n")
}

/// Topics by (category, stage), from the `topics` table, sorted.
pub async fn stages_from_tables(store: &Store) -> Vec<(uuid::Uuid, String, i64)> {
    let db = store.connection();
    let sql = "SELECT category_id, stage, COUNT(*) AS n FROM topics GROUP BY category_id, stage";
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("grouped");
    let mut counts: Vec<(uuid::Uuid, String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get::<uuid::Uuid>("", "category_id").expect("category"),
                r.try_get::<String>("", "stage").expect("stage"),
                r.try_get::<i64>("", "n").expect("n"),
            )
        })
        .collect();
    counts.sort();
    counts
}

pub fn total(body: &Value, metric: &str) -> i64 {
    body["data"]["statistics"]["totals"]
        .as_array()
        .and_then(|totals| totals.iter().find(|t| t["metric"] == metric))
        .and_then(|t| t["total"].as_i64())
        .unwrap_or_else(|| panic!("a total of {metric}: {body}"))
}

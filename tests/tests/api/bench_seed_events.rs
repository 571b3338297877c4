//! `gongzhi seed-bench` leaves the statistics projection as the public paths would have (decision 177):
//! the bulk load appends the log's events of what it writes, and the seed replays the projection from the
//! log, so the city-wide statistics the benchmark measures are not empty. A tiny city, on PostgreSQL
//! (seed-bench loads nothing else).

use std::sync::Arc;

use chrono::TimeZone;

use gongzhi_bench_seed::city::{BenchVolume, seed};
use gongzhi_tests::{Backend, TestDb};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// Two compounds of 100 households (the seed's submitters and co-signers are picked among 100), 30 topics.
const TINY: BenchVolume = BenchVolume {
    districts: 1,
    streets_per_district: 1,
    communities_per_street: 1,
    compounds_per_community: 2,
    buildings_per_compound: 10,
    units_per_building: 10,
    large_compound_units: 100,
    topics: 30,
    large_compound_topics: 10,
    ballots: 5,
};

async fn number(store: &gongzhi_infra::Store, sql: &str) -> i64 {
    let row = store
        .connection()
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await
        .expect("query")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("a number")
}

#[tokio::test]
async fn a_seeded_city_has_its_statistics() {
    let Some(db) = TestDb::create(Backend::Postgres).await else {
        return;
    };
    let settings = gongzhi_api::config::Settings { database_url: Some(db.url.clone()), ..Default::default() };
    let start = chrono::Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().expect("a time");
    let clock = Arc::new(gongzhi_domain::clock::MockClock::new(start));
    let store = gongzhi_api::startup::open_store(&settings, clock).await.expect("store opens");
    let report = seed(&store, TINY, |_, _| {}).await.expect("the tiny city seeds");
    let counted = |what: &str| report.counts.iter().find(|(name, _)| *name == what).map(|(_, n)| *n);
    assert!(counted("statistics figures").is_some_and(|n| n > 0), "{:?}", report.counts);

    let topics = number(&store, "SELECT count(*) AS n FROM topics").await;
    assert!(topics > TINY.topics, "{topics} topics");
    // Every topic and co-signature has its event in the log, numbered without a gap.
    let logged = number(&store, "SELECT count(*) AS n FROM event_log WHERE kind = 'topic.submitted'").await;
    assert_eq!(logged, topics, "a topic.submitted per topic");
    let co_signs = number(&store, "SELECT count(*) AS n FROM topic_co_signatures").await;
    let co_signed = number(&store, "SELECT count(*) AS n FROM event_log WHERE kind = 'topic.co_signed'").await;
    assert_eq!(co_signed, co_signs, "a topic.co_signed per co-signature");
    let unnumbered = number(&store, "SELECT count(*) AS n FROM event_log WHERE seq IS NULL").await;
    assert_eq!(unnumbered, 0);
    let (events, last) = (
        number(&store, "SELECT count(*) AS n FROM event_log").await,
        number(&store, "SELECT max(seq) AS n FROM event_log").await,
    );
    assert_eq!(events, last, "seqs 1..{last} without a gap");
    assert_eq!(number(&store, "SELECT last AS n FROM event_sequence WHERE name = 'log'").await, last);

    // The projection holds every topic, and the city's figures count them all.
    assert_eq!(number(&store, "SELECT count(*) AS n FROM stat_topics").await, topics);
    let city_submitted = number(
        &store,
        "SELECT coalesce(sum(total), 0)::bigint AS n FROM stat_figures f JOIN places p ON p.id = f.place_id \
         WHERE p.kind = 'city' AND f.period = 'month' AND f.metric = 'topics_submitted'",
    )
    .await;
    assert_eq!(city_submitted, topics, "the city's submitted topics");
    let city_stages = number(
        &store,
        "SELECT coalesce(sum(topics), 0)::bigint AS n FROM stat_stages s JOIN places p ON p.id = s.place_id \
         WHERE p.kind = 'city'",
    )
    .await;
    assert_eq!(city_stages, topics, "the city's topics by stage");
}

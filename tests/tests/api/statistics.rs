//! Statistics for street, district and city (issue 18, decisions 150–155): the projection agrees with a
//! recount from the pipeline's tables, counts an event handed to it twice once, and a rebuild from the log
//! gives the live figures; officials above a place read them, residents and community staff asking above
//! their community do not, nor a partner without the `statistics` scope; the CSV feed is the JSON feed's
//! rows; `/metrics` shows the projection's lag.

use gongzhi_domain::statistics::Metric;
use gongzhi_domain::topic::Stage;
use gongzhi_infra::event_log::{Consumer, EventFilter};
use gongzhi_infra::statistics::StatisticsProjection;
use gongzhi_tests::graphql::{error_code, uuid_of};
use gongzhi_tests::on_both;
use sea_orm::TransactionTrait;
use serde_json::{Value, json};

use crate::open311_support::register_scoped;
use crate::partners_support::partner_token;
use crate::statistics_support::*;

fn variables(place: &str) -> Value {
    json!({ "p": place, "period": "MONTH", "from": FROM, "to": TO })
}

fn reason(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["reason"].as_str()
}

on_both!(the_projection_equals_a_recount_from_the_tables_after_a_pipeline, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let levels = levels(&app).await;
    run_pipeline(&app).await;

    catch_up(&app.store).await;

    let city = read(&app.store, &levels.city).await;
    let mut stages: Vec<(uuid::Uuid, String, i64)> = city
        .stages
        .iter()
        .map(|s| (s.category.map(|c| c.as_uuid()).unwrap_or_default(), s.stage.as_str().to_owned(), s.topics))
        .collect();
    stages.sort();
    assert_eq!(stages, stages_from_tables(&app.store).await, "topics by category and stage, city-wide");
    assert_eq!(city.total(Metric::TopicsSubmitted), count(&app.store, "SELECT COUNT(*) AS n FROM topics").await);
    assert_eq!(city.total(Metric::CoSigns), count(&app.store, "SELECT COUNT(*) AS n FROM topic_co_signatures").await);
    let accepted = "SELECT COUNT(*) AS n FROM topics WHERE stage NOT IN ('collecting', 'rejected', 'withdrawn', 'merged', 'service')";
    assert_eq!(city.total(Metric::TopicsAccepted), count(&app.store, accepted).await, "every accepted topic once");
    let rejected = "SELECT COUNT(*) AS n FROM topics WHERE stage = 'rejected'";
    assert_eq!(city.total(Metric::TopicsRejected), count(&app.store, rejected).await);
    let street = read(&app.store, &levels.street).await;
    assert_eq!(street.total(Metric::TopicsSubmitted), city.total(Metric::TopicsSubmitted), "one street holds them all");
    let community = uuid_of(&levels.community);
    assert!(
        street
            .children
            .iter()
            .any(|c| c.place.as_uuid().to_string() == community && c.metric == Metric::TopicsSubmitted),
        "the street is broken down by community"
    );
    assert!(city.total(Metric::AcceptTimed) >= 1, "the acceptance is timed");
    assert!(city.total(Metric::AcceptSeconds) >= 30 * 3600, "thirty hours at least, on the injected clock");
    assert!(city.stages.iter().any(|s| s.stage == Stage::Deliberating));
});

on_both!(an_event_handed_to_the_projection_twice_is_counted_once, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let levels = levels(&app).await;
    run_pipeline(&app).await;
    catch_up(&app.store).await;
    let before = read(&app.store, &levels.city).await;

    let events = app.store.events_after(0, 10_000, &EventFilter::default()).await.expect("the log");
    let txn = app.store.connection().begin().await.expect("txn");
    StatisticsProjection.handle(&txn, &events).await.expect("handled again");
    StatisticsProjection.handle(&txn, &events[events.len() - 3..]).await.expect("and its tail once more");
    txn.commit().await.expect("committed");

    assert_eq!(read(&app.store, &levels.city).await, before, "nothing counted twice");
});

on_both!(a_rebuild_from_the_log_gives_the_figures_the_live_consumer_kept, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let levels = levels(&app).await;
    catch_up(&app.store).await;
    run_pipeline(&app).await;
    catch_up(&app.store).await;
    let places = [&levels.city, &levels.district, &levels.street, &levels.community];
    let mut live = Vec::new();
    for place in places {
        live.push(read(&app.store, place).await);
    }

    let rebuilt = app.store.rebuild_statistics(7, |_| {}).await.expect("rebuilt").expect("not busy");

    assert_eq!(rebuilt.head, app.store.log_head().await.expect("head"));
    assert!(rebuilt.events > 0);
    for (place, live) in places.into_iter().zip(live) {
        assert_eq!(read(&app.store, place).await, live, "rebuilt in batches of 7, as live");
    }
});

on_both!(officials_read_the_statistics_of_their_place_and_below, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let levels = levels(&app).await;
    run_pipeline(&app).await;
    catch_up(&app.store).await;
    let admin = app.login_as("city_admin").await;
    let district = app.login_as("district_officer").await;
    let street = app.login_as("street_officer").await;

    let city_wide = app.gql(Some(&admin), STATISTICS, variables(&levels.city)).await;
    let by_district = app.gql(Some(&district), STATISTICS, variables(&levels.district)).await;
    let by_street = app.gql(Some(&street), STATISTICS, variables(&levels.community)).await;

    let submitted = count(&app.store, "SELECT COUNT(*) AS n FROM topics").await;
    assert_eq!(total(&city_wide, "TOPICS_SUBMITTED"), submitted, "{city_wide}");
    assert_eq!(total(&by_district, "TOPICS_SUBMITTED"), submitted, "{by_district}");
    assert_eq!(total(&by_street, "TOPICS_SUBMITTED"), submitted, "{by_street}");
    assert_eq!(city_wide["data"]["statistics"]["trend"].as_array().map(Vec::len), Some(120), "every month");
    assert_eq!(city_wide["data"]["statistics"]["children"][0]["placeId"], levels.district.as_str());
});

on_both!(
    residents_community_staff_above_their_community_and_partners_without_the_scope_are_refused,
    |backend| async move {
        let Some(app) = app(backend).await else { return };
        let levels = levels(&app).await;
        let admin = app.login_as("city_admin").await;
        let resident = app.login_as("resident").await;
        let staff = app.login_as("rc_staff").await;
        let street = app.login_as("street_officer").await;
        let topics_only = register_scoped(&app, &admin, "只读议题", &levels.city, &["TOPICS"]).await;
        let topics_token = partner_token(&app, &topics_only).await;

        let by_resident = app.gql(Some(&resident), STATISTICS, variables(&levels.community)).await;
        let by_staff = app.gql(Some(&staff), STATISTICS, variables(&levels.district)).await;
        let street_above = app.gql(Some(&street), STATISTICS, variables(&levels.city)).await;
        let by_partner = app.gql(Some(&topics_token), STATISTICS, variables(&levels.city)).await;
        let backwards = app
            .gql(
                Some(&admin),
                STATISTICS,
                json!({ "p": levels.city, "period": "DAY", "from": "2026-12-02", "to": "2026-12-01" }),
            )
            .await;
        let feed = app
            .client
            .get(format!("{}/feeds/statistics/{}.json", app.address, levels.city))
            .query(&[("period", "month"), ("from", FROM), ("to", TO)])
            .bearer_auth(&topics_token)
            .send()
            .await
            .expect("sent");
        let feed_status = feed.status().as_u16();
        let feed_body: Value = feed.json().await.expect("JSON refusal");

        assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
        assert_eq!(error_code(&by_staff), Some("FORBIDDEN"), "{by_staff}");
        assert_eq!(error_code(&street_above), Some("FORBIDDEN"), "{street_above}");
        assert_eq!(error_code(&by_partner), Some("FORBIDDEN"));
        assert_eq!(reason(&by_partner), Some("MISSING_SCOPE"), "{by_partner}");
        assert_eq!(error_code(&backwards), Some("BAD_USER_INPUT"), "{backwards}");
        assert_eq!(feed_status, 403);
        assert_eq!(reason(&feed_body), Some("MISSING_SCOPE"), "{feed_body}");
    }
);

on_both!(the_csv_feed_holds_the_json_feeds_rows, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let levels = levels(&app).await;
    run_pipeline(&app).await;
    catch_up(&app.store).await;
    let admin = app.login_as("city_admin").await;
    let partner = register_scoped(&app, &admin, "统计平台", &levels.city, &["STATISTICS"]).await;
    let token = partner_token(&app, &partner).await;
    let fetch = |format: &'static str| {
        app.client
            .get(format!("{}/feeds/statistics/{}.{format}", app.address, levels.district))
            .query(&[("period", "day"), ("from", "2026-01-01"), ("to", "2026-12-31")])
            .bearer_auth(&token)
            .send()
    };

    let json_response = fetch("json").await.expect("sent");
    assert_eq!(json_response.status().as_u16(), 200);
    let body: Value = json_response.json().await.expect("JSON");
    let csv_response = fetch("csv").await.expect("sent");
    assert_eq!(csv_response.status().as_u16(), 200);
    assert!(csv_response.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    let text = csv_response.text().await.expect("text");

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().expect("header"), vec!["period_start", "metric", "category_id", "total"]);
    let from_csv: Vec<Value> = reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            json!({ "periodStart": r[0], "metric": r[1], "categoryId": r[2], "total": r[3].parse::<i64>().expect("a number") })
        })
        .collect();
    assert_eq!(Some(&from_csv), body["rows"].as_array(), "the same rows, in the same order");
    assert!(from_csv.iter().any(|r| r["metric"] == "topics_submitted"), "{text}");
    assert_eq!(body["placeId"], levels.district.as_str());
});

on_both!(metrics_show_how_far_the_statistics_projection_is_behind, |backend| async move {
    let Some(app) = app(backend).await else { return };
    catch_up(&app.store).await;
    let scrape = || async {
        app.client.get(format!("{}/metrics", app.address)).send().await.expect("sent").text().await.expect("text")
    };
    assert!(scrape().await.contains(r#"gongzhi_event_consumer_lag{consumer="statistics"} 0"#), "caught up");

    run_pipeline(&app).await;
    let behind = scrape().await;
    catch_up(&app.store).await;
    let after = scrape().await;

    assert!(!behind.contains(r#"gongzhi_event_consumer_lag{consumer="statistics"} 0"#), "behind: {behind}");
    assert!(behind.contains(r#"gongzhi_event_consumer_lag{consumer="statistics"}"#));
    assert!(after.contains(r#"gongzhi_event_consumer_lag{consumer="statistics"} 0"#), "caught up again");
});

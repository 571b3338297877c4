//! Time in each stage and on-time rates (issue 18, decisions 156–158), against a small city computed by
//! hand: three topics wait in collecting for 30 hours, 30 hours and 6 days; the first two are decided by
//! the five-day triage deadline, the third after it. So the median of collecting is 1.25 days and its 90th
//! percentile 6 days (each within a bucket's 9.1 %), and the triage on-time rate is 2/3. A rebuild gives
//! the same buckets, and `topic.submitted` carries the category it was submitted in.

use gongzhi_domain::topic::Stage;
use gongzhi_infra::event_log::EventFilter;
use gongzhi_tests::graphql::uuid_of;
use gongzhi_tests::on_both;
use serde_json::{Value, json};

use crate::pipeline_support::{REJECT, act, category, demo, done, raise, topic_input};
use crate::statistics_support::*;

const TIMES: &str = "query($p: ID!, $period: StatisticsPeriod!, $from: NaiveDate!, $to: NaiveDate!) {
  statistics(placeId: $p, period: $period, from: $from, to: $to) {
    stageTimes { stage topics medianDays p90Days }
    onTime { triage tasks publication }
    children { placeId stageTimes { stage topics medianDays p90Days } }
  } }";

/// Within a bucket's precision of `days`.
fn near(value: &Value, days: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - days).abs() / days <= 0.0906)
}

/// The little pipeline, and a third topic rejected six days after it was raised: late.
async fn small_city(app: &gongzhi_tests::TestApp) {
    run_pipeline(app).await;
    let places = demo(app).await;
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;
    let repairs = category(app, &staff, &places.community, "repairs").await;
    let late = raise(app, &resident, topic_input(&places.jinxiu, &repairs, "小区路灯夜间不亮")).await;
    app.clock.advance(chrono::Duration::days(6));
    let staff = app.login_as("rc_staff").await;
    done(&act(app, &staff, REJECT, json!({ "t": late, "reason": "已列入年度维修计划" })).await);
}

fn collecting(times: &Value) -> &Value {
    times
        .as_array()
        .and_then(|t| t.iter().find(|s| s["stage"] == "COLLECTING"))
        .unwrap_or_else(|| panic!("collecting is timed: {times}"))
}

on_both!(time_in_collecting_and_the_triage_on_time_rate_match_the_hand_count, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let levels = levels(&app).await;
    small_city(&app).await;
    catch_up(&app.store).await;
    let admin = app.login_as("city_admin").await;
    let variables = |place: &str| json!({ "p": place, "period": "MONTH", "from": FROM, "to": TO });

    let city = app.gql(Some(&admin), TIMES, variables(&levels.city)).await;
    let street = app.gql(Some(&admin), TIMES, variables(&levels.street)).await;

    let stats = &city["data"]["statistics"];
    let times = collecting(&stats["stageTimes"]);
    assert_eq!(times["topics"], 3, "{city}");
    assert!(near(&times["medianDays"], 1.25), "median of 30 h, 30 h, 6 d: {times}");
    assert!(near(&times["p90Days"], 6.0), "90th percentile by nearest rank is the third: {times}");
    let triage = stats["onTime"]["triage"].as_f64().expect("a rate");
    assert!((triage - 2.0 / 3.0).abs() < 1e-9, "two of three by the deadline: {city}");
    assert!(stats["onTime"]["tasks"].is_null() && stats["onTime"]["publication"].is_null(), "none due: {city}");
    let by_community = &street["data"]["statistics"]["children"];
    let community = by_community
        .as_array()
        .and_then(|c| c.iter().find(|c| c["placeId"] == levels.community.as_str()))
        .unwrap_or_else(|| panic!("the street by community: {street}"));
    assert_eq!(collecting(&community["stageTimes"]), times, "the one community holds them all");
    assert!(
        stats["stageTimes"].as_array().is_some_and(|t| t.iter().all(|s| s["stage"] != "REJECTED")),
        "a stage nobody left is not timed: {city}"
    );
});

on_both!(a_rebuild_gives_the_same_times_in_each_stage, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let levels = levels(&app).await;
    small_city(&app).await;
    catch_up(&app.store).await;
    let live = read(&app.store, &levels.district).await;
    assert!(live.stage_quantile(None, Stage::Collecting, 0.5).is_some(), "timed live");

    app.store.rebuild_statistics(5, |_| {}).await.expect("rebuilt").expect("not busy");

    let rebuilt = read(&app.store, &levels.district).await;
    assert_eq!(rebuilt.durations, live.durations, "the same buckets, rebuilt in batches of 5");
    assert_eq!(rebuilt, live);
});

on_both!(a_submission_is_logged_with_its_category, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let repairs = category(&app, &staff, &places.community, "repairs").await;

    raise(&app, &resident, topic_input(&places.jinxiu, &repairs, "单元门禁损坏")).await;

    let events = app.store.events_after(0, 10_000, &EventFilter::default()).await.expect("the log");
    let submitted = events.iter().rev().find(|e| e.kind == "topic.submitted").expect("logged");
    assert_eq!(submitted.payload["category"], uuid_of(&repairs).as_str(), "{}", submitted.payload);
});

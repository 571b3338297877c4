//! Demo time travel: a city administrator moves the demo's clock forward and what was scheduled happens;
//! production refuses, and the clock never runs back.

use chrono::Duration;
use gongzhi_domain::clock::Clock;
use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::production::production;
use gongzhi_tests::{TestApp, on_both, spawn_app, spawn_app_with};
use serde_json::{Value, json};

use crate::refusals_support::implementing;
use crate::votes_support::{jinxiu_topic, opened, owners_vote_input, vote_node};

const ADVANCE: &str = "mutation($d: Int, $h: Int, $m: Int) {
  advanceDemoClock(days: $d, hours: $h, minutes: $m) {
    now offsetSeconds applied { reminders warnings escalations confirmedByDefault closed closingNotices }
  }
}";

async fn advance(app: &TestApp, token: Option<&str>, days: i64, hours: i64, minutes: i64) -> Value {
    app.gql(token, ADVANCE, json!({ "d": days, "h": hours, "m": minutes })).await
}

async fn server_time(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    let body = app.gql(None, "{ serverTime }", json!({})).await;
    let text = body["data"]["serverTime"].as_str().unwrap_or_else(|| panic!("{body}"));
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}")).to_utc()
}

on_both!(moving_the_demo_clock_past_a_votes_close_closes_it_and_its_result_appears, |backend| async move {
    // Arrange: an owners' vote with hidden results, closing in two days.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let mut input = owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48);
    input["hideResults"] = json!(true);
    let vote = opened(&app, &staff, input).await;
    let before = vote_node(&app, &staff, &vote).await;
    let started = server_time(&app).await;
    let admin = app.login_as("city_admin").await;

    // Act
    let moved = advance(&app, Some(&admin), 2, 1, 0).await;
    let staff = app.login_as("rc_staff").await;
    let after = vote_node(&app, &staff, &vote).await;

    // Assert: the server (not the test's mock clock) moved on, and everything reads the moved time.
    assert!(moved.get("errors").is_none(), "{moved}");
    assert_eq!(moved["data"]["advanceDemoClock"]["offsetSeconds"], (49 * 3600), "{moved}");
    assert_eq!(server_time(&app).await, started + Duration::hours(49));
    assert_eq!(app.clock.now(), started, "the mock clock underneath did not move");
    assert_eq!((before["isOpen"].clone(), before["result"].clone()), (json!(true), Value::Null), "{before}");
    assert_eq!(after["isOpen"], false, "{after}");
    assert!(after["result"]["verdict"].is_string(), "the result appears at the close: {after}");
});

on_both!(moving_the_demo_clock_past_a_tasks_due_date_sends_its_reminder_letter, |backend| async move {
    // Arrange: a task of the property company, due in three days.
    let Some(app) = spawn_app(backend).await else { return };
    let (topic, task) = implementing(&app, Duration::days(3)).await;
    let admin = app.login_as("city_admin").await;

    // Act
    let moved = advance(&app, Some(&admin), 4, 0, 0).await;
    let staff = app.login_as("rc_staff").await;
    let tasks = app
        .gql(
            Some(&staff),
            "query($t: ID!) { node(id: $t) { ... on Topic { tasks { id reminderAt warningAt } } } }",
            json!({ "t": topic }),
        )
        .await;

    // Assert: the deadline rules ran at the new time, as the scheduler would have.
    assert_eq!(moved["data"]["advanceDemoClock"]["applied"]["reminders"], 1, "{moved}");
    let row = &tasks["data"]["node"]["tasks"][0];
    assert_eq!(row["id"], task.as_str(), "{tasks}");
    assert!(row["reminderAt"].is_string(), "a reminder letter was sent: {tasks}");
    assert!(row["warningAt"].is_null(), "the grace period has not passed: {tasks}");
});

on_both!(the_demo_clock_moves_only_forward_and_only_for_city_administrators, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let staff = app.login_as("rc_staff").await;
    let started = server_time(&app).await;

    // Act
    let backwards = advance(&app, Some(&admin), 0, -1, 0).await;
    let nothing = advance(&app, Some(&admin), 0, 0, 0).await;
    let too_far = advance(&app, Some(&admin), 367, 0, 0).await;
    let by_staff = advance(&app, Some(&staff), 1, 0, 0).await;
    let anonymous = advance(&app, None, 1, 0, 0).await;

    // Assert: each refused, and the clock stands where it was.
    assert_eq!(error_code(&backwards), Some("BAD_USER_INPUT"), "{backwards}");
    assert_eq!(error_message(&backwards), Some("演示时钟只能向前拨，且须拨动一段正的时长"));
    assert_eq!(error_code(&nothing), Some("BAD_USER_INPUT"), "{nothing}");
    assert_eq!(error_code(&too_far), Some("BAD_USER_INPUT"), "{too_far}");
    assert_eq!(error_code(&by_staff), Some("FORBIDDEN"), "{by_staff}");
    assert_eq!(by_staff["errors"][0]["extensions"]["needed"][0]["role"], "CITY_ADMINISTRATOR", "{by_staff}");
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"), "{anonymous}");
    assert_eq!(server_time(&app).await, started);
});

#[tokio::test]
async fn production_refuses_to_move_the_clock() {
    // Arrange: a production deployment (no dev login there; the profile is refused before anything else).
    let app =
        spawn_app_with(gongzhi_tests::Backend::Sqlite, |s| production(s, "http://127.0.0.1:9")).await.expect("app");
    let started = server_time(&app).await;

    // Act
    let moved = app.gql_lang(None, ADVANCE, json!({ "d": 3 }), Some("en")).await;

    // Assert
    assert_eq!(error_code(&moved), Some("FORBIDDEN"), "{moved}");
    assert_eq!(moved["errors"][0]["extensions"]["reason"], "DEMO_ONLY", "{moved}");
    assert_eq!(
        error_message(&moved),
        Some("The server's clock can only be moved in the demo profile; production runs on the wall clock")
    );
    assert_eq!(server_time(&app).await, started);
}

on_both!(the_moved_demo_clock_outlasts_a_restart_and_is_shared_by_another_instance, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let started = server_time(&app).await;
    let admin = app.login_as("city_admin").await;
    let moved = advance(&app, Some(&admin), 2, 3, 0).await;
    assert!(moved.get("errors").is_none(), "{moved}");

    // Act: a second instance starts on the same database (as the first would after a restart), and moves
    // the clock on again.
    let other = gongzhi_tests::instances::another_instance(&app).await;
    let time_there = other.gql(None, "{ serverTime }", json!({})).await;
    let admin_there = other.gql(None, "mutation { devLogin(as: \"city_admin\") { accessToken } }", json!({})).await;
    let token = admin_there["data"]["devLogin"]["accessToken"].as_str().unwrap_or_else(|| panic!("{admin_there}"));
    let again = other.gql(Some(token), ADVANCE, json!({ "d": 0, "h": 1, "m": 0 })).await;

    // Assert: the second instance runs at the moved time from its start, and stored the next move on top of
    // the first, which a third instance starts with.
    assert_eq!(time_of(&time_there), Some(started + Duration::hours(51)), "{time_there}");
    assert_eq!(again["data"]["advanceDemoClock"]["offsetSeconds"], 52 * 3600, "{again}");
    let third = gongzhi_tests::instances::another_instance(&app).await;
    let time_third = third.gql(None, "{ serverTime }", json!({})).await;
    assert_eq!(time_of(&time_third), Some(started + Duration::hours(52)), "{time_third}");
});

fn time_of(body: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = body["data"]["serverTime"].as_str()?;
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.to_utc())
}

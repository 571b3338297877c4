//! Content safety when the check is unavailable (decision 130) and the shared access token (decision 132):
//! an error or a timeout holds the submission as awaiting its check, never published unchecked and never
//! lost; the retry round on the injected clock publishes it once the check answers; two instances on one
//! Redis fetch one token between them, and fetch again only when it nears expiry.

use chrono::Duration;
use gongzhi_api::content_settings::Checker;
use gongzhi_tests::fake_wechat::Outage;
use gongzhi_tests::instances::{Instance, another_instance_with};
use gongzhi_tests::{Backend, TestApp, on_both};
use serde_json::{Value, json};

use crate::content_support::*;

/// Moves the app's mock clock forward.
fn advance(app: &TestApp, by: Duration) {
    app.clock.advance(by);
}

async fn unavailable_check_is_retried_until_it_publishes(app: TestApp, outage: Outage) {
    // Arrange: the check is down.
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    app.wechat.set_outage(outage);

    // Act: the owner posts while it is down.
    let (topic, posted) = opinion(&app, &owner, "建议周末统一清理楼道杂物").await;

    // Assert: kept back as awaiting its check, for its author only.
    let held = &posted["held"];
    assert_eq!(held["state"], "AWAITING_CHECK", "{posted}");
    assert_eq!(held["pending"], true);
    assert!(held["suggestion"].is_null());
    assert!(thread_texts(&app, &resident, &topic).await.is_empty(), "nothing unchecked is shown");

    // Act: a round before the retry is due does nothing; one after it, with the check still down, waits again.
    let early = app.content.recheck_due().await.expect("round");
    advance(&app, Duration::minutes(1));
    let still_down = app.content.recheck_due().await.expect("round");

    // Assert
    assert_eq!(early, Default::default());
    assert_eq!(still_down.still_unchecked, 1, "{still_down:?}");
    assert_eq!(mine(&app, &owner).await[0]["checkAttempts"], 2);
    assert!(thread_texts(&app, &resident, &topic).await.is_empty());

    // Act: the check is back; the next round after the doubled wait publishes it.
    app.wechat.set_outage(Outage::None);
    advance(&app, Duration::minutes(2));
    let back = app.content.recheck_due().await.expect("round");

    // Assert
    assert_eq!(back.published, 1, "{back:?}");
    assert_eq!(thread_texts(&app, &resident, &topic).await, ["建议周末统一清理楼道杂物"]);
    let seen = mine(&app, &owner).await;
    assert_eq!((seen[0]["state"].as_str(), seen[0]["pending"].as_bool()), (Some("PUBLISHED"), Some(false)));
}

on_both!(a_check_that_errors_holds_the_opinion_until_a_retry_on_the_clock_publishes_it, |backend| async move {
    let Some(app) = app_on_wechat(backend).await else { return };
    unavailable_check_is_retried_until_it_publishes(app, Outage::Error).await;
});

on_both!(a_check_that_times_out_holds_the_opinion_until_a_retry_on_the_clock_publishes_it, |backend| async move {
    let Some(app) = app_on_wechat(backend).await else { return };
    unavailable_check_is_retried_until_it_publishes(app, Outage::Hang).await;
});

on_both!(a_retry_that_finds_the_text_risky_holds_it_for_the_committee, |backend| async move {
    // Arrange: a topic submitted while the check was down.
    let Some(app) = app_on_wechat(backend).await else { return };
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;
    app.wechat.set_outage(Outage::Error);
    let submitted = submit(&app, &resident, "[risky] 代办各类证件").await;
    app.wechat.set_outage(Outage::None);

    // Act
    advance(&app, Duration::minutes(1));
    let round = app.content.recheck_due().await.expect("round");

    // Assert
    assert_eq!(submitted["held"]["state"], "AWAITING_CHECK", "{submitted}");
    assert_eq!(round.held, 1, "{round:?}");
    let places = crate::pipeline_support::demo(&app).await;
    let queued = queue(&app, &staff, &places.community, false).await;
    assert_eq!(field(&queued)[0]["suggestion"], "RISKY", "{queued}");
    assert!(!feed_titles(&app, &resident).await.iter().any(|t| t.contains("证件")));
});

async fn submit_on(instance: &Instance, token: &str, input: Value) -> Value {
    instance.gql(Some(token), &format!("{SUBMIT}\n{HOLD}"), json!({ "input": input })).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_redis_fetch_the_access_token_once_and_again_only_near_its_expiry() {
    // Arrange: two instances on WeChat's check, sharing Redis and the clock.
    // As `instances::two_on_one_redis`, with WeChat's check on.
    let Some(redis) = gongzhi_tests::backend::service_url("TEST_REDIS_URL") else { return };
    let prefix = format!("gongzhi-test-{}:", uuid::Uuid::new_v4());
    let Some(first) = gongzhi_tests::spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(redis.clone());
        s.redis_prefix = prefix.clone();
        s.content.checker = Checker::WeChat;
    })
    .await
    else {
        return;
    };
    let second = another_instance_with(&first, |_| {}).await;
    let resident = first.login_as("resident").await;
    let places = crate::pipeline_support::demo(&first).await;
    let category = crate::pipeline_support::category(&first, &resident, &places.community, "repairs").await;
    let input = |title: &str| crate::pipeline_support::topic_input(&places.jinxiu, &category, title);

    // Act: one check on each instance.
    let on_first =
        first.gql(Some(&resident), &format!("{SUBMIT}\n{HOLD}"), json!({ "input": input("路灯坏了") })).await;
    let on_second = submit_on(&second, &resident, input("井盖松动")).await;

    // Assert: both published, one token between them.
    assert_eq!(on_first["data"]["submitTopic"]["topic"]["title"], "路灯坏了", "{on_first}");
    assert_eq!(on_second["data"]["submitTopic"]["topic"]["title"], "井盖松动", "{on_second}");
    assert_eq!(first.wechat.content_checks(), 2);
    assert_eq!(first.wechat.token_fetches(), 1);

    // Act: within five minutes of its two hours, the token is replaced, once for both instances.
    first.clock.advance(Duration::minutes(116));
    let resident = first.login_as("resident").await;
    let later_second = submit_on(&second, &resident, input("消防通道被占")).await;
    let later_first =
        first.gql(Some(&resident), &format!("{SUBMIT}\n{HOLD}"), json!({ "input": input("垃圾未清运") })).await;

    // Assert
    assert_eq!(later_second["data"]["submitTopic"]["topic"]["title"], "消防通道被占", "{later_second}");
    assert_eq!(later_first["data"]["submitTopic"]["topic"]["title"], "垃圾未清运", "{later_first}");
    assert_eq!(first.wechat.token_fetches(), 2);
}

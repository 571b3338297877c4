//! Whole feed responses kept per person (decision 37): the same person asking the same page again is
//! served the response made before, without executing, only while the session, the person's grants and
//! everything the page shows are unchanged — on this instance or, through Redis, any other — and never
//! to anyone else.

use gongzhi_tests::app::demo_topic;
use gongzhi_tests::graphql::feed_row;
use gongzhi_tests::instances::{Instance, two_on_one_redis};
use gongzhi_tests::{Backend, TestApp, on_both, spawn_app_with};
use serde_json::{Value, json};

use crate::pipeline_support::{co_sign, demo};

const FEED: &str = "query($p: ID!) { topics(placeId: $p, first: 20) { edges { cursor node { id title coSignCount \
                    coSignedByMe category { id name } submitter { id name } } } pageInfo { hasNextPage } } }";

/// Responses served again whole so far, from the instance at `address`.
async fn reused(client: &reqwest::Client, address: &str) -> u64 {
    let metrics = client.get(format!("{address}/metrics")).send().await.expect("sent").text().await.expect("text");
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("gongzhi_graphql_responses_reused_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no reuse counter in {metrics}"))
}

async fn app_reused(app: &TestApp) -> u64 {
    reused(&app.client, &app.address).await
}

/// An app whose authority snapshot holds grants longer than any test, so that only invalidation can make a
/// kept feed stale.
async fn app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |settings| {
        settings.cache.authority_seconds = 60;
        // The event log's consumers run statements in the background, which would count as the reads'.
        settings.events.pump_in_serve = false;
    })
    .await
}

/// The feed of `place` for `token`, asked until it is served whole (the first reads fill the page, the
/// names and the co-signatures; the next is kept), and once more served whole.
async fn settled(app: &TestApp, token: &str, place: &str) -> Value {
    let first = app.gql(Some(token), FEED, json!({ "p": place })).await;
    assert!(first.get("errors").is_none(), "{first}");
    for _ in 0..2 {
        assert_eq!(app.gql(Some(token), FEED, json!({ "p": place })).await, first);
    }
    let before = app_reused(app).await;
    assert_eq!(app.gql(Some(token), FEED, json!({ "p": place })).await, first);
    assert_eq!(app_reused(app).await, before + 1, "the fourth read is served whole");
    first
}

/// The feed of `place` read on another instance until it is served whole (its first reads may go to the
/// database while its Redis link connects), and how many responses that instance has served whole.
async fn settled_on(instance: &Instance, token: &str, place: &str) -> (Value, u64) {
    let first = instance.gql(Some(token), FEED, json!({ "p": place })).await;
    assert!(first.get("errors").is_none(), "{first}");
    for _ in 0..8 {
        assert_eq!(instance.gql(Some(token), FEED, json!({ "p": place })).await, first);
        let served = reused(&instance.client, &instance.address).await;
        if served > 0 {
            return (first, served);
        }
    }
    panic!("never served whole: {first}");
}

const REVOKE: &str = "mutation($g: ID!) { revokeRole(grantId: $g, reason: \"调岗\") { grant { revokedAt } } }";

/// The id of the residents' committee staff grant of the person logged in with `token`.
async fn staff_grant(app: &TestApp, token: &str) -> Value {
    let me = app.gql(Some(token), "{ me { roles { id role } } }", json!({})).await;
    me["data"]["me"]["roles"]
        .as_array()
        .and_then(|roles| roles.iter().find(|g| g["role"] == "RESIDENTS_COMMITTEE_STAFF"))
        .map(|g| g["id"].clone())
        .unwrap_or_else(|| panic!("no staff grant: {me}"))
}

on_both!(a_kept_feed_is_served_until_a_co_sign_changes_what_it_shows, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let (resident, oc_member) = (app.login_as("resident").await, app.login_as("oc_member").await);
    let parking = demo_topic(&app, &staff, "电动车").await;
    let before = settled(&app, &resident, &places.jinxiu).await;
    let statements = app.store.statements_run();
    assert_eq!(app.gql(Some(&resident), FEED, json!({ "p": places.jinxiu })).await, before);
    assert_eq!(app.store.statements_run(), statements, "served whole: no statement");

    co_sign(&app, &oc_member, &parking).await;
    let reused_before = app_reused(&app).await;
    let after = app.gql(Some(&resident), FEED, json!({ "p": places.jinxiu })).await;

    assert_eq!(app_reused(&app).await, reused_before, "the kept response is stale");
    let count = |feed: &Value| feed_row(feed, &parking)["coSignCount"].as_u64().expect("count");
    assert_eq!(count(&after), count(&before) + 1, "{after}");
    assert_eq!(feed_row(&after, &parking)["coSignedByMe"], false, "the resident did not co-sign");
});

on_both!(each_person_is_served_only_their_own_kept_feed, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let (resident, oc_member) = (app.login_as("resident").await, app.login_as("oc_member").await);
    let parking = demo_topic(&app, &staff, "电动车").await;
    co_sign(&app, &oc_member, &parking).await;

    let co_signer = settled(&app, &oc_member, &places.jinxiu).await;
    let neighbour = settled(&app, &resident, &places.jinxiu).await;
    let co_signer_again = app.gql(Some(&oc_member), FEED, json!({ "p": places.jinxiu })).await;
    let in_english = app.post_with(&oc_member, FEED, json!({ "p": places.jinxiu }), &[("accept-language", "en")]).await;
    let in_english: Value = in_english.json().await.expect("json");

    assert_eq!(feed_row(&co_signer, &parking)["coSignedByMe"], true, "{co_signer}");
    assert_eq!(feed_row(&neighbour, &parking)["coSignedByMe"], false, "never another person's: {neighbour}");
    assert_eq!(co_signer_again, co_signer);
    let category = |feed: &Value| feed_row(feed, &parking)["category"]["name"].as_str().expect("name").to_owned();
    assert_ne!(category(&in_english), category(&co_signer), "kept per language too: {in_english}");
});

on_both!(a_revoked_grant_or_an_ended_session_is_refused_not_served_a_kept_feed, |backend| async move {
    let Some(app) = app(backend).await else { return };
    let places = demo(&app).await;
    let (staff, officer) = (app.login_as("rc_staff").await, app.login_as("street_officer").await);
    let resident = app.login_as("resident").await;
    settled(&app, &staff, &places.community).await;
    settled(&app, &resident, &places.jinxiu).await;
    let grant = staff_grant(&app, &staff).await;

    let revoked = app.gql(Some(&officer), REVOKE, json!({ "g": grant })).await;
    let logged_out = app.gql(Some(&resident), "mutation { logout }", json!({})).await;
    let for_staff = app.gql(Some(&staff), FEED, json!({ "p": places.community })).await;
    let for_resident = app.gql(Some(&resident), FEED, json!({ "p": places.jinxiu })).await;

    assert!(revoked["data"]["revokeRole"]["grant"]["revokedAt"].is_string(), "{revoked}");
    assert_eq!(logged_out["data"]["logout"], true, "{logged_out}");
    assert_eq!(for_staff["errors"][0]["extensions"]["code"], "NOT_FOUND", "{for_staff}");
    assert_eq!(for_resident["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{for_resident}");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_that_asks_for_more_than_the_page_is_executed_every_time() {
    let app = app(Backend::Sqlite).await.expect("app");
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    // `deadline.overdue` depends on the time, `place` is loaded beside the page: neither is covered.
    let wider = "query($p: ID!) { topics(placeId: $p, first: 20) { edges { node { id deadline { overdue } \
                 place { name } } } } }";
    let before = app_reused(&app).await;
    for _ in 0..5 {
        let feed = app.gql(Some(&resident), wider, json!({ "p": places.jinxiu })).await;
        assert!(feed.get("errors").is_none(), "{feed}");
    }
    assert_eq!(app_reused(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_responses_kept_off_nothing_is_served_whole() {
    let app = spawn_app_with(Backend::Sqlite, |settings| settings.cache.response_bytes = 0).await.expect("app");
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    for _ in 0..5 {
        let feed = app.gql(Some(&resident), FEED, json!({ "p": places.jinxiu })).await;
        assert!(feed.get("errors").is_none(), "{feed}");
    }
    assert_eq!(app_reused(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_kept_on_one_instance_is_stale_after_a_write_on_another() {
    let Some((first, second)) = two_on_one_redis().await else { return };
    let places = demo(&first).await;
    let staff = first.login_as("rc_staff").await;
    let (resident, oc_member) = (first.login_as("resident").await, first.login_as("oc_member").await);
    let parking = demo_topic(&first, &staff, "电动车").await;
    let read = || second.gql(Some(&resident), FEED, json!({ "p": places.jinxiu }));
    let (before, kept) = settled_on(&second, &resident, &places.jinxiu).await;

    co_sign(&first, &oc_member, &parking).await;
    let after = read().await;

    assert_eq!(reused(&second.client, &second.address).await, kept, "stale once the first instance wrote");
    let count = |feed: &Value| feed_row(feed, &parking)["coSignCount"].as_u64().expect("count");
    assert_eq!(count(&after), count(&before) + 1, "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_revoked_on_another_instance_makes_kept_feeds_stale_at_once() {
    let Some((first, second)) = two_on_one_redis().await else { return };
    let places = demo(&first).await;
    let (staff, officer) = (first.login_as("rc_staff").await, first.login_as("street_officer").await);
    let read = || second.gql(Some(&staff), FEED, json!({ "p": places.community }));
    let (_, kept) = settled_on(&second, &staff, &places.community).await;
    let grant = staff_grant(&first, &staff).await;

    let revoked = first.gql(Some(&officer), REVOKE, json!({ "g": grant })).await;
    read().await;

    assert!(revoked["data"]["revokeRole"]["grant"]["revokedAt"].is_string(), "{revoked}");
    // The second instance may still judge with the grant for its snapshot's moment (decision 32), but it
    // no longer serves what it kept from before.
    assert_eq!(reused(&second.client, &second.address).await, kept, "not served whole after the revocation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_place_changed_on_another_instance_is_not_served_from_a_kept_feed_past_the_snapshots_moment() {
    let Some((first, second)) = two_on_one_redis().await else { return };
    let places = demo(&first).await;
    let (staff, property_staff) = (first.login_as("rc_staff").await, first.login_as("property_staff").await);
    settled_on(&second, &property_staff, &places.jinxiu).await;

    let end_contract =
        "mutation($c: ID!) { assignPropertyCompany(compoundId: $c, companyId: null) { ok place { id } } }";
    let ended = first.gql(Some(&staff), end_contract, json!({ "c": places.jinxiu })).await;
    // Within its snapshot's moment the second instance may still judge with the contract (decision 32),
    // but nothing it made then may outlive that moment as a kept response.
    second.gql(Some(&property_staff), FEED, json!({ "p": places.jinxiu })).await;
    first.clock.advance(chrono::Duration::milliseconds(2_500));
    let after = second.gql(Some(&property_staff), FEED, json!({ "p": places.jinxiu })).await;

    assert!(ended.get("errors").is_none(), "{ended}");
    assert_eq!(after["errors"][0]["extensions"]["code"], "NOT_FOUND", "the contract has ended: {after}");
}

//! The authority snapshot (decision 32): a session's grants and a place's policy context are held in process
//! for a moment, so a warm feed request skips the statements every request otherwise starts with; and a
//! change to grants or sessions made through this instance applies to the very next request, snapshot or
//! not.

use gongzhi_tests::{Backend, TestApp, on_both, spawn_app_with};
use serde_json::{Value, json};

use crate::pipeline_support::demo;

const FEED: &str = "query($p: ID!) {
  topics(placeId: $p, first: 10) { edges { node { id submitter { name } category { name } coSignedByMe } } } }";

async fn feed(app: &TestApp, token: &str, place: &str) -> (Value, u64) {
    let before = app.store.statements_run();
    let body = app.gql(Some(token), FEED, json!({ "p": place })).await;
    (body, app.store.statements_run() - before)
}

/// Statements of the same feed request read cold, then again, then a third time, with the snapshot held for
/// `seconds`.
async fn cold_warm_settled(backend: Backend, seconds: u64) -> Option<(u64, u64, u64)> {
    let app = spawn_app_with(backend, |settings| {
        settings.cache.authority_seconds = seconds;
        // The event log's consumers run statements in the background, which would count as the reads'.
        settings.events.pump_in_serve = false;
    })
    .await?;
    let places = demo(&app).await;
    // An instance's first feed read notices the shared count of changes to grants and places and drops what
    // its snapshots held (`AuthorityCache::follow`): one elsewhere first, so the figures are the resident's.
    let staff = app.login_as("rc_staff").await;
    let (elsewhere, _) = feed(&app, &staff, &places.laojie).await;
    assert!(elsewhere["errors"].is_null(), "{elsewhere}");
    let resident = app.login_as("resident").await;
    let (cold_page, cold) = feed(&app, &resident, &places.jinxiu).await;
    let (warm_page, warm) = feed(&app, &resident, &places.jinxiu).await;
    let (settled_page, settled) = feed(&app, &resident, &places.jinxiu).await;
    assert!(cold_page["errors"].is_null(), "{cold_page}");
    assert_eq!(cold_page, warm_page, "the snapshot changes what a request costs, not what it answers");
    assert_eq!(cold_page, settled_page);
    Some((cold, warm, settled))
}

on_both!(a_warm_feed_request_skips_the_session_and_place_statements, |backend| async move {
    let Some((cold_held, warm_held, settled_held)) = cold_warm_settled(backend, 60).await else { return };
    let Some((cold_read, warm_read, settled_read)) = cold_warm_settled(backend, 0).await else { return };
    // The rows' places may be held already, from the requests that found the demo's places.
    assert!(cold_held + 1 >= cold_read && cold_held <= cold_read, "cold: {cold_held} held, {cold_read} read");
    assert_eq!(warm_read, cold_read, "without the snapshot every request pays for them: {warm_read}");
    assert_eq!(
        warm_held + 3,
        warm_read,
        "held: no session statement, nor one for the feed's place or its rows' ({warm_held} vs {warm_read})"
    );
    assert_eq!(warm_held, 1, "a warm cached page reads the names it has not kept, in one statement");
    assert_eq!(settled_held, 0, "once they are kept, a cached page costs no statement");
    assert_eq!(settled_read, 3, "without the snapshot: the session, the feed's place and its rows' places");
});

/// The id of the holder's live grant of `role` at the place named `place`.
async fn grant_id(app: &TestApp, token: &str, role: &str, place: &str) -> Value {
    let me = app.gql(Some(token), "{ me { roles { id role place { name } } } }", json!({})).await;
    me["data"]["me"]["roles"]
        .as_array()
        .unwrap_or_else(|| panic!("no roles: {me}"))
        .iter()
        .find(|g| g["role"] == role && g["place"]["name"] == place)
        .unwrap_or_else(|| panic!("no {role} at {place}: {me}"))["id"]
        .clone()
}

on_both!(a_revoked_grant_stops_working_on_the_next_request_while_the_snapshot_holds_it, |backend| async move {
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.cache.authority_seconds = 60;
        // The event log's consumers run statements in the background, which would count as the reads'.
        settings.events.pump_in_serve = false;
    })
    .await
    else {
        return;
    };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let grant = grant_id(&app, &staff, "RESIDENTS_COMMITTEE_STAFF", "和平社区").await;
    let (before, _) = feed(&app, &staff, &places.community).await;
    assert!(before["errors"].is_null(), "staff read their community's feed: {before}");

    let officer = app.login_as("street_officer").await;
    let revoked = app
        .gql(
            Some(&officer),
            "mutation($g: ID!) { revokeRole(grantId: $g, reason: \"调岗\") { grant { revokedAt } } }",
            json!({ "g": grant }),
        )
        .await;
    assert!(revoked["data"]["revokeRole"]["grant"]["revokedAt"].is_string(), "{revoked}");

    let (after, _) = feed(&app, &staff, &places.community).await;
    assert_eq!(after["errors"][0]["extensions"]["code"], "NOT_FOUND", "the grant is gone at once: {after}");
});

on_both!(
    a_logged_out_token_is_refused_on_the_next_request_while_the_snapshot_holds_its_session,
    |backend| async move {
        let Some(app) = spawn_app_with(backend, |settings| {
            settings.cache.authority_seconds = 60;
            // The event log's consumers run statements in the background, which would count as the reads'.
            settings.events.pump_in_serve = false;
        })
        .await
        else {
            return;
        };
        let places = demo(&app).await;
        let resident = app.login_as("resident").await;
        let (before, _) = feed(&app, &resident, &places.jinxiu).await;
        assert!(before["errors"].is_null(), "{before}");

        let out = app.gql(Some(&resident), "mutation { logout }", json!({})).await;
        assert_eq!(out["data"]["logout"], true, "{out}");

        let (after, _) = feed(&app, &resident, &places.jinxiu).await;
        assert_eq!(after["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{after}");
    }
);

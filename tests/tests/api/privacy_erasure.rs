//! Closing an account (注销, issue 19; decisions 165–169), on SQLite and PostgreSQL: after the owner
//! closes theirs, no store holds their name, phone or openid — every table's every column, Redis, the file
//! store, the outbox and its log file, kept responses — while the vote's result and roll, the topic's
//! co-signs, the thread's counts and the timeline read the same through the API; their sessions stop
//! working and no export can be made. Refusals: an office holder, staff without a recorded request,
//! anyone erasing another, a wrong confirmation, a request carried out twice.

use gongzhi_infra::demo::cast_id;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::deliberation_support::{opinions, posted, thread};
use crate::pipeline_support::{category, co_sign, demo, raise, timeline_kinds, topic, topic_input, upload_photo};
use crate::privacy_erasure_support::*;
use crate::privacy_support::{REQUEST_EXPORT, export_of_me};
use crate::votes_support::{cast_http, jinxiu_topic, opened, owners_vote_input, taken, vote_node};

const ROLL: &str = "query($id: ID!) { node(id: $id) { ... on Vote {
  ballotRoll(first: 100) { edges { node { unit { id } partyKey owners { id name } tookPart { method castBy { id } castAt choice } } } } } } }";

const ME: &str = "{ me { id name } }";

const AUTHORS: &str = "query($id: ID!) { node(id: $id) { ... on Topic {
  opinions(first: 20) { edges { node { text author { id name } } } } } } }";

/// What the community's record says, read through the API by staff: nothing of it may change.
async fn record(app: &TestApp, staff: &str, topic_id: &str, own_topic: &str, vote: &str) -> Value {
    let vote_read = vote_node(app, staff, vote).await;
    let roll = app.gql(Some(staff), ROLL, json!({ "id": vote })).await;
    let mut roll_rows: Vec<Value> = roll["data"]["node"]["ballotRoll"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no roll: {roll}"))
        .iter()
        .map(|e| json!({ "unit": e["node"]["unit"]["id"], "party": e["node"]["partyKey"], "tookPart": e["node"]["tookPart"],
                          "owners": e["node"]["owners"].as_array().map(|o| o.iter().map(|p| p["id"].clone()).collect::<Vec<_>>()) }))
        .collect();
    roll_rows.sort_by_key(|r| r.to_string());
    let thread_read = thread(app, staff, topic_id, 20, None).await;
    let own = topic(app, staff, own_topic).await;
    json!({
        "result": vote_read["result"],
        "roll": roll_rows,
        "stances": thread_read["data"]["node"]["opinions"]["stanceCounts"],
        "opinions": opinions(&thread_read).len(),
        "coSigns": own["coSignCount"],
        "timeline": timeline_kinds(app, staff, own_topic).await,
        "threadTimeline": timeline_kinds(app, staff, topic_id).await,
    })
}

/// Runs the app's delivery once, so the outbox log file holds what was sent.
async fn deliver(app: &TestApp) {
    let settings = gongzhi_api::delivery::worker_settings(&app.settings.outbox, "erasure-test".into());
    let worker = gongzhi_infra::outbox::Worker::new(
        app.store.clone(),
        settings,
        gongzhi_api::delivery::transport(&app.settings.outbox),
    )
    .expect("a worker");
    worker.run_once().await.expect("a delivery round");
}

on_both!(a_closed_account_leaves_no_trace_in_any_store_and_the_record_reads_the_same, |backend| async move {
    // Arrange: the owner takes part in everything, with a photo, a kept export and a filled cache.
    let Some(app) = app_with_redis(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let (owner, resident) = (app.login_as("owner").await, app.login_as("resident").await);
    let places = demo(&app).await;
    let repairs = category(&app, &staff, &places.community, "repairs").await;
    let photo = upload_photo(&app, &owner).await;
    let mut input = topic_input(&places.jinxiu_1, &repairs, "一号楼门禁损坏");
    input["photos"] = json!([photo]);
    let own_topic = raise(&app, &owner, input).await;
    co_sign(&app, &resident, &own_topic).await;
    let thread_topic = jinxiu_topic(&app, &staff).await;
    posted(&app, &owner, &thread_topic, "FOR", "支持划定停放区").await;
    posted(&app, &resident, &thread_topic, "AGAINST", "停放区太远").await;
    let vote = opened(&app, &staff, owners_vote_input(&app, &thread_topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    taken(&cast_http(&app, &owner, json!({ "voteId": vote, "choice": "FOR" })).await);
    export_of_me(&app, &owner).await;
    // Their name as they set it (a private text in the log), in a response kept under an idempotency key.
    let named = app
        .post_with(
            &owner,
            "mutation($n: String!) { setMyName(name: $n) { id name } }",
            json!({ "n": "卫业主" }),
            &[("Idempotency-Key", "erasure-test-name")],
        )
        .await;
    assert_eq!(named.status(), 200);
    deliver(&app).await;
    let person = app.store.person(cast_id("owner").expect("cast")).await.expect("person");
    let (name, phone) = (person.name.clone().expect("a name"), person.phone.clone().expect("a phone"));
    let openid = "demo_openid_owner";
    let needles = [name.as_str(), phone.as_str(), openid];
    // Fill the caches with pages that name the owner.
    let before = record(&app, &staff, &thread_topic, &own_topic, &vote).await;
    let authors = json!({ "id": thread_topic });
    let page = app.gql(Some(&staff), AUTHORS, authors.clone()).await;
    assert!(page.to_string().contains(&name), "the thread names them: {page}");
    // A shared-cache entry holding the name as a cached page would (the demo's reads cache ids, not names).
    if let Some(url) = app.settings.redis_url.as_deref() {
        let mut redis =
            redis::Client::open(url).expect("redis").get_multiplexed_async_connection().await.expect("redis");
        let key = format!("{}probe:page@1.1", app.settings.redis_prefix);
        let value = json!({ "author": { "name": name } }).to_string();
        let _: () = redis::cmd("SET").arg(&key).arg(value).query_async(&mut redis).await.expect("SET");
    }
    let found = every_store_hits(&app, &needles).await;
    assert!(found.iter().any(|(store, _)| store == "db:persons.name"), "the search finds the name before: {found:?}");
    for store in
        ["db:identities.subject", "db:event_texts.body", "db:idempotency_keys.response", "db:outbox_messages.address"]
    {
        assert!(found.iter().any(|(s, _)| s == store), "the search finds them in {store} before: {found:?}");
    }
    assert!(found.iter().any(|(s, _)| s.ends_with("outbox.jsonl")), "and in the log file before: {found:?}");
    assert!(app.settings.redis_url.is_none() || found.iter().any(|(s, _)| s.starts_with("redis:")), "{found:?}");

    // Act
    let body = close(&app, &owner, "注销").await;

    // Assert: told what happened, the owner's unit kept on the register.
    let closed = &body["data"]["closeMyAccount"];
    assert_eq!(closed["shownAs"], "已注销用户", "{body}");
    assert_eq!(closed["registerKept"].as_array().map(Vec::len), Some(1), "{body}");
    assert!(closed["notice"].as_str().is_some_and(|n| n.contains("业主名册")), "{body}");
    // No store names them.
    let left = every_store_hits(&app, &needles).await;
    assert!(left.is_empty(), "traces left after erasure: {left:?}");
    assert!(files_named(std::path::Path::new(&app.settings.uploads_dir), "exports/").is_empty(), "the export's file");
    let photo_file = photo.rsplit('/').next().expect("a file name").to_owned();
    assert!(files_named(std::path::Path::new(&app.settings.uploads_dir), &photo_file).is_empty(), "the photo");
    // The record reads the same, through the API, apart from the name shown.
    let after = record(&app, &staff, &thread_topic, &own_topic, &vote).await;
    assert_eq!(after, before, "the community's record changed");
    let page = app.gql(Some(&staff), AUTHORS, authors).await;
    assert!(page.to_string().contains("已注销用户"), "{page}");
    assert!(!page.to_string().contains(&name), "{page}");
    // Sessions end, and with them any export.
    assert_eq!(error_code(&app.gql(Some(&owner), ME, json!({})).await), Some("UNAUTHENTICATED"));
    let export = app.gql(Some(&owner), REQUEST_EXPORT, json!({ "p": null })).await;
    assert_eq!(error_code(&export), Some("UNAUTHENTICATED"), "{export}");
    let again =
        app.gql(None, "mutation($as: String!) { devLogin(as: $as) { accessToken } }", json!({ "as": "owner" })).await;
    assert_eq!(error_code(&again), Some("UNAUTHENTICATED"), "{again}");
    // The neighbour is untouched.
    assert_eq!(app.gql(Some(&resident), ME, json!({})).await["data"]["me"]["name"], "蒋居民");
});

on_both!(an_office_holder_must_hand_over_first_and_a_confirmation_is_typed, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let leader = app.login_as("building_leader").await;

    let wrong = close(&app, &leader, "yes").await;
    let office = close(&app, &leader, "注销").await;

    assert_eq!(error_code(&wrong), Some("BAD_USER_INPUT"), "{wrong}");
    assert_eq!(extension(&wrong, "reason"), Some("NOT_CONFIRMED"));
    assert_eq!(error_code(&office), Some("CONFLICT"), "{office}");
    assert_eq!(extension(&office, "reason"), Some("HOLDS_OFFICE"));
    assert_eq!(extension(&office, "office"), Some("building_leader"));
    assert!(office["errors"][0]["message"].as_str().is_some_and(|m| m.contains("楼门长")), "{office}");
    // Nothing was erased: the leader still works.
    assert!(app.gql(Some(&leader), ME, json!({})).await["data"]["me"]["name"].is_string());
});

on_both!(staff_erase_only_on_a_recorded_request_and_nobody_erases_another, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let (staff, owner, resident) =
        (app.login_as("rc_staff").await, app.login_as("owner").await, app.login_as("resident").await);
    let resident_id = gongzhi_tests::app::person_id(&app, &resident).await;
    let leader_id = gongzhi_tests::app::person_id(&app, &app.login_as("building_leader").await).await;

    // A neighbour cannot ask for another's erasure, nor carry one out; staff cannot without a request.
    let by_neighbour = app.gql(Some(&owner), RECORD, json!({ "p": resident_id, "n": "书面申请 2026-017" })).await;
    let unrecorded = app.gql(Some(&staff), ERASE, json!({ "r": uuid::Uuid::nil().to_string() })).await;
    assert_eq!(error_code(&by_neighbour), Some("FORBIDDEN"), "{by_neighbour}");
    assert_eq!(error_code(&unrecorded), Some("NOT_FOUND"), "{unrecorded}");

    // Staff record the resident's request, and carry it out once.
    let recorded = app.gql(Some(&staff), RECORD, json!({ "p": resident_id, "n": "书面申请 2026-017" })).await;
    let request =
        recorded["data"]["recordErasureRequest"]["id"].as_str().unwrap_or_else(|| panic!("{recorded}")).to_owned();
    assert_eq!(recorded["data"]["recordErasureRequest"]["status"], "RECORDED");
    let by_owner = app.gql(Some(&owner), ERASE, json!({ "r": request })).await;
    assert_eq!(error_code(&by_owner), Some("FORBIDDEN"), "{by_owner}");
    let erased = app.gql(Some(&staff), ERASE, json!({ "r": request })).await;
    assert_eq!(erased["data"]["eraseOnRequest"]["shownAs"], "已注销用户", "{erased}");
    assert_eq!(erased["data"]["eraseOnRequest"]["registerKept"], json!([]), "a resident is on no register");
    let twice = app.gql(Some(&staff), ERASE, json!({ "r": request })).await;
    assert_eq!(error_code(&twice), Some("CONFLICT"), "{twice}");
    assert_eq!(error_code(&app.gql(Some(&resident), ME, json!({})).await), Some("UNAUTHENTICATED"));

    // An office holder's request is recorded, but carrying it out is refused until the office is handed over.
    let leader_request = app.gql(Some(&staff), RECORD, json!({ "p": leader_id })).await;
    let id =
        leader_request["data"]["recordErasureRequest"]["id"].as_str().unwrap_or_else(|| panic!("{leader_request}"));
    let refused = app.gql(Some(&staff), ERASE, json!({ "r": id })).await;
    assert_eq!(extension(&refused, "reason"), Some("HOLDS_OFFICE"), "{refused}");
});

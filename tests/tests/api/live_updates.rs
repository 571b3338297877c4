//! Live updates: GraphQL subscriptions over `graphql-transport-ws`, with a stock client library over a
//! real WebSocket (`gongzhi_tests::live`). A subscription's first message is sent once it listens, so each
//! test acts only after receiving it and never waits for time to pass; the client's patience is a safety
//! net only.

use gongzhi_tests::graphql::error_code;
use gongzhi_tests::instances::two_on_one_redis;
use gongzhi_tests::live::{connect, connect_with, next, subscribe, until_end};
use gongzhi_tests::{TestApp, on_both, spawn_app, spawn_app_with};
use graphql_ws_client::Error as WsError;
use serde_json::{Value, json};

use crate::partners_support::{partner_token, register};
use crate::pipeline_support::{
    ACCEPT, CO_SIGN, WITHDRAW, act, category, demo, demo_topics, done, plan, raise, topic_input,
};

const TOPIC_CHANGED: &str = "subscription($t: ID!) { topicChanged(topicId: $t) {
  seq topic { id stage coSignCount } events { kind actor { id } } } }";
const PLACE_FEED: &str = "subscription($p: ID!) { placeFeed(placeId: $p) { seq topics { id title stage } } }";

fn change(message: &Value) -> &Value {
    let change = &message["data"]["topicChanged"];
    assert!(change.is_object(), "not a topic change: {message}");
    change
}

fn kinds(change: &Value) -> Vec<&str> {
    change["events"].as_array().map(|e| e.iter().filter_map(|e| e["kind"].as_str()).collect()).unwrap_or_default()
}

async fn person_id(app: &TestApp, token: &str) -> String {
    gongzhi_tests::app::person_id(app, token).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_co_sign_on_one_instance_reaches_a_subscriber_on_the_other() {
    let Some((app, other)) = two_on_one_redis().await else { return };
    let topics = demo_topics(&app, &demo(&app).await.community).await;
    let resident = app.login_as("resident").await;
    let client = connect(&other.address, Some(&resident)).await.expect("connected to the second instance");
    let mut changes = subscribe(&client, TOPIC_CHANGED, json!({ "t": topics.parking })).await;
    let first = next(&mut changes).await.expect("the topic as it stands");
    assert!(change(&first)["seq"].is_null(), "{first}");
    let before = change(&first)["topic"]["coSignCount"].as_u64().expect("count");

    let neighbour = app.login_as("oc_member").await;
    done(&act(&app, &neighbour, CO_SIGN, json!({ "t": topics.parking })).await);

    let message = next(&mut changes).await.expect("the co-sign, through Redis");
    let change = change(&message);
    assert_eq!(change["topic"]["coSignCount"].as_u64(), Some(before + 1), "{message}");
    assert!(change["seq"].as_i64().is_some_and(|seq| seq > 0), "{message}");
    assert!(kinds(change).is_empty(), "a co-sign is the staff's to see, not a resident's: {message}");
}

on_both!(a_neighbour_is_never_sent_what_only_the_staff_or_the_resident_may_see, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let (staff, resident) = (app.login_as("rc_staff").await, app.login_as("resident").await);
    let (neighbour, owner) = (app.login_as("oc_member").await, app.login_as("owner").await);
    let parking = category(&app, &staff, &places.community, "parking").await;
    let topic = raise(&app, &resident, topic_input(&places.jinxiu, &parking, "单元门禁经常失灵")).await;

    let mut subscribed = Vec::new();
    for token in [&staff, &resident, &neighbour] {
        // Each on a connection of its own, as each person's app would be; the bus is in process here.
        let client = connect(&app.address, Some(token)).await.expect("connected");
        let mut changes = subscribe(&client, TOPIC_CHANGED, json!({ "t": topic })).await;
        next(&mut changes).await.expect("listening");
        subscribed.push((client, changes));
    }

    done(&act(&app, &owner, CO_SIGN, json!({ "t": topic })).await);
    let co_signed: Vec<Value> = {
        let mut seen = Vec::new();
        for (_, changes) in &mut subscribed {
            seen.push(next(changes).await.expect("the co-sign"));
        }
        seen
    };
    let owner_id = person_id(&app, &owner).await;
    assert_eq!(kinds(change(&co_signed[0])), ["co_signed"], "the staff see the co-sign: {}", co_signed[0]);
    assert_eq!(change(&co_signed[0])["events"][0]["actor"]["id"], owner_id.as_str(), "and who: {}", co_signed[0]);
    for message in &co_signed[1..] {
        assert_eq!(change(message)["topic"]["coSignCount"], 1, "{message}");
        assert!(kinds(change(message)).is_empty(), "the co-sign step is the staff's alone: {message}");
    }

    done(&act(&app, &resident, WITHDRAW, json!({ "t": topic, "note": "已自行修好" })).await);
    let resident_id = person_id(&app, &resident).await;
    let mut withdrawn = Vec::new();
    for (_, changes) in &mut subscribed {
        withdrawn.push(next(changes).await.expect("the withdrawal"));
    }
    for message in &withdrawn {
        assert_eq!(kinds(change(message)), ["withdrawn"], "{message}");
    }
    assert_eq!(change(&withdrawn[1])["events"][0]["actor"]["id"], resident_id.as_str(), "the resident sees their name");
    assert!(
        change(&withdrawn[2])["events"][0]["actor"].is_null(),
        "a neighbour sees that a resident withdrew, never who: {}",
        withdrawn[2]
    );
});

on_both!(subscribing_is_refused_as_the_query_would_be, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;

    // Someone from another compound may not even see the topic.
    let stranger = app.login_as("old_owner").await;
    let client = connect(&app.address, Some(&stranger)).await.expect("connected");
    let mut refused = subscribe(&client, TOPIC_CHANGED, json!({ "t": topics.parking })).await;
    let answer = next(&mut refused).await.expect("an answer");
    assert_eq!(error_code(&answer), Some("NOT_FOUND"), "{answer}");
    assert!(next(&mut refused).await.is_none(), "and the subscription ends");

    // Nobody logged in reads nothing, as over HTTP.
    let anonymous = connect(&app.address, None).await.expect("anonymous connections are accepted");
    let mut refused = subscribe(&anonymous, PLACE_FEED, json!({ "p": places.jinxiu })).await;
    let answer = next(&mut refused).await.expect("an answer");
    assert_eq!(error_code(&answer), Some("UNAUTHENTICATED"), "{answer}");

    // A partner reads the topics of its scope, and is refused what people alone may read.
    let admin = app.login_as("city_admin").await;
    let partner = register(&app, &admin, "锦绣智慧社区", &places.jinxiu, None).await;
    let token = partner_token(&app, &partner).await;
    let client = connect(&app.address, Some(&token)).await.expect("a partner connects with its token");
    let mut feed = subscribe(&client, PLACE_FEED, json!({ "p": places.jinxiu })).await;
    next(&mut feed).await.expect("listening");
    let mut mine = subscribe(&client, "subscription { myNotifications { seq } }", json!({})).await;
    let answer = next(&mut mine).await.expect("an answer");
    assert_eq!(error_code(&answer), Some("FORBIDDEN"), "{answer}");

    let resident = app.login_as("resident").await;
    let parking = category(&app, &admin, &places.community, "parking").await;
    let raised = raise(&app, &resident, topic_input(&places.jinxiu, &parking, "快递柜前积水")).await;
    let message = next(&mut feed).await.expect("the new topic");
    let topics = message["data"]["placeFeed"]["topics"].as_array().cloned().unwrap_or_default();
    assert_eq!(topics.len(), 1, "{message}");
    assert_eq!(topics[0]["id"], raised.as_str(), "{message}");
});

on_both!(a_token_that_expires_ends_the_connection, |backend| async move {
    let Some(app) = spawn_app_with(backend, |s| s.live.check_every_ms = 20).await else { return };
    let topics = demo_topics(&app, &demo(&app).await.community).await;
    let resident = app.login_as("resident").await;
    let client = connect(&app.address, Some(&resident)).await.expect("connected");
    let mut changes = subscribe(&client, TOPIC_CHANGED, json!({ "t": topics.parking })).await;
    next(&mut changes).await.expect("listening");

    // Access tokens last 15 minutes (`infra::auth::jwt::ACCESS_TTL`).
    app.clock.advance(chrono::Duration::minutes(16));

    assert!(until_end(&mut changes).await.is_empty(), "closed (4403) at the next check, with nothing more sent");
});

on_both!(logging_out_ends_the_session_s_subscriptions, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let topics = demo_topics(&app, &demo(&app).await.community).await;
    let resident = app.login_as("resident").await;
    let client = connect(&app.address, Some(&resident)).await.expect("connected");
    let mut changes = subscribe(&client, TOPIC_CHANGED, json!({ "t": topics.parking })).await;
    next(&mut changes).await.expect("listening");

    let out = app.gql(Some(&resident), "mutation { logout }", json!({})).await;
    assert_eq!(out["data"]["logout"], true, "{out}");

    let ended = next(&mut changes).await.expect("told why");
    assert_eq!(error_code(&ended), Some("UNAUTHENTICATED"), "{ended}");
    assert!(next(&mut changes).await.is_none(), "and the subscription ends");
    let again = connect(&app.address, Some(&resident)).await;
    assert!(matches!(again, Err(WsError::Close(4403, _))), "the ended session cannot connect again: {again:?}");
});

on_both!(limits_are_refused_with_clear_errors, |backend| async move {
    let Some(app) = spawn_app_with(backend, |s| {
        s.live.max_subscriptions_per_connection = 1;
        s.live.max_connections_per_person = 1;
    })
    .await
    else {
        return;
    };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;

    let refused = connect(&app.address, Some("not-a-token")).await;
    assert!(matches!(refused, Err(WsError::Close(4403, _))), "a bad token is closed 4403: {refused:?}");
    let refused = connect_with(&app.address, Some(json!({ "token": 42 }))).await;
    assert!(matches!(refused, Err(WsError::Close(4403, _))), "so is a token that is not text: {refused:?}");

    let client = connect(&app.address, Some(&resident)).await.expect("connected");
    let mut feed = subscribe(&client, PLACE_FEED, json!({ "p": places.jinxiu })).await;
    next(&mut feed).await.expect("listening");
    let mut second = subscribe(&client, PLACE_FEED, json!({ "p": places.jinxiu })).await;
    let answer = next(&mut second).await.expect("an answer");
    assert_eq!(error_code(&answer), Some("BAD_USER_INPUT"), "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["reason"], "TOO_MANY_SUBSCRIPTIONS", "{answer}");

    let refused = connect(&app.address, Some(&resident)).await;
    assert!(matches!(refused, Err(WsError::Close(4429, _))), "one connection per person here: {refused:?}");
    drop(feed);
    drop(second);
    drop(client);

    // Queries and mutations go over HTTP.
    let staff = app.login_as("rc_staff").await;
    let client = connect(&app.address, Some(&staff)).await.expect("connected");
    let mut query = subscribe(&client, "{ me { id } }", json!({})).await;
    let answer = next(&mut query).await.expect("an answer");
    assert_eq!(answer["errors"][0]["extensions"]["reason"], "SUBSCRIPTIONS_ONLY", "{answer}");
});

on_both!(a_person_is_sent_their_notifications_as_they_are_queued, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let (staff, resident) = (app.login_as("rc_staff").await, app.login_as("resident").await);
    let parking = category(&app, &staff, &places.community, "parking").await;
    let topic = raise(&app, &resident, topic_input(&places.jinxiu, &parking, "消防通道被占用")).await;
    let client = connect(&app.address, Some(&resident)).await.expect("connected");
    let mut mine =
        subscribe(&client, "subscription { myNotifications { seq notifications { kind topicId } } }", json!({})).await;
    let first = next(&mut mine).await.expect("listening");
    assert_eq!(first["data"]["myNotifications"]["notifications"], json!([]), "{first}");

    done(&act(&app, &staff, ACCEPT, json!({ "t": topic, "plan": plan() })).await);

    let message = next(&mut mine).await.expect("the acceptance's notice");
    let update = &message["data"]["myNotifications"];
    assert!(update["seq"].as_i64().is_some(), "{message}");
    assert_eq!(
        update["notifications"],
        json!([{ "kind": "topic_accepted", "topicId": topic }]),
        "one per notice: {message}"
    );
});

on_both!(a_vote_s_progress_is_sent_as_ballots_come_in, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = crate::votes_support::jinxiu_topic(&app, &staff).await;
    let now = gongzhi_domain::clock::Clock::now(app.clock.as_ref());
    let opened = app
        .gql(
            Some(&staff),
            "mutation($i: OpenVoteInput!) { openVote(input: $i) { vote { id } } }",
            json!({ "i": { "topicId": topic, "type": "OWNERS", "matter": "OTHER_MAJOR_MATTER", "title": "更换楼道灯",
                "opensAt": now.to_rfc3339(), "closesAt": (now + chrono::Duration::days(7)).to_rfc3339() } }),
        )
        .await;
    let vote = opened["data"]["openVote"]["vote"]["id"].as_str().unwrap_or_else(|| panic!("{opened}")).to_owned();
    let owner = app.login_as("owner").await;
    let client = connect(&app.address, Some(&owner)).await.expect("connected");
    let progress = "subscription($v: ID!) { voteProgress(voteId: $v) { seq vote { id isOpen result { counts { choice count } } } } }";
    let mut progress = subscribe(&client, progress, json!({ "v": vote })).await;
    let first = next(&mut progress).await.expect("the vote as it stands");
    assert!(first["data"]["voteProgress"]["seq"].is_null(), "{first}");

    let cast = "mutation($v: ID!) { castBallot(input: { voteId: $v, choice: FOR }) { ok } }";
    let ballot = app.gql(Some(&owner), cast, json!({ "v": vote })).await;
    assert_eq!(ballot["data"]["castBallot"]["ok"], true, "{ballot}");

    let message = next(&mut progress).await.expect("the ballot");
    let progress = &message["data"]["voteProgress"];
    assert!(progress["seq"].as_i64().is_some(), "{message}");
    let counts = progress["vote"]["result"]["counts"].as_array().cloned().unwrap_or_default();
    let for_count = counts.iter().find(|c| c["choice"] == "FOR").map(|c| c["count"].clone());
    assert_eq!(for_count, Some(json!(1)), "the results are not hidden, so the choices show: {message}");
});

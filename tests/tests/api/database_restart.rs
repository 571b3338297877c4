//! PostgreSQL restarting under the server: every connection the pool holds is cut, as a restart cuts them,
//! and the database is back at once. A query that meets a cut connection is run once more on a fresh one
//! and answered; a mutation is not run again and is answered `UNAVAILABLE` (the client may retry), never
//! `INTERNAL`.

use gongzhi_tests::app::demo_topic;
use gongzhi_tests::backend::service_url;
use gongzhi_tests::graphql::error_codes;
use gongzhi_tests::tcp_proxy::TcpProxy;
use gongzhi_tests::{Backend, spawn_app_with};
use serde_json::json;

const TOPIC: &str = "query($t: ID!) { node(id: $t) { ... on Topic { id coSignCount coSignedByMe } } }";
const CO_SIGN: &str = "mutation($t: ID!) { coSignTopic(topicId: $t) { ok } }";

/// The `host:port` of a PostgreSQL URL, as written in it (with PostgreSQL's port when none is).
fn authority(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let written = rest.split(['/', '?']).next().unwrap_or(rest).to_owned();
    let address = if written.contains(':') { written.clone() } else { format!("{written}:5432") };
    (written, address)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_a_query_is_answered_and_a_mutation_is_unavailable_without_being_run_again() {
    let Some(admin_url) = service_url("TEST_DATABASE_URL") else { return };
    let (written, address) = authority(&admin_url);
    let proxy = TcpProxy::start(&address).await;
    let through = format!("127.0.0.1:{}", proxy.port);
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.database_url =
            s.database_url.as_ref().map(|url| url.replacen(&format!("@{written}"), &format!("@{through}"), 1));
        // Every request reads the database: nothing held in process answers for it.
        s.cache.enabled = false;
        s.cache.authority_seconds = 0;
        s.cache.response_bytes = 0;
    })
    .await
    .expect("app");
    assert!(app.settings.database_url.as_deref().is_some_and(|url| url.contains(&through)), "through the proxy");
    let staff = app.login_as("rc_staff").await;
    let neighbour = app.login_as("oc_member").await;
    let parking = demo_topic(&app, &staff, "电动车").await;
    let before = app.gql(Some(&neighbour), TOPIC, json!({ "t": parking })).await;
    assert_eq!(before["data"]["node"]["coSignedByMe"], false, "{before}");

    proxy.restart().await;
    let query = app.gql(Some(&neighbour), TOPIC, json!({ "t": parking })).await;
    proxy.restart().await;
    let mutation = app.gql(Some(&neighbour), CO_SIGN, json!({ "t": parking })).await;
    let after = app.gql(Some(&neighbour), TOPIC, json!({ "t": parking })).await;
    let retried_by_the_client = app.gql(Some(&neighbour), CO_SIGN, json!({ "t": parking })).await;

    assert!(query["errors"].is_null(), "the query was run again and answered: {query}");
    assert_eq!(query["data"], before["data"]);
    assert_eq!(error_codes(&mutation), ["UNAVAILABLE"], "{mutation}");
    assert!(mutation["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()), "{mutation}");
    assert_eq!(after["data"], before["data"], "the mutation was not run again behind the client's back: {after}");
    assert_eq!(retried_by_the_client["data"]["coSignTopic"]["ok"], true, "{retried_by_the_client}");
}

//! Automatic persisted queries (Apollo's protocol) over POST and GET: a hash is unknown until its text was
//! sent with it once, a text sent with someone else's hash is refused, and a persisted mutation still never
//! runs by GET. With Redis, instances share what was registered; without it (or with it down) each
//! instance remembers its own, and a query sent in full always runs.

use gongzhi_tests::backend::service_url;
use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::instances::another_instance;
use gongzhi_tests::{Backend, TestApp, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const ME: &str = "query Me { me { id name } }";
const LOGIN: &str = "mutation { devLogin(as: \"owner\") { accessToken } }";

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

/// POSTs a persisted-query request: the hash alone, or with its text.
async fn post(app: &TestApp, token: &str, query: Option<&str>, hash: &str, lang: &str) -> (u16, Value) {
    post_to(&app.client, &app.address, token, query, hash, lang).await
}

/// POSTs a persisted-query request to the server at `address` (an app, or another instance of it).
async fn post_to(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    query: Option<&str>,
    hash: &str,
    lang: &str,
) -> (u16, Value) {
    let mut body = json!({ "extensions": persisted(hash) });
    if let Some(query) = query {
        body["query"] = json!(query);
    }
    let response = client
        .post(format!("{address}/graphql"))
        .bearer_auth(token)
        .header("accept-language", lang)
        .json(&body)
        .send()
        .await
        .expect("request sent");
    (response.status().as_u16(), response.json().await.expect("JSON response"))
}

/// GETs a persisted-query request with the hash alone.
async fn get(app: &TestApp, token: &str, hash: &str) -> (u16, Value) {
    let extensions = persisted(hash).to_string();
    let response = app
        .client
        .get(app.graphql_url())
        .bearer_auth(token)
        .query(&[("extensions", extensions.as_str())])
        .send()
        .await
        .expect("request sent");
    (response.status().as_u16(), response.json().await.expect("JSON response"))
}

#[tokio::test]
async fn a_hash_sent_alone_before_its_query_was_registered_is_not_found() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("resident").await;

    let (status, body) = post(&app, &token, None, &sha256(ME), "en").await;
    let (_, zh) = post(&app, &token, None, &sha256(ME), "zh-CN").await;
    let (get_status, by_get) = get(&app, &token, &sha256(ME)).await;

    assert_eq!(status, 200, "the client's cue to send the text: {body}");
    assert_eq!(error_code(&body), Some("PERSISTED_QUERY_NOT_FOUND"), "{body}");
    assert!(error_message(&body).is_some_and(|m| m.starts_with("PersistedQueryNotFound")), "{body}");
    assert_eq!(error_message(&zh), Some("未找到该持久化查询，请连同查询文本重新发送"), "{zh}");
    assert!(body.get("data").is_none(), "nothing ran: {body}");
    assert_eq!(get_status, 200);
    assert_eq!(error_code(&by_get), Some("PERSISTED_QUERY_NOT_FOUND"), "{by_get}");
}

#[tokio::test]
async fn a_query_sent_once_with_its_hash_then_runs_from_the_hash_alone_by_post_and_by_get() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("resident").await;
    let hash = sha256(ME);

    let (_, registered) = post(&app, &token, Some(ME), &hash, "en").await;
    let (post_status, by_post) = post(&app, &token, None, &hash, "en").await;
    let (get_status, by_get) = get(&app, &token, &hash).await;

    assert_eq!(registered["data"]["me"]["name"], "蒋居民", "{registered}");
    assert_eq!(post_status, 200);
    assert_eq!(by_post, registered);
    assert_eq!(get_status, 200);
    assert_eq!(by_get, registered);
}

#[tokio::test]
async fn a_query_sent_with_another_querys_hash_is_refused_and_not_registered() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("resident").await;
    let other = sha256("{ demoCast { handle } }");

    let (status, refused) = post(&app, &token, Some(ME), &other, "en").await;
    let (_, later) = post(&app, &token, None, &other, "en").await;
    let (_, bad_version) = app
        .client
        .post(app.graphql_url())
        .json(&json!({ "query": ME, "extensions": { "persistedQuery": { "version": 2, "sha256Hash": sha256(ME) } } }))
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .expect("request sent");
    let bad_version: Value = bad_version.json().await.expect("JSON response");

    assert_eq!(status, 400);
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{refused}");
    assert_eq!(error_message(&refused), Some("The persisted query's sha256Hash does not match the query text"));
    assert_eq!(error_code(&later), Some("PERSISTED_QUERY_NOT_FOUND"), "the wrong pair was not kept: {later}");
    assert_eq!(error_code(&bad_version), Some("BAD_USER_INPUT"), "{bad_version}");
}

#[tokio::test]
async fn a_persisted_mutation_is_still_refused_over_get() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("resident").await;
    let hash = sha256(LOGIN);

    let (_, registered) = post(&app, &token, Some(LOGIN), &hash, "en").await;
    let (status, by_get) = get(&app, &token, &hash).await;

    assert!(registered["data"]["devLogin"]["accessToken"].is_string(), "POST runs it: {registered}");
    assert_eq!(status, 405);
    assert_eq!(error_code(&by_get), Some("BAD_USER_INPUT"), "{by_get}");
    assert!(by_get.get("data").is_none(), "{by_get}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_registered_with_one_instance_runs_by_its_hash_on_another_sharing_its_redis() {
    let Some(redis) = service_url("TEST_REDIS_URL") else { return };
    let Some(first) = spawn_app_with(Backend::Postgres, |s| s.redis_url = Some(redis.clone())).await else { return };
    let (second, third) = (another_instance(&first).await, another_instance(&first).await);
    let token = first.login_as("resident").await;
    let hash = sha256(ME);
    let key = format!("{}apq:{hash}", first.settings.redis_prefix);
    let ttl = || async { redis_command::<i64>(&redis, redis::cmd("TTL").arg(&key)).await };

    let (_, registered) = post(&first, &token, Some(ME), &hash, "en").await;
    let ttl_registered = ttl().await;
    let (status, on_second) = post_to(&second.client, &second.address, &token, None, &hash, "en").await;
    // Used after a long while: reading it from Redis sets its time to live again.
    let _: () = redis_command(&redis, redis::cmd("EXPIRE").arg(&key).arg(100)).await;
    let (_, on_third) = post_to(&third.client, &third.address, &token, None, &hash, "en").await;
    let ttl_after_use = ttl().await;

    assert_eq!(registered["data"]["me"]["name"], "蒋居民", "{registered}");
    assert_eq!(status, 200);
    assert_eq!(on_second, registered, "the second instance knew the text from Redis");
    assert_eq!(on_third, registered);
    let week = 7 * 24 * 3600;
    assert!(ttl_registered > week - 60 && ttl_registered <= week, "a week to live: {ttl_registered}");
    assert!(ttl_after_use > week - 60, "refreshed on use: {ttl_after_use}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_in_redis_that_is_not_the_text_of_its_hash_is_not_run() {
    let Some(redis) = service_url("TEST_REDIS_URL") else { return };
    let app = spawn_app_with(Backend::Sqlite, |s| s.redis_url = Some(redis.clone())).await.expect("app");
    let token = app.login_as("resident").await;
    let hash = sha256(ME);
    let key = format!("{}apq:{hash}", app.settings.redis_prefix);
    let _: () = redis_command(&redis, redis::cmd("SET").arg(&key).arg(LOGIN).arg("EX").arg(60)).await;

    let (status, body) = post(&app, &token, None, &hash, "en").await;

    assert_eq!(status, 200);
    assert_eq!(error_code(&body), Some("PERSISTED_QUERY_NOT_FOUND"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_down_a_query_sent_in_full_still_runs_and_is_remembered_by_its_instance() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.redis_url = Some("redis://127.0.0.1:1".into())).await.expect("app");
    let token = app.login_as("resident").await;
    let hash = sha256(ME);

    let (unknown_status, unknown) = post(&app, &token, None, &hash, "en").await;
    let (sent_status, sent) = post(&app, &token, Some(ME), &hash, "en").await;
    let (later_status, later) = post(&app, &token, None, &hash, "en").await;

    assert_eq!(unknown_status, 200);
    assert_eq!(error_code(&unknown), Some("PERSISTED_QUERY_NOT_FOUND"), "{unknown}");
    assert_eq!(sent_status, 200);
    assert_eq!(sent["data"]["me"]["name"], "蒋居民", "{sent}");
    assert_eq!(later_status, 200);
    assert_eq!(later, sent);
}

async fn redis_command<T: redis::FromRedisValue>(url: &str, cmd: &redis::Cmd) -> T {
    let client = redis::Client::open(url).expect("redis url");
    let mut connection = client.get_multiplexed_async_connection().await.expect("redis connects");
    cmd.query_async(&mut connection).await.expect("redis command")
}

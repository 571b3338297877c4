//! Automatic persisted queries (Apollo's protocol) over POST and GET: a hash is unknown until its text was
//! sent with it once, a text sent with someone else's hash is refused, and a persisted mutation still never
//! runs by GET.

use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{Backend, TestApp, spawn_app};
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
    let mut body = json!({ "extensions": persisted(hash) });
    if let Some(query) = query {
        body["query"] = json!(query);
    }
    let response = app
        .client
        .post(app.graphql_url())
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

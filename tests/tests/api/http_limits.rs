//! GraphQL over HTTP and the limits every request is held to.

use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{Backend, spawn_app};
use serde_json::{Value, json};

/// A query whose deepest field sits at exactly `depth` levels: me → roles → place → parent → … → id.
fn query_of_depth(depth: usize) -> String {
    assert!(depth >= 4);
    let parents = depth - 4;
    format!("{{ me {{ roles {{ place {{ {}id{} }} }} }} }}", "parent { ".repeat(parents), " }".repeat(parents))
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused_with_413_before_parsing() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let padding = "x".repeat(2 * 1024 * 1024);
    let body = format!(r#"{{"query":"{{ __typename }}","variables":{{"pad":"{padding}"}}}}"#);

    let response = app
        .client
        .post(app.graphql_url())
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status().as_u16(), 413);
}

#[tokio::test]
async fn queries_up_to_depth_ten_run_and_depth_eleven_is_refused_with_a_code() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("owner").await;

    let ten = app.gql(Some(&token), &query_of_depth(10), json!({})).await;
    let eleven = app.gql(Some(&token), &query_of_depth(11), json!({})).await;
    let eleven_en = app.gql_lang(Some(&token), &query_of_depth(11), json!({}), Some("en")).await;

    assert!(ten.get("errors").is_none(), "{ten}");
    assert_eq!(error_code(&eleven), Some("BAD_USER_INPUT"));
    assert_eq!(error_message(&eleven), Some("查询嵌套过深（最多 10 层）"));
    assert_eq!(error_message(&eleven_en), Some("The query is nested too deep (at most 10 levels)"));
    assert!(eleven.get("data").is_none(), "nothing executed");
}

#[tokio::test]
async fn a_batched_request_is_refused() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");

    let response = app
        .client
        .post(app.graphql_url())
        .json(&json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]))
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.expect("json");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_message(&body), Some("不支持批量请求，请逐个发送"));
}

#[tokio::test]
async fn list_fields_are_costed_so_a_wide_nested_query_is_too_complex() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("city_admin").await;
    let wide = "{ cities(first: 100) { edges { node { children(first: 100) { edges { node { children(first: 100) { edges { node { id } } } } } } } } } }";

    let body = app.gql(Some(&token), wide, json!({})).await;

    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(error_message(&body).unwrap_or_default().contains("过于复杂"));
}

#[tokio::test]
async fn pages_hold_at_most_one_hundred_items() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("city_admin").await;

    let body = app.gql(Some(&token), "{ cities(first: 101) { edges { node { id } } } }", json!({})).await;

    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_message(&body), Some("每页最多 100 条"));
}

#[tokio::test]
async fn get_runs_queries_but_refuses_mutations() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let get = |query: &str| app.client.get(app.graphql_url()).query(&[("query", query)]).send();

    let query = get("{ demoCast { handle } }").await.expect("sent");
    let mutation = get("mutation { devLogin(as: \"owner\") { accessToken } }").await.expect("sent");

    assert_eq!(query.status().as_u16(), 200);
    assert_eq!(mutation.status().as_u16(), 405);
    let body: Value = mutation.json().await.expect("json");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn the_graphql_response_media_type_gets_status_codes_for_requests_that_never_ran() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let post = |query: &str, accept: &str| {
        app.client.post(app.graphql_url()).header("accept", accept).json(&json!({ "query": query })).send()
    };

    let invalid_modern = post("{ noSuchField }", "application/graphql-response+json").await.expect("sent");
    let invalid_legacy = post("{ noSuchField }", "application/json").await.expect("sent");
    let fine_modern = post("{ demoCast { handle } }", "application/graphql-response+json").await.expect("sent");

    assert_eq!(invalid_modern.status().as_u16(), 400);
    assert!(
        invalid_modern.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/graphql-response+json")
    );
    assert_eq!(invalid_legacy.status().as_u16(), 200);
    assert_eq!(fine_modern.status().as_u16(), 200);
    let body: Value = invalid_legacy.json().await.expect("json");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_with_a_coded_error() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");

    let plain =
        app.client.post(app.graphql_url()).header("content-type", "text/plain").body("{}").send().await.expect("sent");
    let broken = app
        .client
        .post(app.graphql_url())
        .header("content-type", "application/json")
        .body("{\"query\":")
        .send()
        .await
        .expect("sent");

    assert_eq!(plain.status().as_u16(), 415);
    assert_eq!(broken.status().as_u16(), 400);
    let body: Value = broken.json().await.expect("json");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn ids_of_the_wrong_type_are_bad_input_not_crashes() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let token = app.login_as("owner").await;
    let me = app.gql(Some(&token), "{ me { id } }", json!({})).await;

    let person_as_place = app
        .gql(Some(&token), "query($id: ID!) { place(id: $id) { name } }", json!({ "id": me["data"]["me"]["id"] }))
        .await;
    let garbage = app.gql(Some(&token), "{ place(id: \"%%%\") { name } }", json!({})).await;

    assert_eq!(error_code(&person_as_place), Some("BAD_USER_INPUT"));
    assert_eq!(error_message(&person_as_place), Some("ID 无效：需要一个 Place 的 ID"));
    assert_eq!(error_code(&garbage), Some("BAD_USER_INPUT"));
}

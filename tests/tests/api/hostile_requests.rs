//! Requests a hostile client sends, with no token: each is refused with a code, and the server still
//! answers `{ __typename }` afterwards. (How fast it answers during and after such requests is measured
//! in `bench/hostile.sh`, not here: tests assert no durations.)

use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{Backend, TestApp, spawn_app, spawn_app_with};
use serde_json::{Value, json};

fn nested(open: &str, inner: &str, close: &str, levels: usize) -> String {
    format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
}

async fn post_query(app: &TestApp, query: &str) -> (u16, Value) {
    post_body(app, json!({ "query": query })).await
}

async fn post_body(app: &TestApp, body: Value) -> (u16, Value) {
    let response = app.client.post(app.graphql_url()).json(&body).send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

fn assert_refused(body: &Value, code: &str, message_part: &str) {
    assert_eq!(error_code(body), Some(code), "{body}");
    assert!(error_message(body).unwrap_or_default().contains(message_part), "{body}");
    assert!(body.get("data").is_none(), "nothing executed: {body}");
}

#[tokio::test]
async fn values_nested_ten_thousand_levels_deep_are_refused_in_every_construct() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let levels = 10_000;
    let attacks = [
        format!("{{ node(id: {}) {{ id }} }}", nested("[", "1", "]", levels)),
        format!("{{ node(id: {}) {{ id }} }}", nested("{a:", "1", "}", levels)),
        nested("{ a ", "b", "}", levels),
        format!("query($v: {}) {{ __typename }}", nested("[", "Int", "]", levels)),
        format!("query($v: [Int] = {}) {{ __typename }}", nested("[", "1", "]", levels)),
        format!("{{ __typename @include(if: {}) }}", nested("[", "true", "]", levels)),
    ];
    for attack in attacks {
        let (status, body) = post_query(&app, &attack).await;
        assert_eq!(status, 200, "application/json answers refusals with 200: {body}");
        assert_refused(&body, "BAD_USER_INPUT", "括号嵌套过深");
        app.still_answers().await;
    }
}

#[tokio::test]
async fn a_deeply_nested_list_over_get_is_refused() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let attack = format!("{{ node(id: {}) {{ id }} }}", nested("[", "1", "]", 2_000));

    let response = app.client.get(app.graphql_url()).query(&[("query", attack.as_str())]).send().await.expect("sent");

    let body: Value = response.json().await.expect("json");
    assert_refused(&body, "BAD_USER_INPUT", "括号嵌套过深");
    app.still_answers().await;
}

#[tokio::test]
async fn deeply_nested_variables_are_refused_as_json() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let deep = nested("[", "1", "]", 10_000);
    let body = format!(r#"{{"query":"query($v: ID!) {{ node(id: $v) {{ id }} }}","variables":{{"v":{deep}}}}}"#);

    let response = app
        .client
        .post(app.graphql_url())
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.expect("json");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    let get = app
        .client
        .get(app.graphql_url())
        .query(&[
            ("query", "query($v: ID!) { node(id: $v) { id } }"),
            ("variables", &format!(r#"{{"v":{}}}"#, nested("[", "1", "]", 2_000))),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(get.status().as_u16(), 400);
    app.still_answers().await;
}

/// `query{...F0} fragment F0 on Query{...F1 ...F1} … fragment F23 on Query{__typename}`: 944 bytes that
/// doubled the engine's work per fragment.
fn fragment_bomb(links: usize) -> String {
    let mut query = String::from("query{...F0}");
    for n in 0..links {
        query.push_str(&format!(" fragment F{n} on Query{{...F{next} ...F{next}}}", next = n + 1));
    }
    query.push_str(&format!(" fragment F{links} on Query{{__typename}}"));
    query
}

#[tokio::test]
async fn a_fragment_bomb_is_refused_before_it_runs() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");

    for _ in 0..4 {
        let (_, body) = post_query(&app, &fragment_bomb(24)).await;
        assert_refused(&body, "BAD_USER_INPUT", "字段过多");
    }
    let english = app.gql_lang(None, &fragment_bomb(24), json!({}), Some("en")).await;
    assert!(error_message(&english).unwrap_or_default().contains("too many fields"), "{english}");
    app.still_answers().await;
}

#[tokio::test]
async fn floods_of_aliases_and_duplicate_fields_are_refused() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let aliases: String = (0..20_000).map(|n| format!("a{n}:__typename ")).collect();
    let duplicates = "__typename ".repeat(90_000);
    let within_length: String = (0..3_000).map(|n| format!("a{n}:__typename ")).collect();

    let (_, aliased) = post_query(&app, &format!("{{{aliases}}}")).await;
    let (_, duplicated) = post_query(&app, &format!("{{{duplicates}}}")).await;
    let (_, many) = post_query(&app, &format!("{{{within_length}}}")).await;

    assert_refused(&aliased, "BAD_USER_INPUT", "查询文本过长");
    assert_refused(&duplicated, "BAD_USER_INPUT", "查询文本过长");
    assert_refused(&many, "BAD_USER_INPUT", "字段过多");
    app.still_answers().await;
}

#[tokio::test]
async fn fragments_that_spread_themselves_are_refused() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let cycle = "{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }";
    let chain: String = (0..40).map(|n| format!(" fragment F{n} on Query {{ ...F{} }}", n + 1)).collect();
    let chain = format!("{{ ...F0 }}{chain} fragment F40 on Query {{ __typename }}");

    let (_, cyclic) = post_query(&app, cycle).await;
    let (_, chained) = post_query(&app, &chain).await;

    assert_refused(&cyclic, "BAD_USER_INPUT", "引用了自身");
    assert_refused(&chained, "BAD_USER_INPUT", "片段相互引用的层级过深");
    app.still_answers().await;
}

#[tokio::test]
async fn a_refused_document_costs_its_address_the_most_a_request_may_cost() {
    let app = spawn_app_with(Backend::Sqlite, |settings| {
        settings.rate_limits.ip_points = 5_000;
    })
    .await
    .expect("app");

    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(post_query(&app, &fragment_bomb(24)).await.0);
    }

    assert_eq!(statuses, [200, 200, 429], "2,000 points each against a budget of 5,000");
    app.clock.advance(chrono::Duration::seconds(60));
    app.still_answers().await;
}

#[tokio::test]
async fn the_standard_introspection_query_runs_where_introspection_is_on() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");

    let (status, body) = post_query(&app, INTROSPECTION_QUERY).await;

    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body}");
    let types = body["data"]["__schema"]["types"].as_array().expect("types");
    assert!(types.iter().any(|t| t["name"] == "Topic"), "{body}");
}

#[tokio::test]
async fn introspection_stays_off_in_production() {
    let app = spawn_app_with(Backend::Sqlite, production).await.expect("app");

    let (_, body) = post_query(&app, INTROSPECTION_QUERY).await;

    assert!(body["data"].is_null() || body.get("data").is_none(), "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
}

fn production(settings: &mut gongzhi_api::config::Settings) {
    gongzhi_tests::production::production(settings, "http://127.0.0.1:9");
}

async fn metrics_text(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(format!("{}/metrics", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    (response.status().as_u16(), response.text().await.expect("text"))
}

#[tokio::test]
async fn operation_names_chosen_by_clients_make_no_new_metric_series() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let (_, before) = metrics_text(&app, None).await;

    for n in 0..300 {
        let (status, _) = post_body(&app, json!({ "query": format!("query Op{n} {{ __typename }}") })).await;
        assert_eq!(status, 200);
    }
    let (_, after) = metrics_text(&app, None).await;

    assert!(!after.contains("Op17"), "client names are not labels");
    assert!(after.contains(r#"gongzhi_graphql_requests_total{operation="query.__typename"} 300"#), "{after}");
    let series = |text: &str| text.lines().filter(|line| line.starts_with("gongzhi_graphql_requests_total")).count();
    assert!(series(&after) <= series(&before) + 1, "one new series for one root field");
}

#[tokio::test]
async fn metrics_are_served_in_production_only_to_a_scraper_with_the_token() {
    let closed = spawn_app_with(Backend::Sqlite, production).await.expect("app");
    let open = spawn_app_with(Backend::Sqlite, |settings| {
        production(settings);
        settings.metrics.token = Some("scrape-7dc9a1f0b2e84e65".to_owned().into());
    })
    .await
    .expect("app");

    assert_eq!(metrics_text(&closed, None).await.0, 404, "no token configured: not served");
    assert_eq!(metrics_text(&open, None).await.0, 401);
    assert_eq!(metrics_text(&open, Some("scrape-7dc9a1f0b2e84e6")).await.0, 401);
    let (status, text) = metrics_text(&open, Some("scrape-7dc9a1f0b2e84e65")).await;
    assert_eq!(status, 200);
    assert!(text.contains("gongzhi_db_pool_connections"));
}

#[tokio::test]
async fn a_multipart_request_without_a_file_is_held_to_the_ordinary_body_limit() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let padding = "x".repeat(2 * 1024 * 1024);
    let operations = json!({ "query": "query($p: String) { __typename }", "variables": { "p": padding } });
    let boundary = "gongzhi-hostile";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{}}\r\n--{boundary}--\r\n"
    );

    let response = app
        .client
        .post(app.graphql_url())
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status().as_u16(), 413);
    app.still_answers().await;
}

/// graphql-js's `getIntrospectionQuery()` as GraphiQL sends it (descriptions on, `ofType` nine deep): the
/// same text `bench/hostile.sh` sends.
const INTROSPECTION_QUERY: &str = include_str!("../../../bench/introspection.graphql");

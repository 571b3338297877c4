//! A refusal the client caused is logged below ERROR — a refused refresh, FORBIDDEN, a step the topic's
//! stage does not allow, a malformed id — so ERROR is left to what a person must look at. The lines are
//! the ones the app logs while serving this test's requests (`gongzhi_tests::logs`); which level each kind
//! of error gets is unit-tested beside `ApiError::log_level`.

use gongzhi_tests::app::demo_topic;
use gongzhi_tests::logs::Logs;
use gongzhi_tests::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

use crate::pipeline_support::{REJECT, ROUTE, document, done, refused};

const REFRESH: &str = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }";

async fn marked(app: &TestApp, logs: &Logs, token: &str, query: &str, variables: Value) -> Value {
    let response = app.post_with(token, query, variables, &[("user-agent", logs.marker())]).await;
    response.json().await.expect("JSON response")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_the_client_caused_are_logged_at_info_and_none_at_error() {
    let logs = Logs::capture();
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let (resident, staff) = (app.login_as("resident").await, app.login_as("rc_staff").await);
    let parking = demo_topic(&app, &staff, "电动车").await;
    let route = document(ROUTE);

    let refresh = marked(&app, &logs, &resident, REFRESH, json!({ "t": "made-up" })).await;
    let rejected_by_resident =
        marked(&app, &logs, &resident, &document(REJECT), json!({ "t": parking, "reason": "不想要了" })).await;
    let routed = marked(&app, &logs, &staff, &route, json!({ "t": parking })).await;
    let routed_again = marked(&app, &logs, &staff, &route, json!({ "t": parking })).await;
    let malformed_id = marked(&app, &logs, &staff, "{ node(id: \"nonsense\") { id } }", json!({})).await;
    let lines = logs.lines();
    let at = |level: &str, code: &str| lines.iter().any(|l| l.trim_start().starts_with(level) && l.contains(code));

    assert_eq!(refresh["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{refresh}");
    assert_eq!(rejected_by_resident["errors"][0]["extensions"]["code"], "FORBIDDEN", "{rejected_by_resident}");
    done(&routed);
    assert_eq!(refused(&routed_again), "wrong_stage");
    assert_eq!(malformed_id["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{malformed_id}");
    let errors: Vec<&String> = lines.iter().filter(|line| line.trim_start().starts_with("ERROR")).collect();
    assert!(errors.is_empty(), "logged as errors: {errors:#?}");
    assert!(at("INFO", "UNAUTHENTICATED"), "the refused refresh: {lines:#?}");
    assert!(at("INFO", "FORBIDDEN"), "{lines:#?}");
    assert!(at("INFO", "BAD_USER_INPUT"), "{lines:#?}");
}

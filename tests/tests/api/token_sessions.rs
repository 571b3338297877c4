//! A token is someone only with their own session and only in the `Bearer` scheme: a `sid` taken from one
//! person's token under another person's `sub` acts as nobody (nor ends the first person's session), and
//! a header that is not `Bearer <token>` is an invalid token, not a token read some other way.

use gongzhi_api::config::DEMO_JWT_SECRET;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use jsonwebtoken::Algorithm;
use serde_json::{Value, json};

use crate::tokens::{claims_of, forge};

const ME: &str = "{ me { name } }";

/// `ME` with the `Authorization` header exactly as given.
async fn me_with_header(app: &TestApp, authorization: &str) -> Value {
    let request = app.client.post(app.graphql_url()).header("authorization", authorization);
    let response = request.json(&json!({ "query": ME })).send().await.expect("request sent");
    response.json().await.expect("JSON response")
}

on_both!(a_token_with_another_persons_session_is_unauthenticated_and_cannot_log_it_out, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;
    let mut claims = claims_of(&resident);
    claims["sub"] = claims_of(&staff)["sub"].clone();
    let residents_session_as_staff = forge(Algorithm::HS256, Some("demo"), &claims, DEMO_JWT_SECRET);
    let before = app.gql(Some(&resident), ME, json!({})).await;

    let forged = app.gql(Some(&residents_session_as_staff), ME, json!({})).await;
    app.gql(Some(&residents_session_as_staff), "mutation { logout }", json!({})).await;
    let after = app.gql(Some(&resident), ME, json!({})).await;

    assert_eq!(before["data"]["me"]["name"], "蒋居民", "{before}");
    assert_eq!(error_code(&forged), Some("UNAUTHENTICATED"), "acted as the staff member: {forged}");
    assert_eq!(after["data"]["me"]["name"], "蒋居民", "the resident's session was ended: {after}");
    app.still_answers().await;
});

#[tokio::test]
async fn only_the_bearer_scheme_carries_a_token_in_any_case() {
    let app = spawn_app(gongzhi_tests::Backend::Sqlite).await.expect("app");
    let token = app.login_as("resident").await;

    let lower_case = me_with_header(&app, &format!("bearer {token}")).await;
    let bare = me_with_header(&app, &token).await;
    let other_scheme = me_with_header(&app, &format!("Token {token}")).await;
    let no_token = me_with_header(&app, "Bearer ").await;

    assert_eq!(lower_case["data"]["me"]["name"], "蒋居民", "{lower_case}");
    assert_eq!(error_code(&bare), Some("UNAUTHENTICATED"), "a bare token was taken: {bare}");
    assert_eq!(error_code(&other_scheme), Some("UNAUTHENTICATED"), "{other_scheme}");
    assert_eq!(error_code(&no_token), Some("UNAUTHENTICATED"), "{no_token}");
    app.still_answers().await;
}

//! `openapi.json` is a reviewed artifact, as `schema.graphql` is: it must match what the code generates,
//! the server must serve it, and it must describe the REST endpoints there are.

use gongzhi_tests::{Backend, spawn_app};
use serde_json::Value;

fn committed() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.json")).expect("openapi.json at the root")
}

#[test]
fn the_committed_openapi_document_matches_the_code() {
    assert!(
        committed() == gongzhi_api::openapi::document(),
        "openapi.json is out of date: run `cargo run -- export-openapi --out openapi.json` and review the diff"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_serves_an_openapi_3_1_document_of_every_rest_endpoint() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");

    let response = app.client.get(format!("{}/openapi.json", app.address)).send().await.expect("sent");
    let status = response.status().as_u16();
    let served: Value = response.json().await.expect("JSON");

    assert_eq!(status, 200);
    assert_eq!(served, serde_json::from_str::<Value>(&committed()).expect("JSON file"));
    assert!(served["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", served["openapi"]);
    for path in [
        "/oauth/token",
        "/open311/v2/discovery.{format}",
        "/open311/v2/services.{format}",
        "/open311/v2/services/{code}.{format}",
        "/open311/v2/requests.{format}",
        "/open311/v2/requests/{id}.{format}",
        "/open311/v2/tokens/{token}.{format}",
        "/files/{key}",
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
    ] {
        assert!(served["paths"][path].is_object(), "{path} is documented");
    }
    assert!(served["paths"]["/open311/v2/requests.{format}"]["post"].is_object());
    assert!(served["paths"]["/graphql"].is_null(), "GraphQL is schema.graphql's");
}

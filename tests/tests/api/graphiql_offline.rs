//! The demo's GraphiQL page loads from the server alone (issue 18): every script and stylesheet it names
//! is a path of ours, served with its content type; nothing comes from a CDN.

use gongzhi_tests::{Backend, spawn_app};

/// The `src` and `href` values of a page.
fn references(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for part in page.split(attribute).skip(1) {
            found.push(part.split('"').next().unwrap_or_default().to_owned());
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graphiql_page_references_only_assets_the_server_serves() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");

    let page = app.client.get(app.graphql_url()).send().await.expect("sent").text().await.expect("page");
    let references = references(&page);

    assert_eq!(references.len(), 5, "a stylesheet and four scripts: {page}");
    for reference in references {
        assert!(reference.starts_with("/graphiql-assets/"), "{reference} is not ours");
        let response = app.client.get(format!("{}{reference}", app.address)).send().await.expect("sent");
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = response.bytes().await.expect("body");
        assert!(content_type.as_deref().is_some_and(|t| t.starts_with("text/javascript") || t.starts_with("text/css")));
        assert!(body.len() > 200, "{reference} has content");
    }
    let unknown = app.client.get(format!("{}/graphiql-assets/evil.js", app.address)).send().await.expect("sent");
    assert_eq!(unknown.status().as_u16(), 404);
}

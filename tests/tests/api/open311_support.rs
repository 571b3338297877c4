//! Shared helpers for the Open311 tests: a hotline partner with the `open311` scope over the demo city,
//! and the GeoReport v2 calls in either format.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gongzhi_tests::TestApp;
use serde_json::{Value, json};

use crate::partners_support::{REGISTER, Registered, city};

pub const BASE: &str = "/open311/v2";

/// Registers a partner with the given scopes (GraphQL enum names) over `scope`; it must succeed.
pub async fn register_scoped(app: &TestApp, admin: &str, name: &str, scope: &str, scopes: &[&str]) -> Registered {
    let input = json!({ "name": name, "kind": "CITY_SYSTEM", "scopePlaceId": scope, "scopes": scopes });
    let body = app.gql(Some(admin), REGISTER, json!({ "input": input })).await;
    let issued = &body["data"]["registerPartner"];
    let field = |name: &str| issued[name].as_str().unwrap_or_else(|| panic!("registration failed: {body}")).to_owned();
    Registered {
        id: issued["partner"]["id"].as_str().unwrap_or_else(|| panic!("no partner id: {body}")).to_owned(),
        client_id: field("clientId"),
        client_secret: field("clientSecret"),
        body: body.clone(),
    }
}

/// The 12345 hotline over the whole demo city, with only the `open311` scope.
pub async fn hotline(app: &TestApp) -> Registered {
    let admin = app.login_as("city_admin").await;
    let city = city(app, &admin).await;
    register_scoped(app, &admin, "12345市民热线", &city, &["OPEN311"]).await
}

pub fn url(app: &TestApp, path: &str) -> String {
    format!("{}{BASE}/{path}", app.address)
}

/// A GET with the query pairs given; the status, the content type and the body as text.
pub async fn get(app: &TestApp, path: &str, query: &[(&str, &str)]) -> (u16, String, String) {
    let response = app.client.get(url(app, path)).query(query).send().await.expect("open311 GET sent");
    read(response).await
}

/// A POST of a form.
pub async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let response = app
        .client
        .post(url(app, path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(form))
        .send()
        .await
        .expect("open311 POST sent");
    read(response).await
}

/// `application/x-www-form-urlencoded`, every byte but unreserved ones percent-encoded.
pub fn form_body(form: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    form.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

async fn read(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, content_type, response.text().await.expect("body"))
}

pub fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// The topic's global id, for staff's GraphQL steps on a request filed through Open311.
pub fn topic_global_id(service_request_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("Topic:{service_request_id}"))
}

/// The uuid inside a global id, as Open311's `address_id` and `jurisdiction_id` take it.
pub fn raw_id(global: &str) -> String {
    let bytes = URL_SAFE_NO_PAD.decode(global).expect("a global id");
    let text = String::from_utf8(bytes).expect("utf-8");
    text.split_once(':').expect("kind:uuid").1.to_owned()
}

//! Shared helpers for the API partner tests: registering a partner as the city administrator, the token
//! endpoint with each way of sending credentials, and partners' GraphQL requests.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use gongzhi_tests::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

use crate::pipeline_support::{Demo, DemoTopics, demo, demo_topics};

pub const REGISTER: &str = "mutation($input: RegisterPartnerInput!) {
  registerPartner(input: $input) {
    clientId clientSecret
    partner { id name kind clientId ratePoints effectiveRatePoints enabled createdAt secretRotatedAt disabledAt scope { id name } }
  }
}";
pub const ROTATE: &str = "mutation($id: ID!) { rotatePartnerSecret(id: $id) { ok refusal { code } credentials { clientId clientSecret partner { secretRotatedAt } } } }";
pub const DISABLE: &str = "mutation($id: ID!) { disablePartner(id: $id) { id enabled disabledAt } }";
pub const PARTNERS: &str = "{ partners { id name kind clientId enabled ratePoints scope { name } } }";
/// The feed a partner reads: public fields only.
pub const FEED: &str = "query($p: ID!) { topics(placeId: $p, first: 50) { edges { node { id title stage coSignCount place { name } category { code } } } } }";
pub const COUNTS: &str = "query($p: ID!) { topicCounts(placeId: $p) { stage count } }";
pub const TOPIC: &str = "query($id: ID!) { node(id: $id) { ... on Topic { id title stateCode submitter { id }
  timeline { kind visibility actor { id } } } } }";

/// A registered partner and its credential.
pub struct Registered {
    pub id: String,
    pub client_id: String,
    pub client_secret: String,
    pub body: Value,
}

/// Registers a partner as `admin` over `scope`; it must succeed.
pub async fn register(app: &TestApp, admin: &str, name: &str, scope: &str, rate_points: Option<i64>) -> Registered {
    let input = json!({ "name": name, "kind": "CITY_SYSTEM", "scopePlaceId": scope, "ratePoints": rate_points });
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

pub fn token_url(app: &TestApp) -> String {
    format!("{}/oauth/token", app.address)
}

/// The form body of a client-credentials request.
pub fn form(client_id: &str, client_secret: &str) -> String {
    format!("grant_type=client_credentials&client_id={client_id}&client_secret={client_secret}")
}

/// POSTs a form-encoded body to the token endpoint.
pub async fn token_request(app: &TestApp, body: String, lang: Option<&str>) -> reqwest::Response {
    let mut request =
        app.client.post(token_url(app)).header("content-type", "application/x-www-form-urlencoded").body(body);
    if let Some(lang) = lang {
        request = request.header("accept-language", lang);
    }
    request.send().await.expect("token request sent")
}

/// The same with HTTP Basic credentials and only the grant type in the body.
pub async fn token_request_basic(app: &TestApp, client_id: &str, client_secret: &str) -> reqwest::Response {
    let credentials = STANDARD.encode(format!("{client_id}:{client_secret}"));
    app.client
        .post(token_url(app))
        .header("authorization", format!("Basic {credentials}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("token request sent")
}

/// A partner's access token; the exchange must succeed.
pub async fn partner_token(app: &TestApp, partner: &Registered) -> String {
    let response = token_request(app, form(&partner.client_id, &partner.client_secret), None).await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON token response");
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap_or_else(|| panic!("no token: {body}")).to_owned()
}

/// The demo world on SQLite with its topics, and a partner over 锦绣花园 holding a token.
pub struct CompoundPartner {
    pub app: TestApp,
    pub places: Demo,
    pub topics: DemoTopics,
    pub token: String,
}

pub async fn compound_partner() -> CompoundPartner {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let partner = register(&app, &admin, "锦绣智慧社区", &places.jinxiu, None).await;
    let token = partner_token(&app, &partner).await;
    CompoundPartner { app, places, topics, token }
}

/// The global id of the demo city, 邯郸市.
pub async fn city(app: &TestApp, token: &str) -> String {
    let body = app.gql(Some(token), "{ cities(first: 10) { edges { node { id name } } } }", json!({})).await;
    body["data"]["cities"]["edges"]
        .as_array()
        .and_then(|edges| edges.iter().find(|e| e["node"]["name"] == "邯郸市"))
        .and_then(|e| e["node"]["id"].as_str())
        .unwrap_or_else(|| panic!("no demo city: {body}"))
        .to_owned()
}

/// The titles of a feed response.
pub fn titles(feed: &Value) -> Vec<String> {
    gongzhi_tests::graphql::feed_field(feed, "title")
}

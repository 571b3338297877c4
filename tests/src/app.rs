//! The application under test, on port 0 with its own database, fake WeChat and mock clock.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use gongzhi_api::config::Settings;
use gongzhi_api::startup::Application;
use gongzhi_domain::clock::MockClock;
use serde_json::{Value, json};

use crate::backend::{Backend, TestDb};
use crate::fake_wechat::FakeWeChat;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Arc<MockClock>,
    pub wechat: FakeWeChat,
    pub settings: Settings,
    /// The app's own store (same database and clock), for driving the scheduler's rules.
    pub store: gongzhi_infra::Store,
    pub db: TestDb,
    /// How many messages the app's own delivery worker sent (with `worker_in_serve`).
    pub sent: tokio::sync::watch::Receiver<u64>,
    /// The app's content gate, for driving the retry round of held submissions on the mock clock.
    pub content: gongzhi_infra::content::ContentGate,
}

/// The demo world on a fresh database of this backend; `None` when the backend is unavailable outside CI.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    let db = TestDb::create(backend).await?;
    let wechat = FakeWeChat::start().await;
    let mut settings = Settings {
        bind: "127.0.0.1:0".into(),
        http_workers: Some(1),
        database_url: Some(db.url.clone()),
        database_max_connections: 5,
        ..Settings::default()
    };
    settings.wechat.api_base = wechat.base.clone();
    settings.wechat.timeout_ms = 500;
    // Tests drive the deadline rules themselves through `store.supervise`, on the mock clock.
    settings.pipeline.supervise_every_seconds = 0;
    settings.uploads_dir = db_dir_for_uploads(&db);
    // Tests run their own delivery workers against a fake gateway; the app's would race them.
    settings.outbox.worker_in_serve = false;
    settings.outbox.log_path = format!("{}/outbox.jsonl", settings.uploads_dir);
    // Each app has its own Redis keys, so tests sharing one Redis never see each other's; tests of several
    // instances set one prefix for all of them.
    settings.redis_prefix = format!("gongzhi-test-{}:", db.id());
    // Every test's people come from one address, and the mock clock keeps them in one window: budgets
    // large enough never to matter, except in the rate-limit tests, which set small ones.
    settings.rate_limits.person_points = 10_000_000;
    settings.rate_limits.ip_points = 10_000_000;
    settings.rate_limits.partner_points = 10_000_000;
    configure(&mut settings);
    let start = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().expect("valid time");
    let clock = Arc::new(MockClock::new(start));
    let app = Application::build_with_clock(settings.clone(), clock.clone()).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let store = app.state().store.clone();
    let sent = app.state().metrics.delivery.watch_sent();
    let content = app.state().content.clone();
    tokio::spawn(app.run_until_stopped());
    Some(TestApp { address, client: reqwest::Client::new(), clock, wechat, settings, store, db, sent, content })
}

impl TestApp {
    /// Waits until the app's own delivery worker has sent `count` messages, woken by each one; false if
    /// it had not within `limit`, which only keeps a broken test from hanging.
    pub async fn sent_at_least(&self, count: u64, limit: std::time::Duration) -> bool {
        let mut sent = self.sent.clone();
        tokio::time::timeout(limit, sent.wait_for(|n| *n >= count)).await.is_ok_and(|waited| waited.is_ok())
    }

    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.address)
    }

    /// POSTs a GraphQL request, with a bearer token when given.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.gql_lang(token, query, variables, None).await
    }

    /// POSTs with extra headers and returns the raw response.
    pub async fn post_with(
        &self,
        token: &str,
        query: &str,
        variables: Value,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.graphql_url())
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request sent")
    }

    pub async fn gql_lang(&self, token: Option<&str>, query: &str, variables: Value, lang: Option<&str>) -> Value {
        let mut request = self.client.post(self.graphql_url()).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(lang) = lang {
            request = request.header("accept-language", lang);
        }
        let response = request.send().await.expect("request sent");
        response.json().await.expect("JSON response")
    }

    /// Asserts the server is up and answering: `{ __typename }` and `/healthz`, as after a hostile request.
    pub async fn still_answers(&self) {
        let response = self.client.post(self.graphql_url()).json(&json!({ "query": "{ __typename }" })).send();
        let response = response.await.expect("the server answers");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("a JSON answer");
        assert_eq!((status, &body["data"]["__typename"]), (200, &json!("Query")), "{body}");
        let health = self.client.get(format!("{}/healthz", self.address)).send().await.expect("healthz");
        assert_eq!(health.status().as_u16(), 200);
    }

    /// Logs in as a demo person and returns the access token.
    pub async fn login_as(&self, handle: &str) -> String {
        self.login_tokens(handle).await.0
    }

    /// (access token, refresh token) for a demo person.
    pub async fn login_tokens(&self, handle: &str) -> (String, String) {
        let body = self
            .gql(
                None,
                "mutation($as: String!) { devLogin(as: $as) { accessToken refreshToken } }",
                json!({ "as": handle }),
            )
            .await;
        let login = &body["data"]["devLogin"];
        let access = login["accessToken"].as_str().unwrap_or_else(|| panic!("devLogin failed: {body}"));
        (access.to_owned(), login["refreshToken"].as_str().unwrap_or_default().to_owned())
    }

    /// The global id of a place found by walking names from the city down, e.g. ["和平社区", "锦绣花园"].
    pub async fn place_id(&self, token: &str, path: &[&str]) -> String {
        let body = self.gql(Some(token), "{ cities(first: 10) { edges { node { id name } } } }", json!({})).await;
        let mut nodes: Vec<Value> = body["data"]["cities"]["edges"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e["node"].clone())
            .collect();
        let mut current = nodes.iter().find(|n| n["name"] == "邯郸市").cloned().expect("demo city");
        let full: Vec<&str> = ["丛台区", "中华大街街道"].into_iter().chain(path.iter().copied()).collect();
        for name in full {
            let body = self
                .gql(
                    Some(token),
                    "query($id: ID!) { place(id: $id) { children(first: 100) { edges { node { id name } } } } }",
                    json!({ "id": current["id"] }),
                )
                .await;
            nodes = body["data"]["place"]["children"]["edges"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e["node"].clone())
                .collect();
            current =
                nodes.iter().find(|n| n["name"] == name).cloned().unwrap_or_else(|| panic!("no place {name}: {body}"));
        }
        current["id"].as_str().expect("id").to_owned()
    }
}

/// Uploads go beside the test's database, so each test has its own and nothing is left in the tree.
fn db_dir_for_uploads(db: &TestDb) -> String {
    std::env::temp_dir().join(format!("gongzhi-uploads-{}", db.id())).display().to_string()
}

/// The logged-in person's global id.
pub async fn person_id(app: &TestApp, token: &str) -> String {
    let body = app.gql(Some(token), "{ me { id } }", json!({})).await;
    body["data"]["me"]["id"].as_str().unwrap_or_else(|| panic!("no me: {body}")).to_owned()
}

/// The id of the demo topic under 和平社区 whose title contains `needle`, as `staff` sees it.
pub async fn demo_topic(app: &TestApp, staff: &str, needle: &str) -> String {
    let community = app.place_id(staff, &["和平社区"]).await;
    let body = app
        .gql(
            Some(staff),
            "query($p: ID!) { topics(placeId: $p, first: 100) { edges { node { id title } } } }",
            json!({ "p": community }),
        )
        .await;
    let edges = body["data"]["topics"]["edges"].as_array().cloned().unwrap_or_else(|| panic!("no topics: {body}"));
    edges
        .iter()
        .find(|e| e["node"]["title"].as_str().is_some_and(|t| t.contains(needle)))
        .unwrap_or_else(|| panic!("no demo topic {needle}: {body}"))["node"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

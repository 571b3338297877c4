//! More instances of an app under test: the same settings (database, Redis and its key prefix, JWT keys)
//! and clock, on a port of their own, as a second server behind a load balancer would be.

use gongzhi_api::startup::Application;
use serde_json::{Value, json};

use crate::backend::service_url;
use crate::{Backend, TestApp, spawn_app_with};

pub struct Instance {
    pub address: String,
    pub client: reqwest::Client,
}

/// An app on PostgreSQL and another instance of it, both on the Redis of `TEST_REDIS_URL` under a key
/// prefix of their own; `None` where there is none (which fails under CI, see `service_url`).
pub async fn two_on_one_redis() -> Option<(TestApp, Instance)> {
    let redis = service_url("TEST_REDIS_URL")?;
    let prefix = format!("gongzhi-test-{}:", uuid::Uuid::new_v4());
    let first = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(redis.clone());
        s.redis_prefix = prefix.clone();
    })
    .await?;
    let second = another_instance(&first).await;
    Some((first, second))
}

/// Another instance of `app`, sharing its database, its Redis prefix and its clock.
pub async fn another_instance(app: &TestApp) -> Instance {
    another_instance_with(app, |_| {}).await
}

/// `another_instance` with settings of its own (`configure` is given `app`'s).
pub async fn another_instance_with(
    app: &TestApp,
    configure: impl FnOnce(&mut gongzhi_api::config::Settings),
) -> Instance {
    let mut settings = app.settings.clone();
    configure(&mut settings);
    settings.seed_demo = false;
    let built = Application::build_with_clock(settings, app.clock.clone()).await.expect("second instance builds");
    let address = format!("http://127.0.0.1:{}", built.port());
    tokio::spawn(built.run_until_stopped());
    Instance { address, client: reqwest::Client::new() }
}

impl Instance {
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.post(token, query, variables).await.json().await.expect("JSON response")
    }
}

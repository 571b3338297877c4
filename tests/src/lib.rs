//! Shared helpers for the integration tests: a fresh database per test (SQLite file or PostgreSQL
//! database), the app on port 0, and fake outside services as real HTTP servers on loopback.

pub mod app;
pub mod backend;
pub mod fake_dns;
pub mod fake_gateway;
pub mod fake_wechat;
pub mod graphql;
pub mod instances;
pub mod live;
pub mod logs;
pub mod production;
pub mod s3_server;
pub mod tcp_proxy;

pub use app::{TestApp, spawn_app, spawn_app_with};
pub use backend::{Backend, TestDb};

/// Writes a test once and runs it on SQLite and on PostgreSQL: `on_both!(name, |backend| async move { … })`
/// expands to `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($crate::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)($crate::Backend::Postgres).await
            }
        }
    };
}

/// A store on a fresh, migrated database with the demo world, for repository tests.
pub async fn demo_store(backend: Backend) -> Option<(gongzhi_infra::Store, TestDb)> {
    demo_store_on_clock(backend).await.map(|(store, _, db)| (store, db))
}

/// `demo_store` with the mock clock it runs on (2026-11-22 08:00 UTC), for tests that move time.
pub async fn demo_store_on_clock(
    backend: Backend,
) -> Option<(gongzhi_infra::Store, std::sync::Arc<gongzhi_domain::clock::MockClock>, TestDb)> {
    use chrono::TimeZone;
    let db = TestDb::create(backend).await?;
    let start = chrono::Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single()?;
    let clock = std::sync::Arc::new(gongzhi_domain::clock::MockClock::new(start));
    let settings = gongzhi_api::config::Settings { database_url: Some(db.url.clone()), ..Default::default() };
    let store = gongzhi_api::startup::open_store(&settings, clock.clone()).await.expect("store opens");
    store.seed_demo().await.expect("demo seed");
    Some((store, clock, db))
}

/// The demo cast member with this handle (`rc_staff`, `city_admin`, …) as an actor with their grants.
pub async fn demo_actor(store: &gongzhi_infra::Store, handle: &str) -> gongzhi_domain::policy::Actor {
    let id = gongzhi_infra::demo::cast_id(handle).expect("demo handle");
    store.actor(id).await.expect("actor")
}

//! What every request handler shares.

use std::sync::Arc;

use gongzhi_infra::Store;
use gongzhi_infra::auth::JwtKeys;
use gongzhi_infra::redis_health::RedisHealth;
use gongzhi_infra::uploads::BlobStore;
use gongzhi_infra::wechat::WeChatClient;

use crate::config::Settings;
use crate::graphql::GongzhiSchema;
use crate::http::documents::QueryCaches;
use crate::metrics::Metrics;

pub struct AppState {
    pub settings: Settings,
    pub store: Store,
    pub keys: JwtKeys,
    pub wechat: WeChatClient,
    pub redis: Option<RedisHealth>,
    pub metrics: Metrics,
    /// Charges rate limits as it validates; for requests whose complexity is not yet known.
    pub schema: GongzhiSchema,
    /// The same without any extension; for requests charged before they run (`http::complexity`).
    pub plain_schema: GongzhiSchema,
    pub complexities: crate::http::complexity::Complexities,
    /// Whole feed responses kept per person (`http::responses`).
    pub responses: crate::http::responses::Responses,
    pub blobs: Arc<dyn BlobStore>,
    /// Mints and checks the signed links files are served under (`http::files`).
    pub links: gongzhi_infra::files::FileLinks,
    /// Persisted queries and parsed documents.
    pub queries: QueryCaches,
    pub limiter: crate::http::rate_limit::RateLimiter,
    /// Which partners' tokens are good (cached briefly; see `infra::partners::PartnerDirectory`).
    pub partners: gongzhi_infra::partners::PartnerDirectory,
    /// Where GraphQL requests execute, off the HTTP workers (`executor.rs`).
    pub executor: crate::executor::Executor,
    /// The demo profile's clock, which `advanceDemoClock` moves forward; `None` in production.
    pub demo_clock: Option<Arc<gongzhi_domain::clock::OffsetClock>>,
    /// Live updates: the bus subscriptions listen to, and the connections open (`live`).
    pub live: crate::live::LiveHub,
    /// The content check user text passes before others see it, and the held submissions' retries.
    pub content: gongzhi_infra::content::ContentGate,
}

pub type SharedState = Arc<AppState>;

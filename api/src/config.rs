//! Typed, layered configuration: defaults, then an optional TOML file (`GONGZHI_CONFIG`, default
//! `gongzhi.toml` if present), then environment variables. Tests build `Settings` directly.

use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Secrets the demo profile ships with. The production profile refuses to start while any is in use.
pub const DEMO_JWT_SECRET: &str = "gongzhi-demo-jwt-secret-do-not-use-in-production";
pub const DEMO_WECHAT_SECRET: &str = "demo-wechat-secret";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Embedded defaults, demo data, GraphiQL and dev login.
    #[default]
    Demo,
    /// No demo secrets, no dev login, no introspection, JSON logs.
    Production,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    pub bind: String,
    /// HTTP worker threads; one per core when unset.
    pub http_workers: Option<usize>,
    pub profile: Profile,
    /// PostgreSQL (`postgres://…`) or SQLite (`sqlite://…`); SQLite under `./data/` when unset.
    pub database_url: Option<String>,
    pub database_max_connections: u32,
    /// Redis for caches and rate limits; an in-process stand-in when unset.
    pub redis_url: Option<String>,
    /// Starts every Redis key, so that deployments (and tests) can share one Redis.
    pub redis_prefix: String,
    pub wechat: WeChatSettings,
    pub jwt: JwtSettings,
    /// Load the demo world on first start (demo profile only).
    pub seed_demo: bool,
    pub graphql: GraphQlSettings,
    pub pipeline: PipelineSettings,
    /// Where uploaded files are kept when no object store is configured (the local-disk blob store).
    pub uploads_dir: String,
    /// The S3-compatible object store, and the links files are served under (`GONGZHI_STORAGE__…`).
    #[serde(default)]
    pub storage: StorageSettings,
    #[serde(default)]
    pub cache: crate::read_path_settings::CacheSettings,
    #[serde(default)]
    pub rate_limits: crate::read_path_settings::RateLimitSettings,
    pub outbox: OutboxSettings,
    /// The event log's consumers (`GONGZHI_EVENTS__…`).
    #[serde(default)]
    pub events: crate::event_pump::EventSettings,
    #[serde(default)]
    pub partners: PartnerSettings,
    #[serde(default)]
    pub webhooks: WebhookSettings,
    #[serde(default)]
    pub metrics: MetricsSettings,
    /// Owners' votes (decision 49).
    #[serde(default)]
    pub votes: VoteSettings,
    /// Live updates: GraphQL subscriptions over WebSocket (`GONGZHI_LIVE__…`).
    #[serde(default)]
    pub live: crate::live::settings::LiveSettings,
    /// The three disclosures' deadlines (`GONGZHI_DISCLOSURES__…`, decision 103).
    #[serde(default)]
    pub disclosures: crate::disclosure_settings::DisclosureSettings,
    /// How long the access log and phone numbers are kept (`GONGZHI_PRIVACY__…`, decision 146).
    #[serde(default)]
    pub privacy: crate::privacy_settings::PrivacySettings,
    /// The content check user text passes before others see it (`GONGZHI_CONTENT__…`, decision 131).
    #[serde(default)]
    pub content: crate::content_settings::ContentSettings,
}

/// Uploaded files (`GONGZHI_STORAGE__…`): an S3-compatible object store when `bucket` is set, else the local
/// directory `uploads_dir`; and the signed links they are served under (`GET /files/<key>`, decision 56).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageSettings {
    /// `https://oss-cn-beijing.aliyuncs.com`, `http://127.0.0.1:9000`; AWS's endpoint for `region` when unset.
    pub endpoint: Option<String>,
    /// The bucket; files stay on local disk while it is unset.
    pub bucket: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    #[serde(serialize_with = "expose_optional")]
    pub secret_access_key: Option<SecretString>,
    /// `endpoint/bucket/key` requests (MinIO, most self-hosted servers) instead of `bucket.endpoint/key`.
    pub path_style: bool,
    pub timeout_ms: u64,
    /// How long a file link is good for at least (links are good for up to a sixth longer, so that a file
    /// shown again soon gets the same link and the client's cache holds).
    pub link_seconds: u64,
    /// The key links are signed with; derived from the active JWT key when unset. In production one set
    /// here must be as strong as a JWT key.
    #[serde(serialize_with = "expose_optional")]
    pub link_secret: Option<SecretString>,
    /// The origin links start with (`https://api.example.cn`), for a server behind a proxy that does not
    /// pass on `Host` and `X-Forwarded-Proto`; taken from each request when unset.
    pub public_url: Option<String>,
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self {
            endpoint: None,
            bucket: None,
            region: "us-east-1".into(),
            access_key_id: None,
            secret_access_key: None,
            path_style: false,
            timeout_ms: 10_000,
            link_seconds: 3_600,
            link_secret: None,
            public_url: None,
        }
    }
}

/// Who may read `/metrics` (`GONGZHI_METRICS__…`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricsSettings {
    /// When set, a scrape must send `Authorization: Bearer <token>`. The production profile serves
    /// `/metrics` only with one: what it shows (operations, error rates, the outbox) is not for the public.
    #[serde(serialize_with = "expose_optional")]
    pub token: Option<SecretString>,
}

/// API partners (`GONGZHI_PARTNERS__…`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnerSettings {
    /// How long an instance trusts what it read of a partner (enabled, its secret's version, its scope and
    /// budget) before reading it again: the bound on how long another instance still accepts a disabled
    /// partner's token or a rotated secret's token. 0 reads the partner on every request.
    pub cache_seconds: u64,
}

impl Default for PartnerSettings {
    fn default() -> Self {
        Self { cache_seconds: 10 }
    }
}

/// Partners' webhooks (`GONGZHI_WEBHOOKS__…`, decision 71).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookSettings {
    /// Lets endpoints on this machine (127/8, ::1, `localhost`) be registered and posted to: for tests and
    /// a partner's adapter on the same host. Private, link-local, metadata and the other internal
    /// addresses stay refused whatever this says.
    pub allow_loopback: bool,
}

/// Message delivery (docs/gateway.md). Without `gateway_url` messages go to the local log at `log_path`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutboxSettings {
    pub gateway_url: Option<String>,
    #[serde(serialize_with = "expose_optional")]
    pub gateway_secret: Option<SecretString>,
    pub log_path: String,
    /// Whether `gongzhi serve` delivers too; off when separate `gongzhi worker` processes do.
    pub worker_in_serve: bool,
    /// The most messages sent in any one second, per worker process.
    pub per_second: u32,
    pub max_attempts: u32,
    pub backoff_base_ms: u64,
    pub backoff_cap_ms: u64,
    pub batch: u32,
    pub concurrency: usize,
    pub lease_seconds: u64,
    pub timeout_ms: u64,
    pub idle_ms: u64,
    pub breaker_failures: u32,
    pub breaker_cool_down_seconds: u64,
    /// Transient failures in a row that open one partner endpoint's circuit (decision 160).
    #[serde(default = "endpoint_breaker_failures")]
    pub endpoint_breaker_failures: u32,
    /// How long an endpoint's open circuit holds its messages before the next probe.
    #[serde(default = "endpoint_cool_down_seconds")]
    pub endpoint_cool_down_seconds: u64,
    /// WeChat subscribe-message template id per notification kind (`topic_accepted = "AbC…"`).
    pub templates: std::collections::BTreeMap<String, String>,
}

const fn endpoint_breaker_failures() -> u32 {
    5
}

const fn endpoint_cool_down_seconds() -> u64 {
    60
}

/// Owners' votes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct VoteSettings {
    /// How many owners one proxy may vote for in one vote (at least 1).
    pub proxy_cap: u32,
}

impl Default for VoteSettings {
    fn default() -> Self {
        Self { proxy_cap: gongzhi_domain::vote::ProxyCap::DEFAULT.get() }
    }
}

/// Deadlines of the pipeline, in days.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct PipelineSettings {
    /// Triage must decide within this many days of submission (or escalation).
    pub triage_days: u16,
    /// The outcome must be published within this many days of completion.
    pub publication_days: u16,
    /// The submitter may confirm or dispute a finished service request for this many days.
    pub service_confirmation_days: u16,
    /// Residents may rate a published outcome for this many days.
    pub rating_days: u16,
    /// Days from a task's due date to the warning letter, and from the warning to escalation.
    pub letter_grace_days: u16,
    /// How often the in-process scheduler applies the deadline rules; 0 turns it off (tests drive it).
    pub supervise_every_seconds: u64,
}

impl PipelineSettings {
    pub fn deadlines(&self) -> Result<gongzhi_domain::topic::Deadlines, gongzhi_domain::topic::TopicError> {
        gongzhi_domain::topic::Deadlines::new(gongzhi_domain::topic::DeadlineDays {
            triage: self.triage_days,
            publication: self.publication_days,
            service_confirmation: self.service_confirmation_days,
            rating: self.rating_days,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeChatSettings {
    pub api_base: String,
    pub app_id: String,
    #[serde(serialize_with = "expose")]
    pub app_secret: SecretString,
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JwtSettings {
    pub issuer: String,
    pub audience: String,
    /// The `kid` that signs new tokens.
    pub active_kid: String,
    /// Every accepted key as `kid:secret`, comma-separated, so a key can be rotated in before the old one is
    /// retired. Secrets need at least 32 bytes.
    #[serde(serialize_with = "expose")]
    pub keys: SecretString,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GraphQlSettings {
    pub max_depth: usize,
    pub max_complexity: usize,
    /// Selections a document may expand to, fragments spread out (`http::document_bounds`).
    #[serde(default = "default_max_selections")]
    pub max_selections: u64,
    /// The longest query text accepted; longer ones are refused before they are parsed.
    #[serde(default = "default_max_query_bytes")]
    pub max_query_bytes: usize,
    pub timeout_ms: u64,
    pub max_body_bytes: usize,
    /// A multipart request carrying one file may be this large (a photo is at most 5 MiB, a document 20).
    pub max_upload_bytes: usize,
}

fn default_max_selections() -> u64 {
    2_000
}

fn default_max_query_bytes() -> usize {
    64 * 1024
}

fn expose_optional<S: serde::Serializer>(secret: &Option<SecretString>, serializer: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose_secret()),
        None => serializer.serialize_none(),
    }
}

fn expose<S: serde::Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose_secret())
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            http_workers: None,
            profile: Profile::Demo,
            database_url: None,
            database_max_connections: 10,
            redis_url: None,
            redis_prefix: "gongzhi:".into(),
            wechat: WeChatSettings {
                api_base: "https://api.weixin.qq.com".into(),
                app_id: "wx-demo-app".into(),
                app_secret: DEMO_WECHAT_SECRET.into(),
                timeout_ms: 5_000,
            },
            jwt: JwtSettings {
                issuer: "gongzhi".into(),
                audience: "gongzhi-api".into(),
                active_kid: "demo".into(),
                keys: format!("demo:{DEMO_JWT_SECRET}").into(),
            },
            seed_demo: true,
            graphql: GraphQlSettings {
                max_depth: 10,
                max_complexity: 2_000,
                max_selections: default_max_selections(),
                max_query_bytes: default_max_query_bytes(),
                timeout_ms: 10_000,
                max_body_bytes: 1024 * 1024,
                max_upload_bytes: 21 * 1024 * 1024,
            },
            uploads_dir: "data/uploads".into(),
            storage: Default::default(),
            outbox: OutboxSettings {
                gateway_url: None,
                gateway_secret: None,
                log_path: "data/outbox.jsonl".into(),
                worker_in_serve: true,
                per_second: 50,
                max_attempts: 12,
                backoff_base_ms: 1_000,
                backoff_cap_ms: 600_000,
                batch: 100,
                concurrency: 16,
                lease_seconds: 60,
                timeout_ms: 10_000,
                idle_ms: 500,
                breaker_failures: 5,
                breaker_cool_down_seconds: 30,
                endpoint_breaker_failures: endpoint_breaker_failures(),
                endpoint_cool_down_seconds: endpoint_cool_down_seconds(),
                templates: Default::default(),
            },
            pipeline: PipelineSettings {
                triage_days: 5,
                publication_days: 7,
                service_confirmation_days: 7,
                rating_days: 14,
                letter_grace_days: 3,
                supervise_every_seconds: 60,
            },
            cache: Default::default(),
            rate_limits: Default::default(),
            events: Default::default(),
            partners: Default::default(),
            webhooks: Default::default(),
            metrics: Default::default(),
            votes: Default::default(),
            live: Default::default(),
            disclosures: Default::default(),
            privacy: Default::default(),
            content: Default::default(),
        }
    }
}

impl Settings {
    /// Reads the layers. Unprefixed variables for the conventional names; everything else as
    /// `GONGZHI_…` with `__` between levels (e.g. `GONGZHI_JWT__ACTIVE_KID`).
    pub fn load() -> Result<Self, Box<figment::Error>> {
        let file = std::env::var("GONGZHI_CONFIG").unwrap_or_else(|_| "gongzhi.toml".into());
        let conventional = Env::raw()
            .only(&[
                "DATABASE_URL",
                "REDIS_URL",
                "WECHAT_API_BASE",
                "WECHAT_APP_ID",
                "WECHAT_APP_SECRET",
                "GATEWAY_URL",
                "GATEWAY_SECRET",
            ])
            .map(|key| match key.as_str() {
                "GATEWAY_URL" => "outbox.gateway_url".into(),
                "GATEWAY_SECRET" => "outbox.gateway_secret".into(),
                "WECHAT_API_BASE" => "wechat.api_base".into(),
                "WECHAT_APP_ID" => "wechat.app_id".into(),
                "WECHAT_APP_SECRET" => "wechat.app_secret".into(),
                other => other.to_ascii_lowercase().into(),
            })
            .split(".");
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(conventional)
            .merge(Env::prefixed("GONGZHI_").split("__"))
            .extract()
            .map_err(Box::new)
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| gongzhi_infra::db::DEFAULT_SQLITE_URL.to_owned())
    }

    pub fn wechat_timeout(&self) -> Duration {
        Duration::from_millis(self.wechat.timeout_ms)
    }

    /// The S3 store's settings, when a bucket is configured.
    pub fn s3(&self) -> Option<gongzhi_infra::files::S3Settings> {
        let bucket = self.storage.bucket.clone()?;
        Some(gongzhi_infra::files::S3Settings {
            endpoint: self.storage.endpoint.clone(),
            bucket,
            region: self.storage.region.clone(),
            access_key_id: self.storage.access_key_id.clone().unwrap_or_default(),
            secret_access_key: self
                .storage
                .secret_access_key
                .as_ref()
                .map(|secret| secret.expose_secret().to_owned())
                .unwrap_or_default(),
            path_style: self.storage.path_style,
            timeout: Duration::from_millis(self.storage.timeout_ms),
        })
    }

    pub fn is_demo(&self) -> bool {
        self.profile == Profile::Demo
    }

    /// Refuses a production start that would run on demo or guessable secrets, and any start with settings
    /// that cannot work.
    pub fn check(&self) -> Result<(), String> {
        if self.profile == Profile::Production {
            if self.jwt.keys.expose_secret().contains(DEMO_JWT_SECRET) {
                return Err("the production profile refuses to start with the demo JWT key: set GONGZHI_JWT__KEYS and GONGZHI_JWT__ACTIVE_KID".into());
            }
            if self.wechat.app_secret.expose_secret() == DEMO_WECHAT_SECRET
                || self.wechat.app_secret.expose_secret().is_empty()
            {
                return Err("the production profile refuses to start with the demo WeChat secret: set WECHAT_APP_ID and WECHAT_APP_SECRET".into());
            }
            // The local log sink would "deliver" every message to a file nobody reads.
            if self.outbox.gateway_url.is_none() {
                return Err(
                    "the production profile needs a messaging gateway: set GATEWAY_URL and GATEWAY_SECRET".into()
                );
            }
        }
        crate::secret_strength::refuse_weak_secrets(self)?;
        if self.outbox.gateway_url.is_some()
            && self.outbox.gateway_secret.as_ref().is_none_or(|s| s.expose_secret().len() < 16)
        {
            return Err("GATEWAY_URL is set but GATEWAY_SECRET is missing or shorter than 16 characters".into());
        }
        if let Some(bucket) = &self.storage.bucket
            && (bucket.is_empty() || self.storage.access_key_id.is_none() || self.storage.secret_access_key.is_none())
        {
            return Err("GONGZHI_STORAGE__BUCKET is set: set GONGZHI_STORAGE__ACCESS_KEY_ID and \
                        GONGZHI_STORAGE__SECRET_ACCESS_KEY too (the store never looks for credentials elsewhere)"
                .into());
        }
        // A worker holds back every send its lease would not outlast, so with such a lease nothing is ever sent.
        if self.outbox.lease_seconds.saturating_mul(1000) <= self.outbox.timeout_ms {
            return Err(format!(
                "GONGZHI_OUTBOX__LEASE_SECONDS ({} s) must be longer than GONGZHI_OUTBOX__TIMEOUT_MS ({} ms): a \
                 message's lease must outlast the gateway's timeout, or no message is ever sent",
                self.outbox.lease_seconds, self.outbox.timeout_ms
            ));
        }
        Ok(())
    }
}

//! Building and running the application: connect, migrate, seed (demo), then serve. Tests build the same
//! `Application` on port 0 with their own settings and clock.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::HttpMessage;
use actix_web::dev::Server;
use actix_web::dev::Service;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use gongzhi_domain::clock::{Clock, OffsetClock, SystemClock};
use gongzhi_infra::Store;
use gongzhi_infra::auth::{JwtKey, JwtKeys};
use gongzhi_infra::db::{self, DbSettings};
use gongzhi_infra::persisted_queries::SharedQueryTexts;
use gongzhi_infra::redis_health::RedisHealth;
use gongzhi_infra::wechat::WeChatClient;
use secrecy::ExposeSecret;
use tracing_actix_web::{RequestId, TracingLogger};

use crate::config::Settings;
use crate::http::documents::QueryCaches;
use crate::metrics::Metrics;
use crate::state::{AppState, SharedState};

pub struct Application {
    port: u16,
    server: Server,
    state: SharedState,
    /// Stops the in-process delivery worker when the application is dropped or stopped.
    _delivery: Option<tokio::sync::watch::Sender<bool>>,
    /// Stops the event log's consumers likewise.
    _pump: Option<gongzhi_infra::event_log::PumpHandle>,
    /// Stops telling other instances of this one's commits (decision 88).
    _wake: Option<gongzhi_infra::live::LogWake>,
}

/// Parses `kid:secret,kid2:secret2`.
pub fn jwt_keys(settings: &Settings) -> anyhow::Result<JwtKeys> {
    let keys = settings
        .jwt
        .keys
        .expose_secret()
        .split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (kid, secret) = pair.trim().split_once(':').context("each JWT key must be written kid:secret")?;
            Ok(JwtKey { kid: kid.to_owned(), secret: secret.to_owned().into() })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    JwtKeys::new(settings.jwt.issuer.clone(), settings.jwt.audience.clone(), settings.jwt.active_kid.clone(), keys)
        .map_err(anyhow::Error::msg)
}

/// Connects to the database and runs the migrations.
pub async fn open_store(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Store> {
    let db_settings = DbSettings {
        url: settings.database_url(),
        max_connections: settings.database_max_connections,
        acquire_timeout: std::time::Duration::from_secs(5),
    };
    let deadlines = settings.pipeline.deadlines().map_err(|e| anyhow::anyhow!("pipeline deadlines: {e}"))?;
    let connection = db::connect(&db_settings).await.context("cannot connect to the database")?;
    db::migrate(&connection).await.context("migrations failed")?;
    let proxy_cap = gongzhi_domain::vote::ProxyCap::new(settings.votes.proxy_cap)
        .map_err(|e| anyhow::anyhow!("GONGZHI_VOTES__PROXY_CAP: {e}"))?;
    let webhook_targets = gongzhi_infra::outbox::WebhookTargets::system(settings.webhooks.allow_loopback);
    Ok(Store::new(connection, clock)
        .with_deadlines(deadlines)
        .with_proxy_cap(proxy_cap)
        .with_webhook_targets(webhook_targets))
}

/// Where uploaded files live: the S3-compatible store when a bucket is configured, else the local directory.
fn blob_store(settings: &Settings) -> anyhow::Result<Arc<dyn gongzhi_infra::uploads::BlobStore>> {
    Ok(match settings.s3() {
        Some(s3) => Arc::new(gongzhi_infra::files::S3Store::new(&s3).context("cannot set up the S3 file store")?),
        None => Arc::new(gongzhi_infra::uploads::LocalDisk::new(&settings.uploads_dir)),
    })
}

/// File links are signed with `GONGZHI_STORAGE__LINK_SECRET`, or else with a key derived from the active JWT
/// key, which the production profile already requires to be strong.
fn file_links(settings: &Settings) -> anyhow::Result<gongzhi_infra::files::FileLinks> {
    let lifetime = settings.storage.link_seconds;
    if let Some(secret) = &settings.storage.link_secret {
        return Ok(gongzhi_infra::files::FileLinks::new(secret.expose_secret().as_bytes(), lifetime));
    }
    let keys = settings.jwt.keys.expose_secret();
    let active = keys
        .split(',')
        .filter_map(|pair| pair.trim().split_once(':'))
        .find(|(kid, _)| *kid == settings.jwt.active_kid)
        .map(|(_, secret)| secret)
        .context("GONGZHI_JWT__ACTIVE_KID names none of GONGZHI_JWT__KEYS")?;
    Ok(gongzhi_infra::files::FileLinks::new(active.as_bytes(), lifetime))
}

/// The in-process scheduler: applies the pipeline's deadline rules (letters, escalation, default
/// confirmation, closing ratings) on the store's clock, every `supervise_every_seconds`.
fn spawn_scheduler(state: &SharedState) {
    let every = state.settings.pipeline.supervise_every_seconds;
    if every == 0 {
        return;
    }
    let store = state.store.clone();
    let demo_clock = state.demo_clock.clone();
    let grace = chrono::Duration::days(i64::from(state.settings.pipeline.letter_grace_days));
    let disclosure_rules = state.settings.disclosures.rules();
    let retention = state.settings.privacy.retention();
    let export_days = state.settings.privacy.export_days;
    let export_blobs = state.blobs.clone();
    let content = state.content.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(every));
        loop {
            ticks.tick().await;
            // Another instance may have moved the demo's clock: follow it before judging deadlines.
            if let Some(clock) = &demo_clock {
                match store.demo_clock_offset().await {
                    Ok(offset) => clock.catch_up(offset),
                    Err(err) => tracing::warn!(error = %err, "the demo clock's offset could not be read"),
                }
            }
            match store.supervise(grace).await {
                Ok(report) if report != Default::default() => tracing::info!(?report, "deadline rules applied"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "the scheduler's round failed; it runs again next tick"),
            }
            match store.supervise_disclosures(&disclosure_rules).await {
                Ok(report) if report != Default::default() => tracing::info!(?report, "disclosure letters sent"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "the disclosures' round failed; it runs again next tick"),
            }
            // Surveys past their close lose the key that ties answers to households (decision 110).
            if let Err(err) = store.close_due_surveys().await {
                tracing::warn!(error = %err, "closing due surveys failed; it runs again next tick");
            }
            // Access-log rows and phone numbers past their keeping (decision 146).
            match store.purge_old_exports(export_blobs.as_ref(), export_days).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "old export archives deleted"),
                Err(err) => tracing::warn!(error = %err, "deleting old exports failed; it runs again next tick"),
            }
            match store.apply_retention(&retention).await {
                Ok(report) if report != Default::default() => tracing::info!(?report, "retention applied"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "the retention round failed; it runs again next tick"),
            }
            // Submissions whose content check could not be made are checked again (decision 130).
            match content.recheck_due().await {
                Ok(report) if report != Default::default() => tracing::info!(?report, "held submissions rechecked"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "the content recheck failed; it runs again next tick"),
            }
        }
    });
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        settings.check().map_err(anyhow::Error::msg)?;
        let keys = jwt_keys(&settings)?;
        // The demo runs on a clock an administrator can move forward (`advanceDemoClock`); the store hands
        // it to every reader of time: deadlines, the scheduler, the delivery worker and token expiry.
        let demo_clock = settings.is_demo().then(|| Arc::new(OffsetClock::new(clock.clone())));
        let clock: Arc<dyn Clock> = match &demo_clock {
            Some(demo) => demo.clone(),
            None => clock,
        };
        let redis_link = crate::read_path::redis_link(&settings, &clock)?;
        let store = open_store(&settings, clock.clone())
            .await?
            .with_cache(crate::read_path::read_cache(&settings, &redis_link))
            .with_authority_cache(crate::read_path::authority_cache(&settings, &clock));
        if let Some(demo) = &demo_clock {
            // The time a trainer moved to outlasts a restart and is shared by every instance (decision 83).
            demo.catch_up(store.demo_clock_offset().await.context("cannot read the demo clock's offset")?);
        }
        let queries = QueryCaches::new(
            redis_link.clone().map(SharedQueryTexts::new),
            crate::http::document_bounds::Limits::of(&settings),
        );
        let live = crate::live::LiveHub::new(crate::read_path::live_bus(&settings, &redis_link).await);
        let wake = crate::read_path::log_wake(&redis_link, &store).await;
        let limiter = crate::http::rate_limit::RateLimiter::new(settings.rate_limits.clone(), redis_link.clone());
        let partners = gongzhi_infra::partners::PartnerDirectory::new(
            store.clone(),
            std::time::Duration::from_secs(settings.partners.cache_seconds),
        );
        if settings.is_demo() && settings.seed_demo && store.seed_demo().await.context("demo seed failed")? {
            tracing::info!("demo world loaded: query `demoCast` and log in with devLogin(as: \"rc_staff\")");
        }
        let wechat = WeChatClient::new(
            &settings.wechat.api_base,
            &settings.wechat.app_id,
            settings.wechat.app_secret.clone(),
            settings.wechat_timeout(),
        )
        .context("cannot build the WeChat client")?;
        let content = gongzhi_infra::content::ContentGate::new(
            store.clone(),
            crate::content_settings::content_check(&settings, &clock, &redis_link)?,
        );
        let redis =
            settings.redis_url.as_deref().map(RedisHealth::new).transpose().context("REDIS_URL is not a Redis URL")?;
        let schema = crate::graphql::build(&settings);
        let plain_schema = crate::graphql::build_plain(&settings);
        let listener = TcpListener::bind(&settings.bind).with_context(|| format!("cannot bind {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let blobs = blob_store(&settings)?;
        let links = file_links(&settings)?;
        let responses = crate::read_path::responses(&settings, &clock);
        let threads =
            settings.http_workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from));
        let executor = crate::executor::Executor::new(threads).context("cannot start the GraphQL executor")?;
        let state: SharedState = Arc::new(AppState {
            metrics: Metrics::new()?,
            settings,
            store,
            keys,
            wechat,
            redis,
            schema,
            plain_schema,
            complexities: Default::default(),
            responses,
            blobs,
            links,
            queries,
            limiter,
            partners,
            executor,
            demo_clock,
            live,
            content,
        });
        let max_body = state.settings.graphql.max_body_bytes;
        let data = web::Data::new(state.clone());
        let workers = state.settings.http_workers;
        let mut server = HttpServer::new(move || {
            App::new()
                // Registered before the logger so it runs inside it, where the request id already exists.
                .wrap_fn(|request, service| {
                    let id = request.extensions().get::<RequestId>().map(ToString::to_string);
                    let response = service.call(request);
                    async move {
                        let mut response = response.await?;
                        if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                            response.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
                        }
                        Ok(response)
                    }
                })
                .wrap(TracingLogger::default())
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(max_body))
                .configure(crate::http::routes)
        });
        if let Some(workers) = workers {
            server = server.workers(workers);
        }
        spawn_scheduler(&state);
        let delivery = if state.settings.outbox.worker_in_serve {
            let worker = crate::delivery::build_worker(
                state.store.clone(),
                &state.settings.outbox,
                state.metrics.delivery.clone(),
            )?;
            Some(crate::delivery::spawn(worker))
        } else {
            None
        };
        let pump = crate::event_pump::spawn(&state);
        // actix stops accepting on SIGTERM/SIGINT and lets in-flight requests finish within this time.
        let server = server.listen(listener)?.shutdown_timeout(10).run();
        Ok(Self { port, server, state, _delivery: delivery, _pump: pump, _wake: wake })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &SharedState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

//! WeChat's server-side access token, which the content checks carry (decisions 132, 137).
//!
//! It is the stable token (`getStableAccessToken`, `POST /cgi-bin/stable_token` with `force_refresh`
//! false): unlike `/cgi-bin/token`, fetching it does not end a token another service of the same appid
//! holds, so two services sharing an appid do not invalidate each other's. A token is good for
//! `expires_in` seconds (7,200), and WeChat limits fetches a day. So one token is shared by every instance:
//! kept in Redis with its expiry, refreshed ahead of it (`REFRESH_AHEAD`), and fetched by one instance at
//! a time (a `SET NX` lock) while the others wait for its result. Without Redis the token is kept in
//! process. Time is the injected clock's, so tests move past expiry without sleeping.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use gongzhi_domain::clock::Clock;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use tracing::{info, instrument, warn};

use super::check::CheckUnavailable;
use crate::cache::RedisLink;

/// A token is replaced this long before it expires, so no check is sent with one about to lapse.
const REFRESH_AHEAD: chrono::Duration = chrono::Duration::minutes(5);
/// How long the refreshing instance may hold the lock: longer than a fetch can take (the client's timeout).
const LOCK_MS: u64 = 15_000;
/// How long another instance waits for the refresher's token before fetching its own.
const WAIT_FOR_PEER: Duration = Duration::from_secs(3);
const POLL: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    token: String,
    expires_at: DateTime<Utc>,
}

impl Cached {
    fn fresh_at(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at - REFRESH_AHEAD
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    expires_in: Option<i64>,
    errcode: Option<i64>,
}

/// The access token of one mini-program, fetched, cached and refreshed.
pub struct AccessTokens {
    http: reqwest::Client,
    base: String,
    app_id: String,
    secret: SecretString,
    clock: Arc<dyn Clock>,
    shared: Option<Arc<RedisLink>>,
    local: Mutex<Option<Cached>>,
}

impl AccessTokens {
    pub fn new(
        http: reqwest::Client,
        base: &str,
        app_id: &str,
        secret: SecretString,
        clock: Arc<dyn Clock>,
        shared: Option<Arc<RedisLink>>,
    ) -> Self {
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            app_id: app_id.to_owned(),
            secret,
            clock,
            shared,
            local: Mutex::new(None),
        }
    }

    fn key(&self, what: &str) -> Option<String> {
        self.shared.as_ref().map(|link| link.key(&format!("wechat:access_token:{}:{what}", self.app_id)))
    }

    /// A token good for a while yet.
    #[instrument(skip_all)]
    pub async fn token(&self) -> Result<String, CheckUnavailable> {
        let mut local = self.local.lock().await;
        let now = self.clock.now();
        if let Some(cached) = local.as_ref().filter(|c| c.fresh_at(now)) {
            return Ok(cached.token.clone());
        }
        let cached = match &self.shared {
            Some(link) => self.shared_token(link).await?,
            None => self.fetch().await?,
        };
        let token = cached.token.clone();
        *local = Some(cached);
        Ok(token)
    }

    /// WeChat said the token is no longer good (40001, 42001): forget it here and, if it is the shared
    /// one, there, so the next check fetches a new one.
    pub async fn invalidate(&self, token: &str) {
        let mut local = self.local.lock().await;
        if local.as_ref().is_some_and(|c| c.token == token) {
            *local = None;
        }
        if let (Some(link), Some(key)) = (&self.shared, self.key("current")) {
            let shared: Option<String> = link.query(redis::cmd("GET").arg(&key)).await;
            if shared.and_then(|s| serde_json::from_str::<Cached>(&s).ok()).is_some_and(|c| c.token == token) {
                let _: Option<i64> = link.query(redis::cmd("DEL").arg(&key)).await;
            }
        }
    }

    async fn read_shared(&self, link: &RedisLink) -> Option<Cached> {
        let key = self.key("current")?;
        let raw: Option<String> = link.query(redis::cmd("GET").arg(&key)).await.flatten();
        raw.and_then(|raw| serde_json::from_str::<Cached>(&raw).ok()).filter(|c| c.fresh_at(self.clock.now()))
    }

    /// The shared token, or a new one fetched under the lock. Redis trouble falls back to fetching alone:
    /// checks must not stop because Redis did.
    async fn shared_token(&self, link: &RedisLink) -> Result<Cached, CheckUnavailable> {
        if let Some(cached) = self.read_shared(link).await {
            return Ok(cached);
        }
        let (Some(lock), Some(current)) = (self.key("lock"), self.key("current")) else { return self.fetch().await };
        let holder = uuid::Uuid::new_v4().to_string();
        let locked: Option<Option<String>> =
            link.query(redis::cmd("SET").arg(&lock).arg(&holder).arg("NX").arg("PX").arg(LOCK_MS)).await;
        match locked {
            Some(Some(_)) => {
                // Another instance may have stored one between our read and our lock.
                if let Some(cached) = self.read_shared(link).await {
                    let _: Option<i64> = link.query(redis::cmd("DEL").arg(&lock)).await;
                    return Ok(cached);
                }
                let fetched = self.fetch().await;
                if let Ok(cached) = &fetched
                    && let Ok(json) = serde_json::to_string(cached)
                {
                    let ttl = (cached.expires_at - self.clock.now()).num_seconds().max(1);
                    let _: Option<String> =
                        link.query(redis::cmd("SET").arg(&current).arg(json).arg("EX").arg(ttl)).await;
                }
                let _: Option<i64> = link.query(redis::cmd("DEL").arg(&lock)).await;
                fetched
            }
            Some(None) => {
                // Another instance is fetching: wait for its token rather than ending it with a new one.
                let waited = tokio::time::timeout(WAIT_FOR_PEER, async {
                    loop {
                        tokio::time::sleep(POLL).await;
                        if let Some(cached) = self.read_shared(link).await {
                            return cached;
                        }
                    }
                })
                .await;
                match waited {
                    Ok(cached) => Ok(cached),
                    Err(_) => self.fetch().await,
                }
            }
            None => self.fetch().await,
        }
    }

    async fn fetch(&self) -> Result<Cached, CheckUnavailable> {
        let url = format!("{}/cgi-bin/stable_token", self.base);
        // Never `force_refresh`: that would end the token every other holder of the appid uses.
        let body = serde_json::json!({
            "grant_type": "client_credential",
            "appid": self.app_id,
            "secret": self.secret.expose_secret(),
            "force_refresh": false,
        });
        let response = self.http.post(url).json(&body).send().await.map_err(CheckUnavailable::transport)?;
        let answer: TokenAnswer = super::wechat_check::read_json(response).await?;
        match (answer.errcode, answer.access_token, answer.expires_in) {
            (None | Some(0), Some(token), Some(expires_in)) if !token.is_empty() && expires_in > 0 => {
                info!(expires_in, "fetched a WeChat access token");
                Ok(Cached { token, expires_at: self.clock.now() + chrono::Duration::seconds(expires_in) })
            }
            (errcode, ..) => {
                warn!(errcode = errcode.unwrap_or_default(), "WeChat refused an access token");
                Err(CheckUnavailable::Refused(errcode.unwrap_or_default()))
            }
        }
    }
}

//! Builds the fast read path's pieces from settings: one Redis link shared by the cache, the rate limits
//! and the persisted queries, and the read cache (Redis, in-process, or none).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use gongzhi_domain::clock::Clock;
use gongzhi_infra::authority::AuthorityCache;
use gongzhi_infra::cache::{ReadCache, RedisLink};

use crate::config::Settings;
use crate::http::responses::Responses;

/// The Redis link, when `REDIS_URL` is set. Nothing connects yet: the link connects on first use. Its
/// breaker cools down on `clock`.
pub fn redis_link(settings: &Settings, clock: &Arc<dyn Clock>) -> anyhow::Result<Option<Arc<RedisLink>>> {
    settings
        .redis_url
        .as_deref()
        .map(|url| RedisLink::new(url, &settings.redis_prefix, clock.clone()).map(Arc::new))
        .transpose()
        .context("REDIS_URL is not a Redis URL")
}

/// Redis when configured (shared by every instance), otherwise in-process (right for one instance).
pub fn read_cache(settings: &Settings, redis: &Option<Arc<RedisLink>>) -> ReadCache {
    let cache = &settings.cache;
    if !cache.enabled {
        return ReadCache::none();
    }
    let ttl = Duration::from_secs(cache.ttl_seconds.max(1));
    match redis {
        Some(link) => ReadCache::redis(link.clone(), cache.max_entries, ttl),
        None => ReadCache::in_process(cache.max_entries, ttl),
    }
}

/// The in-process moment of authority (sessions' grants, places' contexts); none when set to 0 seconds.
pub fn authority_cache(settings: &Settings, clock: &Arc<dyn Clock>) -> AuthorityCache {
    let cache = &settings.cache;
    AuthorityCache::new(Duration::from_secs(cache.authority_seconds), cache.max_entries, clock.clone())
}

/// Whole feed responses kept per person (`http::responses`): only over the read cache, whose counters are
/// what tells a kept response stale, and for no longer than its entries live.
pub fn responses(settings: &Settings, clock: &Arc<dyn Clock>) -> Responses {
    let cache = &settings.cache;
    if !cache.enabled {
        return Responses::none();
    }
    Responses::new(cache.response_bytes, Duration::from_secs(cache.ttl_seconds.max(1)), clock.clone())
}

/// The live bus: over Redis when configured (every instance's subscribers hear every instance's changes),
/// otherwise in this process.
pub async fn live_bus(settings: &Settings, redis: &Option<Arc<RedisLink>>) -> gongzhi_infra::live::LiveBus {
    let capacity = settings.live.bus_capacity;
    match redis {
        Some(link) => gongzhi_infra::live::LiveBus::over_redis(link.clone(), capacity, Duration::from_secs(2)).await,
        None => gongzhi_infra::live::LiveBus::in_process(capacity),
    }
}

/// Other instances' commits wake this one's consumers over Redis (decision 88); without Redis there are no
/// other instances to hear.
pub async fn log_wake(
    redis: &Option<Arc<RedisLink>>,
    store: &gongzhi_infra::Store,
) -> Option<gongzhi_infra::live::LogWake> {
    let link = redis.as_ref()?;
    Some(
        gongzhi_infra::live::LogWake::over_redis(link.clone(), store.log_signal().clone(), Duration::from_secs(2))
            .await,
    )
}

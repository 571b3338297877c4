//! The read cache: one `Cache` trait with a Redis implementation (shared by every instance) and an
//! in-process one (the embedded default), behind `ReadCache`, which the store uses for its hot reads.
//!
//! Invalidation is by versioned keys. Each place and each topic has a version counter in the cache; an
//! entry's key carries the versions it was read under. A write bumps the counters of what it changed
//! *after* its transaction commits, so a reader that sees the new version started its database read after
//! the commit and cannot fill an old value under the new version (docs/decisions.md, "Bump after commit").
//! Any trouble with the cache is a miss: the read goes to the database.

mod breaker;
mod link;
mod memory;
mod redis;

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use self::breaker::Breaker;
pub use self::link::RedisLink;
pub use self::memory::MemoryCache;
pub use self::redis::RedisCache;

/// Where cached values and version counters live. Keys are logical (implementations add any prefix).
/// Every method swallows trouble: `None` (or `false`) means "treat as a miss".
#[async_trait::async_trait]
pub trait Cache: Send + Sync {
    /// The current value of each counter, 0 for one never bumped.
    async fn versions(&self, keys: &[String]) -> Option<Vec<u64>>;
    async fn get(&self, key: &str) -> Option<Vec<u8>>;
    async fn put(&self, key: &str, value: Vec<u8>);
    /// Increments each counter; false when that could not be done.
    async fn bump(&self, keys: &[String]) -> bool;
}

/// Bumps that failed are retried before this instance reads the cache again; past this many, the oldest
/// are forgotten and entries' time-to-live is what bounds staleness.
const MAX_PENDING: usize = 10_000;

/// The store's handle on the cache: none, in-process or Redis.
#[derive(Clone, Default)]
pub struct ReadCache {
    backend: Option<Arc<dyn Cache>>,
    /// Counters whose bump failed (Redis down during a write). While any is pending this instance does not
    /// serve from the cache, since the entries under the old versions may be stale.
    unbumped: Arc<Mutex<BTreeSet<String>>>,
}

impl ReadCache {
    /// No caching: every read goes to the database.
    pub fn none() -> Self {
        Self::default()
    }

    pub fn new(backend: Arc<dyn Cache>) -> Self {
        Self { backend: Some(backend), unbumped: Arc::default() }
    }

    pub fn in_process(max_entries: u64, ttl: Duration) -> Self {
        Self::new(Arc::new(MemoryCache::new(max_entries, ttl)))
    }

    pub fn redis(link: Arc<RedisLink>, ttl: Duration) -> Self {
        Self::new(Arc::new(RedisCache::new(link, ttl)))
    }

    pub fn is_enabled(&self) -> bool {
        self.backend.is_some()
    }

    fn unbumped(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.unbumped.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Retries failed bumps; true when none is left.
    async fn settle(&self, backend: &dyn Cache) -> bool {
        let pending: Vec<String> = self.unbumped().iter().cloned().collect();
        if pending.is_empty() {
            return true;
        }
        if backend.bump(&pending).await {
            let mut unbumped = self.unbumped();
            for key in &pending {
                unbumped.remove(key);
            }
            unbumped.is_empty()
        } else {
            false
        }
    }

    /// The value under `entry` as of the current `versions`, or `fill`'s answer (then stored). Trouble with
    /// the cache, or a value that no longer decodes, falls through to `fill`.
    pub async fn fetch<T, E, F, Fut>(&self, versions: &[String], entry: &str, fill: F) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let Some(backend) = self.backend.as_deref() else { return fill().await };
        if !self.settle(backend).await {
            return fill().await;
        }
        let Some(numbers) = backend.versions(versions).await else { return fill().await };
        let stamp: Vec<String> = numbers.iter().map(u64::to_string).collect();
        let key = format!("{entry}@{}", stamp.join("."));
        if let Some(bytes) = backend.get(&key).await
            && let Ok(value) = serde_json::from_slice(&bytes)
        {
            return Ok(value);
        }
        let value = fill().await?;
        if let Ok(bytes) = serde_json::to_vec(&value) {
            backend.put(&key, bytes).await;
        }
        Ok(value)
    }

    /// Bumps counters after a commit. A failed bump is remembered and retried (see `unbumped`).
    pub async fn bump(&self, keys: BTreeSet<String>) {
        let Some(backend) = self.backend.as_deref() else { return };
        if keys.is_empty() {
            return;
        }
        let keys: Vec<String> = keys.into_iter().collect();
        if backend.bump(&keys).await {
            return;
        }
        tracing::warn!(counters = keys.len(), "could not invalidate cached reads; retrying before the next read");
        let mut unbumped = self.unbumped();
        unbumped.extend(keys);
        while unbumped.len() > MAX_PENDING {
            unbumped.pop_first();
        }
    }
}

/// The version counter of a place: bumped when a topic at or below it changes.
pub fn place_version(place: uuid::Uuid) -> String {
    format!("v:place:{place}")
}

/// The version counter of a topic.
pub fn topic_version(topic: uuid::Uuid) -> String {
    format!("v:topic:{topic}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> ReadCache {
        ReadCache::in_process(100, Duration::from_secs(60))
    }

    async fn read(cache: &ReadCache, value: u32) -> u32 {
        cache.fetch(&[place_version(uuid::Uuid::nil())], "x", || async move { Ok::<_, ()>(value) }).await.unwrap()
    }

    #[tokio::test]
    async fn a_value_is_served_until_its_version_is_bumped() {
        let cache = memory();
        assert_eq!(read(&cache, 1).await, 1);
        assert_eq!(read(&cache, 2).await, 1, "served from the cache");
        cache.bump(BTreeSet::from([place_version(uuid::Uuid::nil())])).await;
        assert_eq!(read(&cache, 3).await, 3, "refilled under the new version");
    }

    #[tokio::test]
    async fn without_a_backend_every_read_fills() {
        let cache = ReadCache::none();
        assert_eq!(read(&cache, 1).await, 1);
        assert_eq!(read(&cache, 2).await, 2);
    }
}

//! The read cache: one `Cache` trait with a Redis implementation (shared by every instance) and an
//! in-process one (the embedded default), behind `ReadCache`, which the store uses for its hot reads.
//!
//! Invalidation is by versioned keys. Each place and each topic has a version counter in the cache; an
//! entry's key carries the versions it was read under. A write bumps the counters of what it changed
//! *after* its transaction commits, so a reader that sees the new version started its database read after
//! the commit and cannot fill an old value under the new version (docs/decisions.md, "Bump after commit").
//! Any trouble with the cache is a miss: the read goes to the database.
//!
//! A versioned key names one value for good (a change makes a new key), so each instance also keeps the
//! values it used, decoded, in a near cache in front of the backend: a hit costs a look-up of the
//! versions and nothing else. With the in-process backend the near cache is where the values live.

mod breaker;
mod link;
mod memory;
mod redis;

use std::any::Any;
use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// The current value of each counter, 0 for one never bumped, with the backend's epoch.
    async fn versions(&self, keys: &[String]) -> Option<Versions>;
    async fn get(&self, key: &str) -> Option<Vec<u8>>;
    async fn put(&self, key: &str, value: Vec<u8>);
    /// Increments each counter; false when that could not be done.
    async fn bump(&self, keys: &[String]) -> bool;
    /// Whether other instances read these entries. When none does, values live only in the near cache and
    /// `get`/`put` are never called.
    fn is_shared(&self) -> bool;

    /// Deletes every value whose bytes hold any of `needles` (an erased person's identifiers, decision
    /// 167); false when that could not be done. A backend that keeps no values has nothing to forget.
    async fn forget_containing(&self, _needles: &[String]) -> bool {
        true
    }
}

/// Counter values as read together. The epoch names the backend's life: a Redis that lost its data (it
/// keeps nothing on disk) counts from 0 again, and its new epoch keeps those numbers from naming the values
/// an instance kept from before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    pub epoch: u64,
    pub numbers: Vec<u64>,
}

impl Versions {
    /// The key of `entry` as of these values: it names one value for good.
    pub fn key(&self, entry: &str) -> String {
        self.key_of(entry, &self.numbers)
    }

    /// The key of `entry` as of the `i`th counter alone.
    pub fn key_at(&self, entry: &str, i: usize) -> String {
        self.key_of(entry, &self.numbers[i..=i])
    }

    fn key_of(&self, entry: &str, numbers: &[u64]) -> String {
        use std::fmt::Write;
        let mut key = String::with_capacity(entry.len() + 8 + 4 * numbers.len());
        key.push_str(entry);
        let _ = write!(key, "@{:x}", self.epoch);
        for n in numbers {
            let _ = write!(key, ".{n}");
        }
        key
    }
}

/// Decoded values by versioned key (see the module's note): shared by the store's clones.
type Near = moka::sync::Cache<String, Arc<dyn Any + Send + Sync>>;

/// Fills under way, by versioned key. A change makes every reader of the changed value miss at once (a
/// thousand live subscribers re-reading one topic, a busy compound's feed after a co-sign): the first
/// miss fills, the others wait for its turn to end and find the value in the near cache, so the database
/// answers one read, not one per reader. moka's own coalescing (`get_with`) is for its async cache, and
/// the near cache is read synchronously on every hit; this gate is only taken on a miss.
type Fills = Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>;

/// One reader's turn at filling a key; leaving it forgets the gate once nobody else waits on it.
struct FillTurn {
    fills: Fills,
    key: String,
    gate: Arc<tokio::sync::Mutex<()>>,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl FillTurn {
    async fn take(fills: &Fills, key: &str) -> Self {
        let gate = {
            let mut map = fills.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            map.entry(key.to_owned()).or_default().clone()
        };
        let held = Some(gate.clone().lock_owned().await);
        Self { fills: fills.clone(), key: key.to_owned(), gate, held }
    }
}

impl Drop for FillTurn {
    fn drop(&mut self) {
        self.held.take();
        let mut map = self.fills.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // The map's and this turn's: nobody else holds or waits for the gate.
        if Arc::strong_count(&self.gate) <= 2 {
            map.remove(&self.key);
        }
    }
}

/// Bumps that failed are retried before this instance reads the cache again; past this many, the oldest
/// are forgotten and entries' time-to-live is what bounds staleness.
const MAX_PENDING: usize = 10_000;

/// How many reads through [`ReadCache::fetch`] were answered by each layer: the near cache (decoded, in
/// this instance), the shared backend (Redis), or the database (a fill). Whether a layer pays for itself
/// under a load is read off these (bench/realistic.sh).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheReads {
    pub near: u64,
    pub shared: u64,
    pub filled: u64,
}

#[derive(Default)]
struct ReadCounts {
    near: AtomicU64,
    shared: AtomicU64,
    filled: AtomicU64,
}

/// The store's handle on the cache: none, in-process or Redis.
#[derive(Clone, Default)]
pub struct ReadCache {
    backend: Option<Arc<dyn Cache>>,
    near: Option<Near>,
    fills: Fills,
    counts: Arc<ReadCounts>,
    /// Counters whose bump failed (Redis down during a write). While any is pending this instance does not
    /// serve from the cache, since the entries under the old versions may be stale.
    unbumped: Arc<Mutex<BTreeSet<String>>>,
}

impl ReadCache {
    /// Forgets every value that may hold any of `needles`: this instance's decoded values all (they cannot
    /// be searched, and an erasure is rare), and the shared backend's that do. False when the backend could
    /// not be searched.
    pub async fn forget_containing(&self, needles: &[String]) -> bool {
        if let Some(near) = &self.near {
            near.invalidate_all();
        }
        match &self.backend {
            Some(backend) if !needles.is_empty() => backend.forget_containing(needles).await,
            _ => true,
        }
    }

    /// No caching: every read goes to the database.
    pub fn none() -> Self {
        Self::default()
    }

    /// Over `backend`, with a near cache of `max_entries` decoded values, each kept for `ttl`.
    pub fn new(backend: Arc<dyn Cache>, max_entries: u64, ttl: Duration) -> Self {
        let near = moka::sync::Cache::builder().max_capacity(max_entries).time_to_live(ttl).build();
        Self {
            backend: Some(backend),
            near: Some(near),
            fills: Arc::default(),
            unbumped: Arc::default(),
            counts: Arc::default(),
        }
    }

    pub fn in_process(max_entries: u64, ttl: Duration) -> Self {
        Self::new(Arc::new(MemoryCache::default()), max_entries, ttl)
    }

    pub fn redis(link: Arc<RedisLink>, max_entries: u64, ttl: Duration) -> Self {
        Self::new(Arc::new(RedisCache::new(link, ttl)), max_entries, ttl)
    }

    pub fn is_enabled(&self) -> bool {
        self.backend.is_some()
    }

    /// Reads answered by each layer since the store was made; all fills when there is no cache.
    pub fn reads(&self) -> CacheReads {
        CacheReads {
            near: self.counts.near.load(Ordering::Relaxed),
            shared: self.counts.shared.load(Ordering::Relaxed),
            filled: self.counts.filled.load(Ordering::Relaxed),
        }
    }

    fn count(&self, layer: &AtomicU64) {
        layer.fetch_add(1, Ordering::Relaxed);
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

    /// The current value of each counter, once failed bumps are settled; `None` means "treat as a miss".
    pub async fn versions(&self, keys: &[String]) -> Option<Versions> {
        let backend = self.backend.as_deref()?;
        if !self.settle(backend).await {
            return None;
        }
        backend.versions(keys).await
    }

    /// The value under `entry` as of the current `versions`, or `fill`'s answer (then stored). Trouble with
    /// the cache, or a value that no longer decodes, falls through to `fill`.
    pub async fn fetch<T, E, F, Fut>(&self, versions: &[String], entry: &str, fill: F) -> Result<Arc<T>, E>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        match self.versions(versions).await {
            Some(versions) => self.fetch_at(&versions, entry, fill).await,
            None => {
                self.count(&self.counts.filled);
                fill().await.map(Arc::new)
            }
        }
    }

    /// `fetch` with the versions already read (`versions`).
    pub async fn fetch_at<T, E, F, Fut>(&self, versions: &Versions, entry: &str, fill: F) -> Result<Arc<T>, E>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let key = versions.key(entry);
        if let Some(value) = self.near_get(&key) {
            self.count(&self.counts.near);
            return Ok(value);
        }
        let _turn = FillTurn::take(&self.fills, &key).await;
        // Filled by the reader whose turn came first.
        if let Some(value) = self.near_get(&key) {
            self.count(&self.counts.near);
            return Ok(value);
        }
        let backend = self.backend.as_deref().filter(|backend| backend.is_shared());
        if let Some(backend) = backend
            && let Some(bytes) = backend.get(&key).await
            && let Ok(value) = serde_json::from_slice::<T>(&bytes)
        {
            let value = Arc::new(value);
            self.near_put(key, value.clone());
            self.count(&self.counts.shared);
            return Ok(value);
        }
        self.count(&self.counts.filled);
        let value = Arc::new(fill().await?);
        if let Some(backend) = backend
            && let Ok(bytes) = serde_json::to_vec(value.as_ref())
        {
            backend.put(&key, bytes).await;
        }
        self.near_put(key, value.clone());
        Ok(value)
    }

    /// A value this instance keeps under a versioned key (`Versions::key`), if it still does.
    pub fn near_get<T: Send + Sync + 'static>(&self, key: &str) -> Option<Arc<T>> {
        self.near.as_ref()?.get(key)?.downcast::<T>().ok()
    }

    /// Keeps a value under a versioned key in this instance only (for values that must not leave it).
    pub fn near_put<T: Send + Sync + 'static>(&self, key: String, value: Arc<T>) {
        if let Some(near) = &self.near {
            near.insert(key, value);
        }
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

/// The version counter of a person's row (their display name).
pub fn person_version(person: uuid::Uuid) -> String {
    format!("v:person:{person}")
}

/// The version counter of what the policy judges with — grants and places' contexts — anywhere: bumped by
/// every change to them, so that a response kept whole is not served past one (`read_stamp`).
pub fn authority_version() -> String {
    "v:authority".to_owned()
}

/// The version counter of a catalogue entry.
pub fn category_version(category: uuid::Uuid) -> String {
    format!("v:category:{category}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> ReadCache {
        ReadCache::in_process(100, Duration::from_secs(60))
    }

    async fn read(cache: &ReadCache, value: u32) -> u32 {
        *cache.fetch(&[place_version(uuid::Uuid::nil())], "x", || async move { Ok::<_, ()>(value) }).await.unwrap()
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
    async fn a_value_read_again_under_the_same_versions_is_the_one_kept_decoded() {
        let cache = memory();
        let versions = [place_version(uuid::Uuid::nil())];
        let first = cache.fetch(&versions, "x", || async { Ok::<_, ()>(vec![1, 2, 3]) }).await.unwrap();
        let again = cache.fetch(&versions, "x", || async { Err::<Vec<i32>, _>(()) }).await.unwrap();
        assert!(Arc::ptr_eq(&first, &again), "served from the near cache without filling");
    }

    #[test]
    fn a_new_backend_life_names_other_keys_for_the_same_numbers() {
        let before = Versions { epoch: 7, numbers: vec![3, 1] };
        let after = Versions { epoch: 8, numbers: vec![3, 1] };
        assert_ne!(before.key("feed"), after.key("feed"));
        assert_ne!(before.key_at("person:a", 1), before.key_at("person:a", 0), "each counter's own number");
        assert_eq!(before.key_at("person:a", 1), Versions { epoch: 7, numbers: vec![1] }.key("person:a"));
    }

    #[tokio::test]
    async fn without_a_backend_every_read_fills() {
        let cache = ReadCache::none();
        assert_eq!(read(&cache, 1).await, 1);
        assert_eq!(read(&cache, 2).await, 2);
        assert_eq!(cache.reads(), CacheReads { near: 0, shared: 0, filled: 2 });
    }

    #[tokio::test]
    async fn readers_missing_one_changed_value_at_once_fill_it_once() {
        let cache = memory();
        let fills = Arc::new(AtomicU64::new(0));
        let versions = [topic_version(uuid::Uuid::nil())];
        let reader = |n: u32| {
            let (cache, fills, versions) = (cache.clone(), fills.clone(), versions.clone());
            async move {
                let fill = || async {
                    fills.fetch_add(1, Ordering::SeqCst);
                    // The database answers later: every other reader misses meanwhile.
                    for _ in 0..3 {
                        tokio::task::yield_now().await;
                    }
                    Ok::<_, ()>(n)
                };
                *cache.fetch(&versions, "topic", fill).await.unwrap()
            }
        };
        let seen = futures::future::join_all((0..50).map(reader)).await;
        assert_eq!(fills.load(Ordering::SeqCst), 1, "one fill for fifty readers");
        assert!(seen.iter().all(|value| *value == seen[0]), "all read the one value: {seen:?}");
        assert_eq!(cache.reads(), CacheReads { near: 49, shared: 0, filled: 1 });
        assert!(cache.fills.lock().unwrap().is_empty(), "no gate is kept once the readers are gone");
    }

    #[tokio::test]
    async fn a_failed_fill_leaves_the_next_reader_to_fill() {
        let cache = memory();
        let versions = [topic_version(uuid::Uuid::nil())];
        let failed = cache.fetch(&versions, "topic", || async { Err::<u32, _>("the database is away") }).await;
        assert!(failed.is_err());
        let value = cache.fetch(&versions, "topic", || async { Ok::<_, &str>(7) }).await;
        assert_eq!(value.map(|v| *v), Ok(7));
    }

    #[tokio::test]
    async fn each_read_is_counted_where_it_was_answered() {
        let cache = memory();
        read(&cache, 1).await;
        read(&cache, 1).await;
        read(&cache, 1).await;
        cache.bump(BTreeSet::from([place_version(uuid::Uuid::nil())])).await;
        read(&cache, 2).await;
        assert_eq!(cache.reads(), CacheReads { near: 2, shared: 0, filled: 2 });
    }
}

//! The in-process cache: entries in `moka` (bounded, with a time-to-live), version counters in a map that
//! is never evicted, so a counter cannot fall back to an old number while entries stamped with it live.
//! Right for one instance; several instances need Redis to see each other's writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::Cache;

pub struct MemoryCache {
    entries: moka::future::Cache<String, Arc<Vec<u8>>>,
    versions: Mutex<HashMap<String, u64>>,
}

impl MemoryCache {
    pub fn new(max_entries: u64, ttl: Duration) -> Self {
        let entries = moka::future::Cache::builder().max_capacity(max_entries).time_to_live(ttl).build();
        Self { entries, versions: Mutex::default() }
    }

    fn versions_map(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.versions.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait::async_trait]
impl Cache for MemoryCache {
    async fn versions(&self, keys: &[String]) -> Option<Vec<u64>> {
        let map = self.versions_map();
        Some(keys.iter().map(|key| map.get(key).copied().unwrap_or(0)).collect())
    }

    async fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.entries.get(key).await.map(|bytes| bytes.as_ref().clone())
    }

    async fn put(&self, key: &str, value: Vec<u8>) {
        self.entries.insert(key.to_owned(), Arc::new(value)).await;
    }

    async fn bump(&self, keys: &[String]) -> bool {
        let mut map = self.versions_map();
        for key in keys {
            *map.entry(key.clone()).or_insert(0) += 1;
        }
        true
    }
}

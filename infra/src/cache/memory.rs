//! The in-process backend: version counters in a map that is never evicted, so a counter cannot fall back
//! to an old number while values stamped with it live. The values themselves live in `ReadCache`'s near
//! cache. Right for one instance; several instances need Redis to see each other's writes.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{Cache, Versions};

#[derive(Default)]
pub struct MemoryCache {
    versions: Mutex<HashMap<String, u64>>,
}

impl MemoryCache {
    fn versions_map(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.versions.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait::async_trait]
impl Cache for MemoryCache {
    async fn versions(&self, keys: &[String]) -> Option<Versions> {
        let map = self.versions_map();
        // The counters live as long as the values: one epoch.
        Some(Versions { epoch: 0, numbers: keys.iter().map(|key| map.get(key).copied().unwrap_or(0)).collect() })
    }

    async fn get(&self, _key: &str) -> Option<Vec<u8>> {
        None
    }

    async fn put(&self, _key: &str, _value: Vec<u8>) {}

    async fn bump(&self, keys: &[String]) -> bool {
        let mut map = self.versions_map();
        for key in keys {
            *map.entry(key.clone()).or_insert(0) += 1;
        }
        true
    }

    fn is_shared(&self) -> bool {
        false
    }
}

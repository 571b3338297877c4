//! Settings of the fast read path: the read cache (`GONGZHI_CACHE__…`), in Redis when `REDIS_URL` is set
//! and in-process otherwise.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheSettings {
    /// Off sends every read to the database.
    pub enabled: bool,
    /// How long an entry lives at most. Writes invalidate entries at once; this only bounds how stale an
    /// entry can get when an invalidation was lost (Redis unreachable from the writer).
    pub ttl_seconds: u64,
    /// Entries kept by the in-process cache (used when `REDIS_URL` is unset).
    pub max_entries: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self { enabled: true, ttl_seconds: 60, max_entries: 10_000 }
    }
}

//! Settings of the fast read path: the read cache and the rate limits (`GONGZHI_CACHE__…`,
//! `GONGZHI_RATE_LIMITS__…`). Both use Redis when `REDIS_URL` is set and in-process stand-ins otherwise.

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
    /// How long a session's grants and a place's policy context are held in process (decision 32); 0 reads
    /// them for every request. Changes made through this process apply at once; other instances see them
    /// within this time. Independent of `enabled`.
    pub authority_seconds: u64,
    /// Bytes of whole feed responses kept in each instance, per person (decision 37); 0 keeps none. Kept
    /// only while the cache is on, each for at most `ttl_seconds`.
    pub response_bytes: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self { enabled: true, ttl_seconds: 60, max_entries: 10_000, authority_seconds: 2, response_bytes: 32 << 20 }
    }
}

/// Budgets of query complexity (as the GraphQL engine computes it; at least 1 a request) per window.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitSettings {
    pub enabled: bool,
    pub window_seconds: u64,
    /// Points a logged-in person may spend per window, whatever address they come from.
    pub person_points: u64,
    /// Points one client address may spend per window, logged in or not. An API partner's requests are
    /// not charged here (decision 29).
    pub ip_points: u64,
    /// Points an API partner may spend per window, unless the partner has a budget of its own.
    pub partner_points: u64,
    /// Take the client address from `Forwarded`/`X-Forwarded-For`: only behind a proxy that sets them.
    pub trust_forwarded_for: bool,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            window_seconds: 60,
            person_points: 20_000,
            ip_points: 60_000,
            partner_points: 60_000,
            trust_forwarded_for: false,
        }
    }
}

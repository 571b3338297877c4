//! Automatic persisted queries (Apollo's protocol): the `persistedQuery` extension, and where registered
//! texts live.
//!
//! Every instance keeps the texts it has seen in memory (least recently used first out). With Redis, the
//! texts are also shared (`gongzhi_infra::persisted_queries`), so a client whose query was registered on
//! one instance behind a load balancer runs it by hash on any other; memory stays in front, so a hot
//! query costs Redis nothing on most requests. A text from Redis is used only if it is the text of its
//! hash. Redis trouble leaves each instance with its own memory, as without Redis: the client gets
//! `PERSISTED_QUERY_NOT_FOUND` and sends the text, which always runs.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_graphql::Request;
use gongzhi_infra::persisted_queries::SharedQueryTexts;
use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, BadRequest};

/// Distinct query texts each instance remembers.
const REMEMBERED: usize = 2_000;
/// How often an instance serving a text from memory writes it back to Redis, which sets its time to live
/// again there: hot queries stay shared, for one Redis call a day per instance and query rather than one a
/// request.
const REFRESH_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

pub type Hash = [u8; 32];

pub fn sha256(text: &str) -> Hash {
    Sha256::digest(text.as_bytes()).into()
}

fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_hex(text: &str) -> Option<Hash> {
    if text.len() != 64 {
        return None;
    }
    let mut hash = [0u8; 32];
    for (byte, pair) in hash.iter_mut().zip(text.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(hash)
}

/// The persisted-query extension of a request, if it has one: the hash it names.
pub fn persisted_hash(request: &Request) -> Result<Option<Hash>, ApiError> {
    use async_graphql::Value;
    let Some(extension) = request.extensions.0.get("persistedQuery") else { return Ok(None) };
    let Value::Object(fields) = extension else { return Err(ApiError::Bad(BadRequest::PersistedQuery)) };
    let version = fields.get("version").and_then(|v| match v {
        Value::Number(n) => n.as_i64(),
        _ => None,
    });
    if version != Some(1) {
        return Err(ApiError::Bad(BadRequest::PersistedQueryVersion));
    }
    match fields.get("sha256Hash") {
        Some(Value::String(hex)) => parse_hex(hex).map(Some).ok_or(ApiError::Bad(BadRequest::PersistedQuery)),
        _ => Err(ApiError::Bad(BadRequest::PersistedQuery)),
    }
}

struct Remembered {
    text: Arc<str>,
    /// When this instance last stored the text in Redis or read it from there; `None`: not known to be
    /// there (never stored, or storing failed).
    shared_at: Option<Instant>,
}

pub struct PersistedQueries {
    remembered: Mutex<LruCache<Hash, Remembered>>,
    shared: Option<SharedQueryTexts>,
}

/// A poisoned lock only means another request panicked while holding it; the cache itself is intact.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl PersistedQueries {
    /// `shared`: the texts in Redis, when there is one.
    pub fn new(shared: Option<SharedQueryTexts>) -> Self {
        let size = NonZeroUsize::new(REMEMBERED).unwrap_or(NonZeroUsize::MIN);
        Self { remembered: Mutex::new(LruCache::new(size)), shared }
    }

    /// The text registered under `hash`: from memory, or else from Redis.
    pub async fn find(&self, hash: &Hash) -> Option<Arc<str>> {
        if let Some(text) = self.remembered(hash).await {
            return Some(text);
        }
        let text = self.shared.as_ref()?.get(&hex(hash)).await?;
        if sha256(&text) != *hash {
            tracing::warn!(hash = %hex(hash), "a persisted query in Redis is not the text of its hash; ignored");
            return None;
        }
        let text: Arc<str> = Arc::from(text);
        lock(&self.remembered).put(*hash, Remembered { text: text.clone(), shared_at: Some(Instant::now()) });
        Some(text)
    }

    /// Registers a text the caller has checked against its hash.
    pub async fn register(&self, hash: Hash, text: &str) {
        if self.remembered(&hash).await.is_some() {
            return;
        }
        lock(&self.remembered).put(hash, Remembered { text: Arc::from(text), shared_at: None });
        self.share(&hash, text).await;
    }

    /// The text in memory, written back to Redis when it is due (see `REFRESH_EVERY`).
    async fn remembered(&self, hash: &Hash) -> Option<Arc<str>> {
        let (text, due) = {
            let mut remembered = lock(&self.remembered);
            let entry = remembered.get_mut(hash)?;
            let due = self.shared.is_some() && entry.shared_at.is_none_or(|at| at.elapsed() >= REFRESH_EVERY);
            if due {
                // Concurrent requests for the same text leave the write to this one.
                entry.shared_at = Some(Instant::now());
            }
            (entry.text.clone(), due)
        };
        if due {
            self.share(hash, &text).await;
        }
        Some(text)
    }

    async fn share(&self, hash: &Hash, text: &str) {
        let Some(shared) = &self.shared else { return };
        let stored = shared.put(&hex(hash), text).await;
        if let Some(entry) = lock(&self.remembered).peek_mut(hash) {
            entry.shared_at = stored.then(Instant::now);
        }
    }

    #[cfg(test)]
    fn is_remembered(&self, hash: &Hash) -> bool {
        lock(&self.remembered).contains(hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unreachable_redis() -> SharedQueryTexts {
        let link = gongzhi_infra::cache::RedisLink::new(
            "redis://127.0.0.1:1",
            "t:",
            std::sync::Arc::new(gongzhi_domain::clock::SystemClock),
        );
        SharedQueryTexts::new(Arc::new(link.unwrap_or_else(|e| panic!("{e}"))))
    }

    #[tokio::test]
    async fn a_registered_text_is_found_by_its_hash() {
        let queries = PersistedQueries::new(None);
        let text = "{ me { id } }";
        assert_eq!(queries.find(&sha256(text)).await, None);
        queries.register(sha256(text), text).await;
        assert_eq!(queries.find(&sha256(text)).await.as_deref(), Some(text));
    }

    #[tokio::test]
    async fn with_redis_unreachable_texts_are_still_remembered_in_memory() {
        let queries = PersistedQueries::new(Some(unreachable_redis()));
        let text = "{ me { id } }";
        assert_eq!(queries.find(&sha256(text)).await, None);
        queries.register(sha256(text), text).await;
        assert!(queries.is_remembered(&sha256(text)));
        assert_eq!(queries.find(&sha256(text)).await.as_deref(), Some(text));
    }

    #[test]
    fn hashes_are_64_hex_digits() {
        let hash = sha256("x");
        assert_eq!(parse_hex(&hex(&hash)), Some(hash));
        assert_eq!(parse_hex("abc"), None);
        assert_eq!(parse_hex(&"zz".repeat(32)), None);
    }
}

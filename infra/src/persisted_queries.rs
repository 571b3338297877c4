//! The texts of persisted queries (Apollo's automatic persisted queries), shared by every instance: in
//! Redis under the hex SHA-256 of the text, so a query registered with one instance runs by its hash on
//! any other. The API keeps an in-process store in front of this one and checks every text against its
//! hash, both before storing it and after reading it back.
//!
//! Keys expire ([`TTL`]) and every use sets the time to live again. Anyone may register a text, so
//! without an expiry Redis would keep every text ever sent (retired client versions, one-off queries)
//! for ever; with it, what is in use stays and what is not goes. A text that went costs its client one
//! `PERSISTED_QUERY_NOT_FOUND` and a resend.
//!
//! Redis trouble is never an error (see `RedisLink`): a read is a miss, a write is skipped.

use std::sync::Arc;
use std::time::Duration;

use crate::cache::RedisLink;

/// How long a text stays after its last use. A week: a client version in use sends its queries far more
/// often than that, and one back after a longer pause re-registers with one extra round trip.
pub const TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

pub struct SharedQueryTexts {
    link: Arc<RedisLink>,
    ttl_seconds: u64,
}

impl SharedQueryTexts {
    pub fn new(link: Arc<RedisLink>) -> Self {
        Self { link, ttl_seconds: TTL.as_secs() }
    }

    fn key(&self, hash: &str) -> String {
        self.link.key(&format!("apq:{hash}"))
    }

    /// The text registered under `hash` (64 hex digits), its time to live set again. `None` when it is
    /// unknown or Redis is in trouble.
    pub async fn get(&self, hash: &str) -> Option<String> {
        let key = self.key(hash);
        // GET and EXPIRE in one transaction rather than GETEX, which needs Redis 6.2: on an older Redis
        // its error would open the breaker, and the read cache and rate limits would lose Redis with it.
        let mut pipe = redis::pipe();
        pipe.atomic().cmd("GET").arg(&key).cmd("EXPIRE").arg(&key).arg(self.ttl_seconds).ignore();
        let found: Vec<Option<String>> = self.link.pipe(&pipe).await?;
        found.into_iter().next().flatten()
    }

    /// Keeps `text` under `hash` for the time to live from now: a new text, or one in use kept alive (and
    /// restored, had Redis lost it). False when Redis is in trouble.
    pub async fn put(&self, hash: &str, text: &str) -> bool {
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.key(hash)).arg(text).arg("EX").arg(self.ttl_seconds);
        self.link.query::<()>(&cmd).await.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_redis_knows_nothing_and_stores_nothing() {
        let link = Arc::new(
            RedisLink::new("redis://127.0.0.1:1", "t:", std::sync::Arc::new(gongzhi_domain::clock::SystemClock))
                .expect("url"),
        );
        let texts = SharedQueryTexts::new(link);
        assert!(!texts.put("ab", "{ me { id } }").await);
        assert_eq!(texts.get("ab").await, None);
    }
}

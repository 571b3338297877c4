//! Weighted counters for rate limits: `charge` adds a request's cost to a counter and answers the total so
//! far. Callers put the time window in the key. In Redis when there is one, so every instance counts
//! together; in-process when there is none, or while Redis is in trouble (never an error).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::cache::RedisLink;

pub struct RateCounter {
    redis: Option<Arc<RedisLink>>,
    local: moka::future::Cache<String, Arc<AtomicU64>>,
    window: Duration,
}

impl RateCounter {
    /// Counters live for `window` (the longest window callers use).
    pub fn new(redis: Option<Arc<RedisLink>>, window: Duration) -> Self {
        let local = moka::future::Cache::builder().max_capacity(100_000).time_to_live(window).build();
        Self { redis, local, window }
    }

    /// Adds `cost` to `key`'s counter and returns its new total.
    pub async fn charge(&self, key: &str, cost: u64) -> u64 {
        if let Some(link) = &self.redis {
            let key = link.key(key);
            let mut pipe = redis::pipe();
            pipe.atomic()
                .cmd("SET")
                .arg(&key)
                .arg(0)
                .arg("EX")
                .arg(self.window.as_secs().max(1))
                .arg("NX")
                .ignore()
                .cmd("INCRBY")
                .arg(&key)
                .arg(cost);
            if let Some(totals) = link.pipe::<Vec<u64>>(&pipe).await
                && let Some(total) = totals.first()
            {
                return *total;
            }
        }
        let counter = self.local.get_with(key.to_owned(), async { Arc::new(AtomicU64::new(0)) }).await;
        counter.fetch_add(cost, Ordering::Relaxed).saturating_add(cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counts_in_process_without_redis() {
        let counter = RateCounter::new(None, Duration::from_secs(60));
        assert_eq!(counter.charge("a", 3).await, 3);
        assert_eq!(counter.charge("a", 4).await, 7);
        assert_eq!(counter.charge("b", 1).await, 1);
    }

    #[tokio::test]
    async fn falls_back_to_in_process_when_redis_is_unreachable() {
        let link = Arc::new(RedisLink::new("redis://127.0.0.1:1", "t:").expect("url"));
        let counter = RateCounter::new(Some(link), Duration::from_secs(60));
        assert_eq!(counter.charge("a", 2).await, 2);
        assert_eq!(counter.charge("a", 2).await, 4);
    }
}

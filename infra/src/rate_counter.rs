//! Weighted counters for rate limits: `charge` adds a request's cost to a counter and answers the total so
//! far. Callers put the time window in the key. In Redis when there is one, so every instance counts
//! together; in-process when there is none, or while Redis is in trouble (never an error).
//!
//! A switch either way keeps the count; otherwise Redis dying would hand every caller a fresh budget, and
//! Redis coming back would forget what was spent while it was away. Every key's latest total is mirrored in
//! process: while Redis is away a key is charged on from the last total Redis answered for it, and what is
//! charged meanwhile is owed to Redis. The first call that reaches Redis again pays every key's debt, so the
//! budget spent during the outage counts on every instance; and a key Redis answers for with less than this
//! process has seen (Redis restarted empty) is raised to that. Near a recovery a key may count a little
//! more than was spent (a debt paid by two racing calls), never less.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::cache::RedisLink;

/// Creates the key for the window if it is new, adds `ARGV[2]` and answers the total, raised to at least
/// `ARGV[3]` (what this process has seen of it, with the points added) — in one step, so no other
/// instance's charge falls between. A script rather than a transaction: the raise depends on the total.
const CHARGE: &str = r"
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local total = redis.call('INCRBY', KEYS[1], ARGV[2])
local floor = tonumber(ARGV[3])
if total < floor then
  total = redis.call('INCRBY', KEYS[1], floor - total)
end
return total
";

pub struct RateCounter {
    redis: Option<Arc<RedisLink>>,
    tallies: moka::sync::Cache<String, Arc<Tally>>,
    /// Some key has points Redis has not been told of.
    owing: AtomicBool,
    window: Duration,
}

/// A key's count as this process knows it.
#[derive(Default)]
struct Tally {
    /// The last total Redis answered, plus what was charged here since.
    total: AtomicU64,
    /// Charged here while Redis was away, not yet added there.
    owed: AtomicU64,
}

impl RateCounter {
    /// Counters live for `window` (the longest window callers use).
    pub fn new(redis: Option<Arc<RedisLink>>, window: Duration) -> Self {
        let tallies = moka::sync::Cache::builder().max_capacity(100_000).time_to_live(window).build();
        Self { redis, tallies, owing: AtomicBool::new(false), window }
    }

    /// Adds `cost` to `key`'s counter and returns its new total.
    pub async fn charge(&self, key: &str, cost: u64) -> u64 {
        let tally = self.tally(key);
        let Some(link) = &self.redis else { return tally.total.fetch_add(cost, Ordering::SeqCst).saturating_add(cost) };
        let owed = tally.owed.swap(0, Ordering::SeqCst);
        let seen = tally.total.load(Ordering::SeqCst).saturating_add(cost);
        if let Some(total) = link.query::<u64>(&self.charge_command(link, key, owed.saturating_add(cost), seen)).await {
            // Within a window Redis's totals only grow: an answer overtaken by a later one is not the latest.
            tally.total.fetch_max(total, Ordering::SeqCst);
            if self.owing.swap(false, Ordering::SeqCst) {
                self.settle(link).await;
            }
            return total;
        }
        tally.owed.fetch_add(owed.saturating_add(cost), Ordering::SeqCst);
        self.owing.store(true, Ordering::SeqCst);
        tally.total.fetch_add(cost, Ordering::SeqCst).saturating_add(cost)
    }

    fn tally(&self, key: &str) -> Arc<Tally> {
        match self.tallies.get(key) {
            Some(tally) => tally,
            None => self.tallies.get_with(key.to_owned(), Arc::default),
        }
    }

    fn charge_command(&self, link: &RedisLink, key: &str, points: u64, floor: u64) -> redis::Cmd {
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(CHARGE).arg(1).arg(link.key(key)).arg(self.window.as_secs().max(1)).arg(points).arg(floor);
        cmd
    }

    /// Tells Redis every point charged here while it was away; on trouble the debts stay for the next call
    /// that reaches Redis.
    async fn settle(&self, link: &RedisLink) {
        let debts: Vec<(Arc<String>, Arc<Tally>, u64)> = self
            .tallies
            .iter()
            .filter_map(|(key, tally)| {
                let owed = tally.owed.swap(0, Ordering::SeqCst);
                (owed > 0).then_some((key, tally, owed))
            })
            .collect();
        if debts.is_empty() {
            return;
        }
        let mut pipe = redis::pipe();
        for (key, tally, owed) in &debts {
            pipe.add_command(self.charge_command(link, key, *owed, tally.total.load(Ordering::SeqCst)));
        }
        match link.pipe::<Vec<u64>>(&pipe).await {
            Some(totals) => {
                for ((_, tally, _), total) in debts.iter().zip(totals) {
                    tally.total.fetch_max(total, Ordering::SeqCst);
                }
            }
            None => {
                for (_, tally, owed) in &debts {
                    tally.owed.fetch_add(*owed, Ordering::SeqCst);
                }
                self.owing.store(true, Ordering::SeqCst);
            }
        }
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
        let link = Arc::new(
            RedisLink::new("redis://127.0.0.1:1", "t:", std::sync::Arc::new(gongzhi_domain::clock::SystemClock))
                .expect("url"),
        );
        let counter = RateCounter::new(Some(link), Duration::from_secs(60));
        assert_eq!(counter.charge("a", 2).await, 2);
        assert_eq!(counter.charge("a", 2).await, 4);
    }
}

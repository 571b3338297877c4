//! The Redis cache, shared by every instance: entries with a time-to-live, version counters that expire
//! when left alone for `COUNTER_SECONDS`, and an epoch set once per Redis life (see `Versions`). Trouble is
//! a miss (see `RedisLink`).
//!
//! A counter that is missing — never used, or expired — is started at a random number rather than at 0,
//! and a bump of a missing counter does the same before it increments. So a counter that comes back never
//! repeats a number it had before, and no value cached under an old number can be served under the new
//! one, however long entries live: its expiry can be anything, and a long-running deployment no longer
//! keeps a counter for every topic it ever saw.

use std::sync::Arc;
use std::time::Duration;

use super::{Cache, RedisLink, Versions};

const EPOCH: &str = "v:epoch";

/// How long a counter outlives its last bump or start. Short enough that a city's counters do not pile up,
/// long enough that a quiet place's reads do not restart it (and miss) often.
const COUNTER_SECONDS: u64 = 7 * 24 * 3600;

/// Where a new counter starts: anywhere in 2^62, far from where another life of it could have reached.
fn fresh_start() -> u64 {
    uuid::Uuid::new_v4().as_u64_pair().0 >> 2
}

pub struct RedisCache {
    link: Arc<RedisLink>,
    ttl_seconds: u64,
}

impl RedisCache {
    pub fn new(link: Arc<RedisLink>, ttl: Duration) -> Self {
        Self { link, ttl_seconds: ttl.as_secs().max(1) }
    }

    /// Starts the missing counters (one of several racing instances wins) and reads what they now hold.
    async fn start(&self, missing: &[&String]) -> Option<Vec<u64>> {
        let mut pipe = redis::pipe();
        for key in missing {
            let key = self.link.key(key);
            pipe.cmd("SET").arg(&key).arg(fresh_start()).arg("NX").arg("EX").arg(COUNTER_SECONDS).ignore();
            pipe.cmd("GET").arg(&key);
        }
        let started: Vec<Option<u64>> = self.link.pipe(&pipe).await?;
        // A counter that vanished again between the two commands is a miss this time.
        started.into_iter().collect()
    }
}

#[async_trait::async_trait]
impl Cache for RedisCache {
    async fn versions(&self, keys: &[String]) -> Option<Versions> {
        let mut cmd = redis::cmd("MGET");
        cmd.arg(self.link.key(EPOCH));
        for key in keys {
            cmd.arg(self.link.key(key));
        }
        let found: Vec<Option<u64>> = self.link.query(&cmd).await?;
        let mut found = found.into_iter();
        let Some(epoch) = found.next().flatten() else {
            // A new Redis (or one that lost its data): name its life, and read this once as a miss.
            let epoch = uuid::Uuid::new_v4().as_u64_pair().0 >> 1;
            let _: Option<()> = self.link.query(redis::cmd("SET").arg(self.link.key(EPOCH)).arg(epoch).arg("NX")).await;
            return None;
        };
        let mut numbers: Vec<Option<u64>> = found.collect();
        let missing: Vec<(usize, &String)> =
            numbers.iter().zip(keys).enumerate().filter(|(_, (n, _))| n.is_none()).map(|(i, (_, k))| (i, k)).collect();
        if !missing.is_empty() {
            let started = self.start(&missing.iter().map(|(_, key)| *key).collect::<Vec<_>>()).await?;
            for ((i, _), number) in missing.iter().zip(started) {
                numbers[*i] = Some(number);
            }
        }
        Some(Versions { epoch, numbers: numbers.into_iter().collect::<Option<Vec<u64>>>()? })
    }

    async fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.link.query::<Option<Vec<u8>>>(redis::cmd("GET").arg(self.link.key(key))).await.flatten()
    }

    async fn put(&self, key: &str, value: Vec<u8>) {
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.link.key(key)).arg(value).arg("EX").arg(self.ttl_seconds);
        let _: Option<()> = self.link.query(&cmd).await;
    }

    async fn bump(&self, keys: &[String]) -> bool {
        let mut pipe = redis::pipe();
        for key in keys {
            let key = self.link.key(key);
            pipe.cmd("SET").arg(&key).arg(fresh_start()).arg("NX").arg("EX").arg(COUNTER_SECONDS).ignore();
            pipe.cmd("INCR").arg(&key).ignore();
            pipe.cmd("EXPIRE").arg(&key).arg(COUNTER_SECONDS).ignore();
        }
        self.link.pipe::<()>(&pipe).await.is_some()
    }

    async fn forget_containing(&self, needles: &[String]) -> bool {
        self.link.forget_containing(needles).await.is_some()
    }

    fn is_shared(&self) -> bool {
        true
    }
}

//! The Redis cache, shared by every instance: entries with a time-to-live, version counters without one
//! (`INCR`), and an epoch set once per Redis life (see `Versions`). Trouble is a miss (see `RedisLink`).

use std::sync::Arc;
use std::time::Duration;

use super::{Cache, RedisLink, Versions};

const EPOCH: &str = "v:epoch";

pub struct RedisCache {
    link: Arc<RedisLink>,
    ttl_seconds: u64,
}

impl RedisCache {
    pub fn new(link: Arc<RedisLink>, ttl: Duration) -> Self {
        Self { link, ttl_seconds: ttl.as_secs().max(1) }
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
        Some(Versions { epoch, numbers: found.map(|v| v.unwrap_or(0)).collect() })
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
            pipe.cmd("INCR").arg(self.link.key(key)).ignore();
        }
        self.link.pipe::<()>(&pipe).await.is_some()
    }

    fn is_shared(&self) -> bool {
        true
    }
}

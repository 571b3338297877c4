//! One Redis connection for the cache and the rate limits, with short limits (500 ms to connect, 200 ms a
//! command) and a breaker, so a dead or slow Redis costs a request at most one short wait and usually none.
//! Every call answers `None` on trouble: callers treat that as a cache miss (or count in-process).

use std::sync::Arc;
use std::time::Duration;

use gongzhi_domain::clock::Clock;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, FromRedisValue, RedisError};
use tokio::sync::Mutex;
use tokio::time::timeout;

use super::breaker::Breaker;

const CONNECT: Duration = Duration::from_millis(500);
const COMMAND: Duration = Duration::from_millis(200);
/// How long a failing Redis is left alone before one request tries it again.
const COOL_DOWN: Duration = Duration::from_secs(2);

pub struct RedisLink {
    client: Client,
    /// Dropped after any failure, so that the next attempt connects afresh instead of waiting on the
    /// manager's own reconnection schedule.
    manager: Mutex<Option<ConnectionManager>>,
    breaker: Breaker,
    prefix: String,
}

impl RedisLink {
    /// `prefix` starts every key, so that deployments (and tests) can share one Redis. The breaker's
    /// cool-down runs on `clock`.
    pub fn new(url: &str, prefix: &str, clock: Arc<dyn Clock>) -> Result<Self, RedisError> {
        Ok(Self {
            client: Client::open(url)?,
            manager: Mutex::new(None),
            breaker: Breaker::new(COOL_DOWN, clock),
            prefix: prefix.to_owned(),
        })
    }

    pub fn key(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }

    /// The client, for a connection of another kind (the live bus's pub/sub subscriber).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Whether the breaker is open (Redis recently failed and is being left alone).
    pub fn is_open(&self) -> bool {
        self.breaker.is_open()
    }

    async fn connection(&self) -> Option<ConnectionManager> {
        let mut slot = self.manager.lock().await;
        if let Some(manager) = slot.as_ref() {
            return Some(manager.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECT))
            .set_response_timeout(Some(COMMAND))
            .set_number_of_retries(1)
            .set_max_delay(COOL_DOWN);
        match timeout(CONNECT, ConnectionManager::new_with_config(self.client.clone(), config)).await {
            Ok(Ok(manager)) => {
                *slot = Some(manager.clone());
                Some(manager)
            }
            Ok(Err(err)) => {
                tracing::debug!(error = %err, "cannot connect to Redis");
                None
            }
            Err(_) => {
                tracing::debug!("connecting to Redis timed out");
                None
            }
        }
    }

    async fn failed(&self) {
        self.breaker.failed();
        *self.manager.lock().await = None;
    }

    /// Runs one command, or `None` when the breaker is open or Redis fails or is slow.
    pub async fn query<T: FromRedisValue>(&self, cmd: &redis::Cmd) -> Option<T> {
        if !self.breaker.allow() {
            return None;
        }
        let Some(mut connection) = self.connection().await else {
            self.failed().await;
            return None;
        };
        self.judge(timeout(COMMAND, cmd.query_async(&mut connection)).await).await
    }

    /// Runs a pipeline (atomic when built with `.atomic()`), like `query`.
    pub async fn pipe<T: FromRedisValue>(&self, pipe: &redis::Pipeline) -> Option<T> {
        if !self.breaker.allow() {
            return None;
        }
        let Some(mut connection) = self.connection().await else {
            self.failed().await;
            return None;
        };
        self.judge(timeout(COMMAND, pipe.query_async(&mut connection)).await).await
    }

    /// Deletes every string value under this link's prefix that holds any of `needles`, batch by batch of
    /// a SCAN, each batch checked and deleted by one script so a value is never read back to this process
    /// (decision 167). The number deleted, or `None` when Redis failed part way.
    pub async fn forget_containing(&self, needles: &[String]) -> Option<u64> {
        const SCRIPT: &str = r"
local n = 0
for _, k in ipairs(KEYS) do
  if redis.call('TYPE', k).ok == 'string' then
    local v = redis.call('GET', k)
    for _, needle in ipairs(ARGV) do
      if string.find(v, needle, 1, true) then redis.call('DEL', k); n = n + 1; break end
    end
  end
end
return n";
        let pattern = format!("{}*", self.prefix);
        let mut cursor: u64 = 0;
        let mut deleted = 0;
        loop {
            let mut scan = redis::cmd("SCAN");
            scan.arg(cursor).arg("MATCH").arg(&pattern).arg("COUNT").arg(500);
            let (next, keys): (u64, Vec<String>) = self.query(&scan).await?;
            if !keys.is_empty() {
                let mut eval = redis::cmd("EVAL");
                eval.arg(SCRIPT).arg(keys.len()).arg(&keys).arg(needles);
                deleted += self.query::<u64>(&eval).await?;
            }
            if next == 0 {
                return Some(deleted);
            }
            cursor = next;
        }
    }

    async fn judge<T>(&self, outcome: Result<Result<T, RedisError>, tokio::time::error::Elapsed>) -> Option<T> {
        match outcome {
            Ok(Ok(value)) => {
                self.breaker.succeeded();
                Some(value)
            }
            Ok(Err(err)) => {
                tracing::debug!(error = %err, "Redis command failed");
                self.failed().await;
                None
            }
            Err(_) => {
                tracing::debug!("Redis command timed out");
                self.failed().await;
                None
            }
        }
    }
}

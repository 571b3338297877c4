//! Whether Redis answers. Redis is optional (caches and rate limits fall back to in-process ones), so
//! trouble there makes the service degraded, never unready.

use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{Client, RedisError};
use tokio::sync::OnceCell;
use tokio::time::timeout;

/// Short limits: a health probe must not hang on a dead Redis.
const CONNECT: Duration = Duration::from_millis(500);
const COMMAND: Duration = Duration::from_millis(200);

pub struct RedisHealth {
    client: Client,
    manager: OnceCell<ConnectionManager>,
}

impl RedisHealth {
    pub fn new(url: &str) -> Result<Self, RedisError> {
        Ok(Self { client: Client::open(url)?, manager: OnceCell::new() })
    }

    /// True when a PING is answered in time. Connects lazily and reconnects by itself after an outage.
    pub async fn ping(&self) -> bool {
        let manager = self
            .manager
            .get_or_try_init(|| async {
                let config = redis::aio::ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(CONNECT))
                    .set_response_timeout(Some(COMMAND))
                    .set_number_of_retries(1);
                match timeout(CONNECT, ConnectionManager::new_with_config(self.client.clone(), config)).await {
                    Ok(result) => result.map_err(|_| ()),
                    Err(_) => Err(()),
                }
            })
            .await;
        let Ok(manager) = manager else { return false };
        let mut connection = manager.clone();
        let pong: Result<Result<String, RedisError>, _> =
            timeout(COMMAND, redis::cmd("PING").query_async(&mut connection)).await;
        matches!(pong, Ok(Ok(ref reply)) if reply == "PONG")
    }
}

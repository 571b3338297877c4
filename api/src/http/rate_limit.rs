//! Rate limits per person and per client address, weighted by query complexity. The charge is made by a
//! GraphQL extension right after validation (when the complexity is known) and before anything executes,
//! so a refused request changes nothing. Counters are in Redis when there is one (shared by every
//! instance) and in-process otherwise or while Redis is in trouble. A refusal is `RATE_LIMITED`, HTTP 429
//! with `Retry-After`.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ServerError, ValidationResult};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::PersonId;
use gongzhi_infra::cache::RedisLink;
use gongzhi_infra::rate_counter::RateCounter;

use crate::error::ApiError;
use crate::read_path_settings::RateLimitSettings;
use crate::state::SharedState;

/// Who is asking, as far as rate limits care; attached to every GraphQL request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub person: Option<PersonId>,
    pub address: Option<String>,
}

pub struct RateLimiter {
    counter: RateCounter,
    settings: RateLimitSettings,
}

impl RateLimiter {
    pub fn new(settings: RateLimitSettings, redis: Option<Arc<RedisLink>>) -> Self {
        let window = std::time::Duration::from_secs(settings.window_seconds.max(1));
        Self { counter: RateCounter::new(redis, window), settings }
    }

    pub fn trusts_forwarded_for(&self) -> bool {
        self.settings.trust_forwarded_for
    }

    /// Charges `cost` to each of the caller's budgets in the current window. `Some(seconds)` to wait when
    /// any budget is spent.
    pub async fn charge(&self, caller: &Caller, cost: u64, now: DateTime<Utc>) -> Option<u64> {
        if !self.settings.enabled {
            return None;
        }
        let window = self.settings.window_seconds.max(1);
        let seconds = u64::try_from(now.timestamp()).unwrap_or(0);
        let (index, retry_after) = (seconds / window, window - seconds % window);
        let mut over = false;
        if let Some(person) = caller.person {
            let total = self.counter.charge(&format!("rl:person:{}:{index}", person.as_uuid()), cost).await;
            over |= total > self.settings.person_points;
        }
        if let Some(address) = &caller.address {
            let total = self.counter.charge(&format!("rl:ip:{address}:{index}"), cost).await;
            over |= total > self.settings.ip_points;
        }
        over.then_some(retry_after)
    }
}

/// Charges each request its complexity once validation has computed it.
pub struct RateLimit;

impl ExtensionFactory for RateLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RateLimit)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for RateLimit {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let (Some(state), Some(caller)) = (ctx.data_opt::<SharedState>(), ctx.data_opt::<Caller>()) else {
            return Ok(result);
        };
        let cost = u64::try_from(result.complexity.max(1)).unwrap_or(u64::MAX);
        match state.limiter.charge(caller, cost, state.store.clock().now()).await {
            None => Ok(result),
            Some(retry_after) => {
                let mut error = ServerError::new("rate limited", None);
                error.source = Some(Arc::new(ApiError::RateLimited { retry_after }));
                Err(vec![error])
            }
        }
    }
}

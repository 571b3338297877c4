//! Rate limits per person, per client address and per API partner, weighted by query complexity. The
//! charge is made by a GraphQL extension right after validation (when the complexity is known) and before
//! anything executes, so a refused request changes nothing; a request whose complexity is remembered from
//! an earlier one is charged before it runs instead (`complexity.rs`). A partner's requests are charged
//! to the partner alone, not to its address: city systems sit behind one NAT address (decision 29).
//! Counters are in Redis when there is one (shared by every instance) and in-process otherwise or while
//! Redis is in trouble. A refusal is `RATE_LIMITED`, HTTP 429 with `Retry-After`.

use std::sync::Arc;

use actix_web::HttpRequest;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ServerError, ValidationResult};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PartnerId, PersonId};
use gongzhi_infra::cache::RedisLink;
use gongzhi_infra::rate_counter::RateCounter;

use super::complexity::ComplexityKey;
use crate::error::ApiError;
use crate::read_path_settings::RateLimitSettings;
use crate::state::SharedState;

/// Who is asking, as far as rate limits care; attached to every GraphQL request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub person: Option<PersonId>,
    /// An API partner whose token was checked, with its own budget when it has one.
    pub partner: Option<(PartnerId, Option<u64>)>,
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

    /// The client address a request is charged to: the peer's, or behind a trusted proxy the one it
    /// forwards.
    pub fn address_of(&self, http: &HttpRequest) -> Option<String> {
        if self.settings.trust_forwarded_for {
            http.connection_info().realip_remote_addr().map(str::to_owned)
        } else {
            http.peer_addr().map(|peer| peer.ip().to_string())
        }
    }

    /// Charges `cost` to each of the caller's budgets in the current window. `Some(seconds)` to wait when
    /// any budget is spent. A partner has one budget, its own; a person theirs and their address's; an
    /// anonymous caller its address's.
    pub async fn charge(&self, caller: &Caller, cost: u64, now: DateTime<Utc>) -> Option<u64> {
        if !self.settings.enabled {
            return None;
        }
        let window = self.settings.window_seconds.max(1);
        let seconds = u64::try_from(now.timestamp()).unwrap_or(0);
        let (index, retry_after) = (seconds / window, window - seconds % window);
        if let Some((partner, budget)) = caller.partner {
            let total = self.counter.charge(&format!("rl:partner:{}:{index}", partner.as_uuid()), cost).await;
            return (total > budget.unwrap_or(self.settings.partner_points)).then_some(retry_after);
        }
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

/// A request's selections with fragments expanded (`document_bounds`), attached to it: a request is
/// charged the larger of this and its complexity, so that what the complexity does not weigh — floods of
/// `__typename`, duplicate fields — costs what it does.
#[derive(Debug, Clone, Copy)]
pub struct Selections(pub u64);

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
        let selections = ctx.data_opt::<Selections>().map_or(0, |selections| selections.0);
        let cost = u64::try_from(result.complexity.max(1)).unwrap_or(u64::MAX).max(selections);
        if let Some(key) = ctx.data_opt::<ComplexityKey>() {
            state.complexities.remember(*key, cost);
        }
        match state.limiter.charge(caller, cost, state.store.clock().now()).await {
            None => Ok(result),
            Some(retry_after) => Err(vec![refusal(retry_after)]),
        }
    }
}

/// The engine error of a refused request (worded, coded and given its `Retry-After` by the HTTP layer).
pub fn refusal(retry_after: u64) -> ServerError {
    let mut error = ServerError::new("rate limited", None);
    error.source = Some(Arc::new(ApiError::RateLimited { retry_after }));
    error
}

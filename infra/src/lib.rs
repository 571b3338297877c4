//! Gongzhi's storage and outside services. Every use case that reads or writes runs here, inside one
//! transaction, asking `gongzhi_domain::policy` before it changes anything.

pub mod accountability;
pub mod auth;
pub mod authority;
pub mod background;
pub mod ballot_roll;
mod batch;
pub mod cache;
mod chained;
pub mod claims;
pub mod companies;
pub mod content;
pub mod db;
pub mod demo;
mod demo_accountability;
pub mod demo_clock;
mod demo_disclosures;
pub mod developers;
pub mod disclosures;
mod entities;
pub mod error;
pub mod event_log;
pub mod feed;
pub mod files;
pub mod grids;
mod handle;
pub mod idempotency;
pub mod import;
mod joined;
pub mod live;
pub mod mandates;
pub mod outbox;
pub mod partners;
pub mod people;
pub mod persisted_queries;
pub mod person_merge;
mod place_contexts;
pub mod place_relations;
pub mod places;
pub mod pool_waits;
pub mod privacy;
pub mod rate_counter;
pub mod read_stamp;
pub mod redis_health;
pub mod roles;
mod rows;
pub mod statistics;
pub mod topics;
pub mod uploads;
mod vote_results;
pub mod vote_turnout;
pub mod votes;
pub mod wechat;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use gongzhi_domain::clock::Clock;
use gongzhi_domain::topic::{DeadlineDays, Deadlines};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::authority::AuthorityCache;
use crate::cache::ReadCache;
use crate::event_log::{LogSignal, Pending};
use crate::handle::Db;
use crate::topics::write::{AfterCommit, EventSink, TopicWrite};

pub use error::{Error, Result};

/// The storage handle every use case hangs off: where SQL runs (the pool, or a unit of work) and the clock.
#[derive(Clone)]
pub struct Store {
    pool: DatabaseConnection,
    db: Db,
    clock: Arc<dyn Clock>,
    deadlines: Deadlines,
    statements: Arc<AtomicU64>,
    /// Statements run by background work (`background`), apart from `statements` (decision 163).
    background_statements: Arc<AtomicU64>,
    /// Time spent in those statements, in microseconds (not counting waits for a pooled connection).
    statement_micros: Arc<AtomicU64>,
    /// The read cache of hot reads (feeds, counts, topics); off unless `with_cache` is called.
    cache: ReadCache,
    /// In a unit of work: the cache counters its writes changed, bumped once the unit commits.
    deferred: Option<Arc<Mutex<BTreeSet<String>>>>,
    /// Who sessions' people are and what places are to the policy, for a moment (`authority`).
    authority: AuthorityCache,
    /// How many owners one proxy may vote for in one vote (decision 49).
    proxy_cap: gongzhi_domain::vote::ProxyCap,
    /// Where partners' webhooks may be posted (decision 71).
    webhook_targets: outbox::WebhookTargets,
    /// Told after each commit that appended to the event log.
    log: LogSignal,
    /// In a unit of work: the events its writes recorded, flushed into the log before its commit.
    pending: Option<Pending>,
    /// In a unit of work begun inside another (a savepoint of it): the outer unit's events and counters,
    /// which this one's become when it commits, to be flushed and bumped at the outer commit.
    outer: Option<(Pending, Arc<Mutex<BTreeSet<String>>>)>,
}

/// Put among a unit of work's deferred counters by a change to authority: its commit advances the
/// generation again.
const AUTHORITY_CHANGED: &str = "authority";

impl Store {
    /// Takes over the connection's metric callback to count the statements it runs (see `statements_run`).
    pub fn new(mut pool: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        let deadlines = Deadlines::new(DeadlineDays::default()).unwrap_or_else(|_| unreachable!("defaults are valid"));
        let statements = Arc::new(AtomicU64::new(0));
        let statement_micros = Arc::new(AtomicU64::new(0));
        let background_statements = Arc::new(AtomicU64::new(0));
        let (counter, micros) = (statements.clone(), statement_micros.clone());
        let background_counter = background_statements.clone();
        pool.set_metric_callback(move |info| {
            if background::is_background() {
                background_counter.fetch_add(1, Ordering::Relaxed);
            } else {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            micros.fetch_add(u64::try_from(info.elapsed.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
            pool_waits::PoolWaits::statement_ran(info.elapsed);
        });
        Self {
            db: Db::Pool(pool.clone(), pool_waits::PoolWaits::default()),
            pool,
            clock,
            deadlines,
            statements,
            background_statements,
            statement_micros,
            cache: ReadCache::none(),
            deferred: None,
            authority: AuthorityCache::default(),
            proxy_cap: gongzhi_domain::vote::ProxyCap::DEFAULT,
            webhook_targets: outbox::WebhookTargets::default(),
            log: LogSignal::default(),
            pending: None,
            outer: None,
        }
    }

    /// Caches hot reads in `cache`, invalidated by every write that changes them.
    pub fn with_cache(mut self, cache: ReadCache) -> Self {
        self.cache = cache;
        self
    }

    /// Holds sessions' people and places' contexts in process for a moment (see `authority`).
    pub fn with_authority_cache(mut self, authority: AuthorityCache) -> Self {
        self.authority = authority;
        self
    }

    /// The authority snapshots, when reads may use them: not inside a unit of work, which must see its own
    /// writes.
    pub(crate) fn authority(&self) -> Option<&AuthorityCache> {
        matches!(self.db, Db::Pool(..)).then_some(&self.authority)
    }

    /// After a commit that changed grants, sessions or places: nothing held before serves again. Inside a
    /// unit of work, once more when the unit commits.
    pub(crate) fn authority_changed(&self) {
        self.authority.changed();
        if let Some(deferred) = &self.deferred {
            deferred.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(AUTHORITY_CHANGED.to_owned());
        }
    }

    /// After a commit that changed grants or places: as `authority_changed`, and the shared counter that
    /// tells every instance's kept responses stale (`read_stamp`).
    pub(crate) async fn policy_changed(&self) {
        self.authority_changed();
        self.changed(BTreeSet::from([crate::cache::authority_version()])).await;
    }

    /// After a commit that changed what these counters cover: bumps them, or inside a unit of work hands
    /// them to the unit, which bumps them after its own commit.
    pub(crate) async fn changed(&self, counters: BTreeSet<String>) {
        if !self.cache.is_enabled() {
            return;
        }
        match &self.deferred {
            Some(deferred) => deferred.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(counters),
            None => self.cache.bump(counters).await,
        }
    }

    /// The cache, when reads may use it: never inside a unit of work, whose reads must see its own
    /// uncommitted writes and whose uncommitted data must never be cached.
    pub(crate) fn read_cache(&self) -> Option<&ReadCache> {
        (matches!(self.db, Db::Pool(..)) && self.cache.is_enabled()).then_some(&self.cache)
    }

    /// A write transaction whose topic changes invalidate cached reads once committed.
    pub(crate) async fn write(&self) -> Result<TopicWrite> {
        let after = match (&self.deferred, self.cache.is_enabled()) {
            (_, false) => AfterCommit::Nothing,
            (Some(deferred), true) => AfterCommit::Defer(deferred.clone()),
            (None, true) => AfterCommit::Bump(self.cache.clone()),
        };
        let sink = match &self.pending {
            Some(pending) => EventSink::Defer(pending.clone()),
            None => EventSink::Flush(self.log.clone()),
        };
        Ok(TopicWrite::new(self.db.begin().await?, after, sink))
    }

    /// The pipeline's deadlines, from configuration.
    pub fn with_deadlines(mut self, deadlines: Deadlines) -> Self {
        self.deadlines = deadlines;
        self
    }

    /// How many owners one proxy may vote for in one vote, from configuration.
    pub fn with_proxy_cap(mut self, cap: gongzhi_domain::vote::ProxyCap) -> Self {
        self.proxy_cap = cap;
        self
    }

    /// Where partners' webhooks may be posted: the loopback setting, and the resolver (tests inject one).
    pub fn with_webhook_targets(mut self, targets: outbox::WebhookTargets) -> Self {
        self.webhook_targets = targets;
        self
    }

    pub fn webhook_targets(&self) -> &outbox::WebhookTargets {
        &self.webhook_targets
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.pool
    }

    /// A store whose every use case runs inside one transaction, committed or rolled back by `finish`.
    pub async fn unit_of_work(&self) -> Result<Store> {
        let (txn, outer) = match &self.db {
            Db::Pool(_, waits) => (waits.time(self.pool.begin()).await?, None),
            // Inside a unit of work, a unit is a savepoint of it: one transaction (SQLite has one writer, and
            // a second would wait on the first's lock), and what it commits commits only with the outer one.
            Db::Work(..) => (self.db.begin().await?, self.pending.clone().zip(self.deferred.clone())),
        };
        Ok(Store {
            pool: self.pool.clone(),
            db: Db::work(txn),
            clock: self.clock.clone(),
            deadlines: self.deadlines,
            statements: self.statements.clone(),
            background_statements: self.background_statements.clone(),
            statement_micros: self.statement_micros.clone(),
            cache: self.cache.clone(),
            deferred: Some(Arc::default()),
            authority: self.authority.clone(),
            proxy_cap: self.proxy_cap,
            webhook_targets: self.webhook_targets.clone(),
            log: self.log.clone(),
            pending: Some(Pending::default()),
            outer,
        })
    }

    /// Commits (or rolls back) a unit of work, then invalidates what its writes changed; on a plain store,
    /// does nothing.
    pub async fn finish(&self, commit: bool) -> Result<()> {
        let events = self
            .pending
            .as_ref()
            .map(|p| std::mem::take(&mut *p.lock().unwrap_or_else(std::sync::PoisonError::into_inner)))
            .unwrap_or_default();
        if let Some((outer_events, outer_counters)) = &self.outer {
            self.db.finish(commit).await.map_err(Error::from)?;
            let counters = self
                .deferred
                .as_ref()
                .map(|d| std::mem::take(&mut *d.lock().unwrap_or_else(std::sync::PoisonError::into_inner)))
                .unwrap_or_default();
            if commit {
                outer_events.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(events);
                outer_counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(counters);
            } else if counters.contains(AUTHORITY_CHANGED) {
                self.authority.changed();
            }
            return Ok(());
        }
        let appended = commit && !events.is_empty();
        if appended && let Err(err) = event_log::flush(&self.db, events).await {
            self.db.finish(false).await.map_err(Error::from)?;
            return Err(err);
        }
        self.db.finish(commit).await.map_err(Error::from)?;
        if appended {
            self.log.appended();
        }
        if let Some(deferred) = &self.deferred {
            let mut counters = std::mem::take(&mut *deferred.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
            if counters.remove(AUTHORITY_CHANGED) {
                self.authority.changed();
            }
            if commit {
                self.cache.bump(counters).await;
            }
        }
        Ok(())
    }

    /// Told after every commit of this store (and its clones) that appended to the event log.
    pub fn log_signal(&self) -> &LogSignal {
        &self.log
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// SQL statements run on this store's connection since it was opened, as sea-orm reports them to the
    /// connection's metric callback (every clone and unit of work counts into the same total): for the
    /// `/metrics` counter and for tests asserting that a read costs a fixed number of statements.
    /// Background work's statements are not among them (`background_statements_run`).
    pub fn statements_run(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Statements run by background work (the log's consumers, the delivery worker; decision 163).
    pub fn background_statements_run(&self) -> u64 {
        self.background_statements.load(Ordering::Relaxed)
    }

    /// Time those statements took, as the driver measured each (from sending it to its last row): beside a
    /// request's own latency it tells how long the request waited for a connection or ran outside SQL.
    pub fn statement_time(&self) -> std::time::Duration {
        std::time::Duration::from_micros(self.statement_micros.load(Ordering::Relaxed))
    }

    /// Calls on the pool so far and how long they waited for a connection (`pool_waits`), for metrics.
    pub fn pool_waits(&self) -> (u64, std::time::Duration) {
        match &self.db {
            Db::Pool(_, waits) => waits.total(),
            Db::Work(..) => (0, std::time::Duration::ZERO),
        }
    }

    /// Reads through the cache so far, by where each was answered (for metrics).
    pub fn cache_reads(&self) -> cache::CacheReads {
        self.cache.reads()
    }

    /// Open and idle connections in the pool, for metrics.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self.pool.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                let pool = self.pool.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => {
                let pool = self.pool.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
        }
    }

    /// Whether the database answers, for `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        self.pool.ping().await.map_err(Error::from)
    }
}

/// A fresh id. UUIDv7 so that ids sort by creation time, which Relay cursors rely on.
pub(crate) fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

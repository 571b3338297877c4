//! How long the store waits for a pooled connection. The driver times each statement from sending it to
//! its last row (`Store::statement_time`); what a call on the pool costs beyond that is the wait for a
//! connection to come free (and the driver's own work around the statement, which is small), and under a
//! load it is where a request's time goes when the pool is too small or held too long (issue 16). Each call
//! on the pool — a statement outside a transaction, or taking the connection a transaction runs on — is
//! timed whole, less the statement time the metric callback reports for it inside the same task.

use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

// tokio's clock, which is the system's outside tests and can be paused in them.
use tokio::time::Instant;

tokio::task_local! {
    /// The statement time reported for the call being timed in this task (see `PoolWaits::time`).
    static SQL_MICROS: Cell<u64>;
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Time spent waiting on the pool, over every clone of the store.
#[derive(Debug, Clone, Default)]
pub struct PoolWaits {
    micros: Arc<AtomicU64>,
    calls: Arc<AtomicU64>,
}

impl PoolWaits {
    /// Runs one call on the pool and counts the part of its time that was not its statement's.
    pub(crate) async fn time<T>(&self, call: impl Future<Output = T>) -> T {
        let started = Instant::now();
        let (value, sql) = SQL_MICROS
            .scope(Cell::new(0), async {
                let value = call.await;
                (value, SQL_MICROS.with(Cell::get))
            })
            .await;
        let waited = micros(started.elapsed()).saturating_sub(sql);
        self.micros.fetch_add(waited, Ordering::Relaxed);
        self.calls.fetch_add(1, Ordering::Relaxed);
        value
    }

    /// Called from the connection's metric callback with a statement's time: taken off the wait of the call
    /// that ran it, if one is being timed in this task.
    pub(crate) fn statement_ran(elapsed: Duration) {
        let _ = SQL_MICROS.try_with(|sql| sql.set(sql.get().saturating_add(micros(elapsed))));
    }

    /// Calls on the pool timed so far, and how long they waited in all.
    pub fn total(&self) -> (u64, Duration) {
        (self.calls.load(Ordering::Relaxed), Duration::from_micros(self.micros.load(Ordering::Relaxed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_call_counts_its_time_less_its_statements() {
        let waits = PoolWaits::default();
        waits
            .time(async {
                tokio::time::sleep(Duration::from_millis(30)).await;
                PoolWaits::statement_ran(Duration::from_millis(10));
            })
            .await;
        let (calls, waited) = waits.total();
        assert_eq!(calls, 1);
        assert_eq!(waited, Duration::from_millis(20));
    }

    #[tokio::test]
    async fn a_statement_outside_a_timed_call_is_nobody_s_wait() {
        PoolWaits::statement_ran(Duration::from_millis(10));
        assert_eq!(PoolWaits::default().total(), (0, Duration::ZERO));
    }
}

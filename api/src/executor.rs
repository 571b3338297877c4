//! Where GraphQL requests execute: a runtime of their own, off the HTTP workers.
//!
//! The engine's validation and much of its execution are CPU work between `await`s. On an HTTP worker,
//! one long request held the worker: its time limit could not fire (the timer waits for the same thread),
//! and `/healthz` on that worker stalled with it. Here the HTTP worker only waits for the answer, so the
//! time limit answers the client on time whatever the request does, and health checks keep answering.
//! A request past its limit is cancelled at its next `await`; the document bounds
//! (`http::document_bounds`) keep the CPU work between two `await`s small.

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Runtime;

/// How the work ended when it gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfinished {
    /// It took longer than its limit, and was cancelled.
    TimedOut,
    /// It panicked (a bug): the request fails, the server goes on.
    Panicked,
    /// The server is shutting down.
    Stopped,
}

pub struct Executor {
    /// Always `Some` until dropped; taken out so it can be shut down without blocking.
    runtime: Option<Runtime>,
}

/// The engine recurses over documents and values; the bounds keep that shallow, and a larger stack than a
/// thread's default 2 MiB keeps a margin on top.
const STACK_BYTES: usize = 8 * 1024 * 1024;

impl Executor {
    pub fn new(threads: usize) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("gongzhi-graphql")
            .thread_stack_size(STACK_BYTES)
            .enable_all()
            .build()?;
        Ok(Self { runtime: Some(runtime) })
    }

    /// Runs `work` on the executor and waits at most `limit` for it.
    pub async fn run<T: Send + 'static>(
        &self,
        limit: Duration,
        work: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, Unfinished> {
        let Some(runtime) = &self.runtime else { return Err(Unfinished::Stopped) };
        let task = runtime.spawn(work);
        let abort = task.abort_handle();
        match tokio::time::timeout(limit, task).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(failure)) if failure.is_panic() => Err(Unfinished::Panicked),
            Ok(Err(_)) => Err(Unfinished::Stopped),
            Err(_) => {
                abort.abort();
                Err(Unfinished::TimedOut)
            }
        }
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        // Dropping a runtime blocks until its tasks finish, which is refused inside another runtime (the
        // last reference may go on any thread); requests still running are abandoned instead.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_what_the_work_returns() {
        let executor = Executor::new(1).unwrap();
        assert_eq!(executor.run(Duration::from_secs(5), async { 7 }).await, Ok(7));
    }

    #[tokio::test]
    async fn a_panic_fails_the_work_not_the_caller() {
        let executor = Executor::new(1).unwrap();
        let work = async { panic!("a bug in a resolver") };
        assert_eq!(executor.run::<()>(Duration::from_secs(5), work).await, Err(Unfinished::Panicked));
        assert_eq!(executor.run(Duration::from_secs(5), async { 1 }).await, Ok(1), "the executor goes on");
    }

    #[tokio::test(start_paused = true)]
    async fn work_that_never_ends_is_cut_at_its_limit() {
        let executor = Executor::new(1).unwrap();
        let endless = futures::future::pending::<()>();
        assert_eq!(executor.run(Duration::from_secs(10), endless).await, Err(Unfinished::TimedOut));
    }

    #[tokio::test(start_paused = true)]
    async fn work_that_never_awaits_is_cut_at_its_limit_too() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let executor = Executor::new(1).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let spinning = stop.clone();
        let busy = async move {
            while !spinning.load(Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        };
        assert_eq!(executor.run(Duration::from_secs(10), busy).await, Err(Unfinished::TimedOut));
        stop.store(true, Ordering::Relaxed);
    }
}

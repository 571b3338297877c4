//! The event log, the spine of issue 15: every fact the system commits, once, in commit order, in the
//! project's own versioned wire type, for consumers that read it after commit from their own cursors
//! (docs/architecture.md, "The event log"; decisions 64–69).
//!
//! - `wire`: the payload's shape and its version;
//! - `record`: what a step records (`NewEvent`) and what a consumer reads (`LoggedEvent`);
//! - `append`: the flush at commit that numbers events in commit order;
//! - `consumer`: the `Consumer` trait, cursors, `Store::consume_once`, reading the log;
//! - `pump`: running the registered consumers in the background of `serve`.

mod append;
mod consumer;
mod pump;
mod record;
pub mod wire;

pub(crate) use append::flush;
pub use consumer::{ConsumeSettings, Consumer, Cursor, EventFilter, read_after, texts};
pub use pump::{Pump, PumpHandle, PumpSettings};
pub(crate) use record::Pending;
pub use record::{Audience, EventText, LoggedEvent, NewEvent};

use std::sync::Arc;

use sea_orm::DbErr;

/// Told after every commit that appended to the log, so that this instance's consumers need not wait
/// for their poll. A counter, not the seq: waiters only need to know that something was appended.
#[derive(Clone)]
pub struct LogSignal {
    sender: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Default for LogSignal {
    fn default() -> Self {
        LogSignal { sender: Arc::new(tokio::sync::watch::channel(0).0) }
    }
}

impl LogSignal {
    pub(crate) fn appended(&self) {
        self.sender.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver whose `changed()` resolves after the next commit that appends.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.sender.subscribe()
    }
}

/// Records a fact on the write (in the log if the write commits) and, in the same transaction, queues the
/// notifications derived from it (`outbox::facts`): the enqueue stays atomic with the step (decisions 18, 69).
pub(crate) async fn record(write: &crate::topics::write::TopicWrite, event: NewEvent) -> crate::Result<()> {
    crate::outbox::facts::notify_of(write, &event).await?;
    write.record(event);
    Ok(())
}

fn fault(message: &str) -> crate::Error {
    crate::Error::Database(DbErr::Custom(message.to_owned()))
}

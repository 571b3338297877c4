//! The event log, the spine of issue 15: every fact the system commits, once, in commit order, in the
//! project's own versioned wire type, for consumers that read it after commit from their own cursors
//! (docs/architecture.md, "The event log"; decisions 64–69).
//!
//! - `wire`: the payload's shape and its version;
//! - `record`: what a step records (`NewEvent`) and what a consumer reads (`LoggedEvent`);
//! - `append`: the flush at commit (which numbers the events itself on SQLite);
//! - `sequencer`: numbering committed events after the fact on PostgreSQL (`Store::sequence_log`);
//! - `consumer`: the `Consumer` trait, cursors, `Store::consume_once`, reading the log;
//! - `public_view`: what partners may read of each kind;
//! - `pump`: running the registered consumers in the background of `serve`.

mod append;
mod consumer;
mod public_view;
mod pump;
mod record;
mod sequencer;
pub mod wire;

pub(crate) use append::{flush, flush_after, path_string};
pub use consumer::{ConsumeSettings, Consumer, Cursor, EventFilter, read_after, texts};
pub use pump::{Pump, PumpHandle, PumpSettings};
pub(crate) use record::Pending;
pub use record::{Audience, EventText, LoggedEvent, NewEvent};

use std::sync::Arc;

use sea_orm::DbErr;

/// Told after every commit that appended to the log, so that consumers need not wait for their poll. A
/// counter, not the seq: waiters only need to know that something was appended. Two counters: this
/// instance's own commits (which `live::LogWake` tells the other instances of), and any instance's
/// (what the pump waits on), so that a wake heard from another instance is not told back.
#[derive(Clone)]
pub struct LogSignal {
    local: Arc<tokio::sync::watch::Sender<u64>>,
    any: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Default for LogSignal {
    fn default() -> Self {
        LogSignal { local: Arc::new(tokio::sync::watch::channel(0).0), any: Arc::new(tokio::sync::watch::channel(0).0) }
    }
}

impl LogSignal {
    pub(crate) fn appended(&self) {
        self.local.send_modify(|n| *n = n.wrapping_add(1));
        self.heard();
    }

    /// Another instance committed events: wakes this instance's waiters, tells nobody else.
    pub fn heard(&self) {
        self.any.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver whose `changed()` resolves after the next commit that appends, on any instance whose
    /// wake reaches this one.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.any.subscribe()
    }

    /// A receiver for this instance's own commits only.
    pub fn local_commits(&self) -> tokio::sync::watch::Receiver<u64> {
        self.local.subscribe()
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

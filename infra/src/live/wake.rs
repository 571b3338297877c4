//! Waking every instance's consumers when one instance commits to the log (decision 88). The pump wakes
//! its consumers on this instance's commits; another instance's reached them only at the poll (1 s), so
//! a change committed on A waited up to a second whenever B held the live consumer's lease. With Redis,
//! each instance publishes `Appended` on the channel `<prefix>log-appended` after its commits (coalesced:
//! commits made while one is being published are told by the next) and turns the others' into a wake of
//! its own pump (`LogSignal::heard`). A wake is a hint: one lost while Redis is away costs at most the
//! poll, never an event, since consumers read the log from their cursors.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::{LiveBus, LiveMessage};
use crate::cache::RedisLink;
use crate::event_log::LogSignal;

/// Wake-ups in flight per instance; more only means some were coalesced.
const CAPACITY: usize = 64;

/// Stops the wake-ups when dropped.
pub struct LogWake {
    _stop: tokio::sync::watch::Sender<bool>,
}

impl LogWake {
    /// Connects `signal` to every other instance on this Redis; waits up to `wait` for the subscription.
    pub async fn over_redis(link: Arc<RedisLink>, signal: LogSignal, wait: Duration) -> Self {
        let bus = LiveBus::over_redis_channel(link, "log-appended", CAPACITY, wait).await;
        Self::over(bus, signal)
    }

    /// Connects `signal` to every other instance on `bus` (a bus of its own, not the subscribers').
    pub fn over(bus: LiveBus, signal: LogSignal) -> Self {
        let instance = crate::new_id();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(tell(bus.clone(), signal.clone(), instance, stopped.clone()));
        tokio::spawn(hear(bus, signal, instance, stopped));
        LogWake { _stop: stop }
    }
}

/// After each of this instance's commits (coalesced), tells the others.
async fn tell(bus: LiveBus, signal: LogSignal, instance: Uuid, mut stopped: tokio::sync::watch::Receiver<bool>) {
    let mut commits = signal.local_commits();
    loop {
        tokio::select! {
            changed = commits.changed() => if changed.is_err() { return },
            _ = stopped.changed() => return,
        }
        commits.borrow_and_update();
        bus.publish(LiveMessage::Appended { instance }).await;
    }
}

/// Wakes this instance's consumers on the others' commits; a wake-up missed in a lag is made up for.
async fn hear(bus: LiveBus, signal: LogSignal, instance: Uuid, mut stopped: tokio::sync::watch::Receiver<bool>) {
    let mut messages = bus.subscribe();
    loop {
        let message = tokio::select! {
            message = messages.recv() => message,
            _ = stopped.changed() => return,
        };
        match message {
            Ok(message) => {
                if let LiveMessage::Appended { instance: from } = *message
                    && from != instance
                {
                    signal.heard();
                }
            }
            Err(RecvError::Lagged(_)) => signal.heard(),
            Err(RecvError::Closed) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lets the spawned tasks run until they wait (the test runtime has one thread).
    async fn settle() {
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn a_commit_on_one_instance_wakes_the_other_and_not_itself() {
        let bus = LiveBus::in_process(8);
        let (a, b) = (LogSignal::default(), LogSignal::default());
        let _wakes = (LogWake::over(bus.clone(), a.clone()), LogWake::over(bus, b.clone()));
        let (a_any, b_any) = (a.subscribe(), b.subscribe());
        settle().await;
        a.appended();
        settle().await;
        assert_eq!((*a_any.borrow(), *b_any.borrow()), (1, 1), "b is woken by a's commit; a's echo is ignored");
        b.appended();
        b.appended();
        settle().await;
        assert_eq!(*b_any.borrow(), 3);
        assert!(matches!(*a_any.borrow(), 2 | 3), "a is woken by b's commits (coalesced or not), not by echoes");
    }
}

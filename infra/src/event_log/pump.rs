//! Runs the registered consumers in the background of `serve` (decision 68): one task per consumer, so a
//! consumer that fails (and backs off on the store's clock) or is slow never holds up another. Each task
//! steps its consumer after every local commit that appended (`LogSignal`), and at least every `poll` for
//! the commits of other instances; leases keep one instance per consumer at a time.

use std::sync::Arc;
use std::time::Duration;

use super::consumer::{ConsumeSettings, Consumer};
use crate::Store;

#[derive(Debug, Clone, Copy)]
pub struct PumpSettings {
    /// Events handed to a consumer at once.
    pub batch: usize,
    /// The fallback wake-up, for other instances' commits and for retries after a backoff.
    pub poll: Duration,
    pub consume: ConsumeSettings,
}

impl Default for PumpSettings {
    fn default() -> Self {
        PumpSettings { batch: 200, poll: Duration::from_secs(1), consume: ConsumeSettings::default() }
    }
}

pub struct Pump {
    store: Store,
    settings: PumpSettings,
    consumers: Vec<Arc<dyn Consumer>>,
}

/// Stops the pump's tasks when dropped (each ends after its current step).
pub struct PumpHandle {
    _stop: tokio::sync::watch::Sender<bool>,
}

impl Pump {
    pub fn new(store: Store, settings: PumpSettings) -> Self {
        Pump { store, settings, consumers: Vec::new() }
    }

    pub fn register(mut self, consumer: Arc<dyn Consumer>) -> Self {
        self.consumers.push(consumer);
        self
    }

    pub fn consumers(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.consumers.iter().map(|c| c.name())
    }

    pub fn spawn(self) -> PumpHandle {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        for consumer in self.consumers {
            let store = self.store.clone();
            let settings = self.settings;
            let mut stopped = stopped.clone();
            // Background work: the consumers' statements are not counted as any request's (decision 163).
            tokio::spawn(crate::background::in_background(async move {
                let mut appended = store.log_signal().subscribe();
                loop {
                    appended.borrow_and_update();
                    let handled = store.consume_once_with(&*consumer, settings.batch, &settings.consume).await;
                    if matches!(handled, Ok(n) if n >= settings.batch) {
                        // More may be waiting: go on at once.
                        continue;
                    }
                    tokio::select! {
                        _ = appended.changed() => {}
                        () = tokio::time::sleep(settings.poll) => {}
                        _ = stopped.changed() => break,
                    }
                }
            }));
        }
        PumpHandle { _stop: stop }
    }
}

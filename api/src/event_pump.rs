//! The event log's pump in `serve` (`GONGZHI_EVENTS__…`, decision 68): which consumers run, and how.
//! Engineers adding a consumer register it in `consumers` — nowhere else.

use std::sync::Arc;

use gongzhi_infra::event_log::{ConsumeSettings, Consumer, Pump, PumpHandle, PumpSettings};
use serde::{Deserialize, Serialize};

use crate::state::SharedState;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct EventSettings {
    /// Whether `serve` runs the log's consumers. On by default, tests included: a step costs a consumer
    /// nothing when none is registered, and live updates need it. Several instances may all run it; leases
    /// keep one at a time per consumer.
    pub pump_in_serve: bool,
    /// Events handed to a consumer at once.
    pub batch: u32,
    /// How often each consumer looks for other instances' commits (its own wake it at once).
    pub poll_ms: u64,
    /// How long a step holds its consumer before another instance may take it over.
    pub lease_seconds: u64,
    /// A failing consumer's first retry, doubling up to the cap (on the store's clock).
    pub backoff_base_ms: u64,
    pub backoff_cap_ms: u64,
}

impl Default for EventSettings {
    fn default() -> Self {
        Self {
            pump_in_serve: true,
            batch: 200,
            poll_ms: 1_000,
            lease_seconds: 60,
            backoff_base_ms: 1_000,
            backoff_cap_ms: 300_000,
        }
    }
}

impl EventSettings {
    pub fn pump(&self) -> PumpSettings {
        let millis = |ms: u64| chrono::Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX));
        PumpSettings {
            batch: usize::try_from(self.batch.max(1)).unwrap_or(200),
            poll: std::time::Duration::from_millis(self.poll_ms.max(10)),
            consume: ConsumeSettings {
                lease: chrono::Duration::seconds(i64::try_from(self.lease_seconds.max(1)).unwrap_or(60)),
                backoff_base: millis(self.backoff_base_ms),
                backoff_cap: millis(self.backoff_cap_ms.max(self.backoff_base_ms)),
            },
        }
    }
}

/// Every consumer `serve` runs. Webhooks (engineer B) and live updates (engineer C) are added here.
fn consumers(state: &SharedState) -> Vec<Arc<dyn Consumer>> {
    vec![
        Arc::new(gongzhi_infra::live::LiveConsumer::new(state.live.bus.clone())),
        Arc::new(gongzhi_infra::outbox::WebhookFeed),
        Arc::new(gongzhi_infra::statistics::StatisticsProjection),
    ]
}

/// Starts the pump when configured to; dropping the handle stops it.
pub fn spawn(state: &SharedState) -> Option<PumpHandle> {
    let settings = &state.settings.events;
    if !settings.pump_in_serve {
        return None;
    }
    let pump =
        consumers(state).into_iter().fold(Pump::new(state.store.clone(), settings.pump()), |pump, c| pump.register(c));
    Some(pump.spawn())
}

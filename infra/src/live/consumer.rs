//! The event log's consumer `live`: publishes each logged event's routing fields to the live bus. It
//! starts at the log's head (live updates are about now, not history) and publishes before its cursor
//! advances, so an event may be published twice after a crash — harmless, since subscribers re-read and
//! send only what changed for their viewer.

use async_trait::async_trait;
use sea_orm::DatabaseTransaction;

use super::{LiveBus, LiveChange, LiveMessage};
use crate::event_log::{Consumer, LoggedEvent};

pub struct LiveConsumer {
    bus: LiveBus,
}

impl LiveConsumer {
    pub fn new(bus: LiveBus) -> Self {
        Self { bus }
    }
}

/// What travels of an event: where and whom it concerns, never its texts or payload.
pub fn change_of(event: &LoggedEvent) -> LiveChange {
    LiveChange {
        seq: event.seq,
        kind: event.kind.clone(),
        topic: event.topic.map(|topic| topic.as_uuid()),
        vote: event.vote.map(|vote| vote.as_uuid()),
        place_path: event.place_path.clone(),
        audience: event.audience.as_str().to_owned(),
        actor: event.actor.map(|actor| actor.as_uuid()),
    }
}

#[async_trait]
impl Consumer for LiveConsumer {
    fn name(&self) -> &'static str {
        "live"
    }

    async fn handle(&self, _txn: &DatabaseTransaction, events: &[LoggedEvent]) -> crate::Result<()> {
        for event in events {
            self.bus.publish(LiveMessage::Change(change_of(event))).await;
        }
        Ok(())
    }

    fn starts_at_head(&self) -> bool {
        true
    }
}

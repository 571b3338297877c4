//! The live bus: what subscriptions listen to. A message names what changed (a logged event's routing
//! fields — seq, kind, topic, vote, place path, audience, actor) and never carries texts: a subscriber
//! re-reads what it shows through the same store functions a query uses, as its own viewer.
//!
//! Across instances the bus is a Redis pub/sub channel (`relay.rs`: one subscriber connection per
//! instance, reconnecting); without Redis it is in-process. Either way each instance hands messages to
//! its subscribers through one bounded `tokio::sync::broadcast`: a subscriber that falls more than the
//! buffer behind is told so (`Lagged`) and dropped, never buffered for without bound.

mod consumer;
mod notices;
mod relay;
mod wake;

pub use consumer::{LiveConsumer, change_of};
pub use notices::Notice;
pub use wake::LogWake;

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::cache::RedisLink;

/// A logged event's routing fields: enough to decide who might care, nothing anyone may not see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveChange {
    pub seq: i64,
    /// The event's wire code, e.g. `topic.co_signed`.
    pub kind: String,
    pub topic: Option<Uuid>,
    pub vote: Option<Uuid>,
    /// City first, the place itself last.
    pub place_path: Vec<Uuid>,
    /// `public`, `participants`, `staff` or `private`: who may see the fact.
    pub audience: String,
    pub actor: Option<Uuid>,
}

/// What travels on the bus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum LiveMessage {
    /// A fact was committed.
    Change(LiveChange),
    /// A login session ended (logout, refresh reuse): its subscriptions end now, not at their next check.
    SessionEnded { session: Uuid },
    /// An instance committed events to the log: the others' consumers look now rather than at their poll
    /// (on the wake channel only, `LogWake`; never on the subscribers' bus).
    Appended { instance: Uuid },
}

impl LiveMessage {
    /// The change, if this is one.
    pub fn change(&self) -> Option<&LiveChange> {
        match self {
            LiveMessage::Change(change) => Some(change),
            _ => None,
        }
    }
}

/// A subscriber's end of the bus. `recv` answers `Err(Lagged)` once when the subscriber fell behind the
/// buffer: the caller ends its subscription then.
pub type LiveReceiver = broadcast::Receiver<Arc<LiveMessage>>;

/// Publishes to and subscribes from the live bus; cheap to clone.
#[derive(Clone)]
pub struct LiveBus {
    local: Arc<broadcast::Sender<Arc<LiveMessage>>>,
    redis: Option<(Arc<RedisLink>, String)>,
}

impl LiveBus {
    /// One instance's bus: messages reach this instance's subscribers only. `capacity` bounds how far a
    /// subscriber may fall behind before it is dropped.
    pub fn in_process(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity.max(1));
        Self { local: Arc::new(sender), redis: None }
    }

    /// Every instance's bus, through the Redis channel `<prefix>live`. The relay connects in the
    /// background; this waits up to `wait` for it to be subscribed, so that a message published right
    /// after start-up reaches this instance (it goes on without it: the relay keeps trying).
    pub async fn over_redis(link: Arc<RedisLink>, capacity: usize, wait: Duration) -> Self {
        Self::over_redis_channel(link, "live", capacity, wait).await
    }

    /// A bus on the Redis channel `<prefix><name>`, apart from the subscribers' (the log's wake-ups).
    pub async fn over_redis_channel(link: Arc<RedisLink>, name: &str, capacity: usize, wait: Duration) -> Self {
        let (sender, _) = broadcast::channel(capacity.max(1));
        let local = Arc::new(sender);
        let channel = link.key(name);
        let ready = relay::spawn(link.client().clone(), channel.clone(), Arc::downgrade(&local));
        if tokio::time::timeout(wait, ready).await.is_err() {
            tracing::warn!(channel, "the live bus is not yet subscribed to Redis; it keeps trying");
        }
        Self { local, redis: Some((link, channel)) }
    }

    /// Sends a message to every subscriber (on every instance, over Redis). Best effort, like pub/sub
    /// itself: with Redis away, this instance's subscribers still hear it.
    pub async fn publish(&self, message: LiveMessage) {
        if let Some((link, channel)) = &self.redis {
            match serde_json::to_string(&message) {
                Ok(payload) => {
                    let published: Option<i64> = link.query(redis::cmd("PUBLISH").arg(channel).arg(payload)).await;
                    if published.is_some() {
                        return;
                    }
                    tracing::warn!(channel, "cannot publish to Redis; telling this instance's subscribers only");
                }
                Err(err) => tracing::error!(error = %err, "cannot serialize a live message"),
            }
        }
        // No receivers is not a failure: nobody is listening.
        let _ = self.local.send(Arc::new(message));
    }

    pub fn subscribe(&self) -> LiveReceiver {
        self.local.subscribe()
    }

    /// How many subscribers this instance has (for `/metrics` and tests).
    pub fn subscribers(&self) -> usize {
        self.local.receiver_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(seq: i64) -> LiveMessage {
        LiveMessage::Change(LiveChange {
            seq,
            kind: "topic.co_signed".into(),
            topic: Some(Uuid::nil()),
            vote: None,
            place_path: vec![],
            audience: "public".into(),
            actor: None,
        })
    }

    #[tokio::test]
    async fn a_subscriber_hears_what_is_published_after_it_subscribed() {
        let bus = LiveBus::in_process(8);
        let mut receiver = bus.subscribe();
        bus.publish(change(1)).await;
        assert_eq!(*receiver.recv().await.expect("a message"), change(1));
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_the_buffer_is_told_it_lagged() {
        let bus = LiveBus::in_process(2);
        let mut receiver = bus.subscribe();
        for seq in 1..=5 {
            bus.publish(change(seq)).await;
        }
        assert!(matches!(receiver.recv().await, Err(broadcast::error::RecvError::Lagged(3))));
    }

    #[test]
    fn the_wire_form_is_camel_case_and_tagged() {
        let json = serde_json::to_value(change(7)).expect("serializes");
        assert_eq!(json["type"], "change");
        assert_eq!(json["placePath"], serde_json::json!([]));
        let back: LiveMessage = serde_json::from_value(json).expect("parses");
        assert_eq!(back, change(7));
    }
}

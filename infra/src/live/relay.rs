//! One Redis subscriber connection per instance: it hands every message of the live channel to this
//! instance's bounded broadcast, and reconnects (with a growing pause, at most a few seconds) when Redis
//! goes away. Messages published while it is away are lost, as with any pub/sub; a subscriber learns
//! nothing it may not re-read, so a missed change costs freshness, never correctness.

use std::sync::{Arc, Weak};
use std::time::Duration;

use futures::StreamExt;
use redis::Client;
use tokio::sync::{broadcast, oneshot};

use super::LiveMessage;

const CONNECT: Duration = Duration::from_secs(2);
const FIRST_PAUSE: Duration = Duration::from_millis(100);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);

/// Starts the relay; the receiver is told once the channel is first subscribed. The relay ends when the
/// bus it feeds is dropped.
pub(super) fn spawn(
    client: Client,
    channel: String,
    local: Weak<broadcast::Sender<Arc<LiveMessage>>>,
) -> oneshot::Receiver<()> {
    let (ready, subscribed) = oneshot::channel();
    tokio::spawn(run(client, channel, local, ready));
    subscribed
}

async fn run(
    client: Client,
    channel: String,
    local: Weak<broadcast::Sender<Arc<LiveMessage>>>,
    ready: oneshot::Sender<()>,
) {
    let mut ready = Some(ready);
    let mut pause = FIRST_PAUSE;
    while local.strong_count() > 0 {
        match tokio::time::timeout(CONNECT, client.get_async_pubsub()).await {
            Ok(Ok(mut pubsub)) => match pubsub.subscribe(&channel).await {
                Ok(()) => {
                    tracing::info!(channel, "live bus subscribed to Redis");
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(());
                    }
                    pause = FIRST_PAUSE;
                    let mut messages = pubsub.into_on_message();
                    while let Some(message) = messages.next().await {
                        let Some(local) = local.upgrade() else { return };
                        match serde_json::from_slice::<LiveMessage>(message.get_payload_bytes()) {
                            Ok(message) => {
                                let _ = local.send(Arc::new(message));
                            }
                            // Another version's message, or not ours: skipped, not fatal.
                            Err(err) => tracing::warn!(error = %err, "unreadable live message skipped"),
                        }
                    }
                    tracing::warn!(channel, "live bus lost its Redis subscription; reconnecting");
                }
                Err(err) => tracing::warn!(error = %err, "live bus cannot subscribe to Redis"),
            },
            Ok(Err(err)) => tracing::warn!(error = %err, "live bus cannot connect to Redis"),
            Err(_) => tracing::warn!("live bus timed out connecting to Redis"),
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}

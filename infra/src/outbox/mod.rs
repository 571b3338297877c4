//! The notification outbox (docs/architecture.md, "Notifications").
//!
//! A change that concerns people writes its messages here in its own transaction ([`events`]): the
//! recipients are resolved then, page by page, and each message is addressed to one person on one
//! channel (or to one partner endpoint). A [`Worker`] delivers them later, through the messaging gateway
//! or the local log sink, retrying what failed with backoff and recording every attempt. Nothing is sent
//! for a change that rolled back, and nothing queued is lost: a message leaves the queue only as sent,
//! skipped (no consent, with the reason) or dead (with the reason, replayable).

mod claim;
mod disclosure_notices;
mod endpoints;
mod enqueue;
pub(crate) mod events;
pub(crate) mod facts;
mod gateway;
mod ledger;
mod log_sink;
mod ops;
mod pace;
mod queued;
mod recipients;
mod rectification_notices;
pub mod signature;
pub mod targets;
mod webhook_feed;
mod worker;

pub use ledger::{Consent, Preference};
pub use log_sink::{LogSink, tail};
pub use ops::{DeliveryAttempt, MAX_REPLAY, OutboxFilter, OutboxMessage, WebhookEndpoint, WebhookReplay};
pub use pace::PaceWait;
pub use targets::{HostLookup, SystemLookup, WebhookTargets};
pub use webhook_feed::WebhookFeed;
pub use worker::{DeliveryObserver, Settled, Transport, Worker, WorkerSettings};

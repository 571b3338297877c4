//! Notifications as the API shows them: a person's switches and WeChat consent, and, for city
//! administrators, the outbox, its attempts and partners' webhook endpoints.

use async_graphql::{Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::notify::Circuit;
use gongzhi_infra::outbox;

use crate::graphql::ids::{NodeType, encode};
use crate::graphql::types::enums::{Channel, MessageStatus, NotificationKind};

/// What the mini-program's `wx.requestSubscribeMessage` answered for one template.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ConsentAnswer {
    Accept,
    Reject,
    /// WeChat banned the template.
    Ban,
    /// WeChat filtered the template out.
    Filter,
}

impl ConsentAnswer {
    pub const fn wechat(self) -> &'static str {
        match self {
            ConsentAnswer::Accept => "accept",
            ConsentAnswer::Reject => "reject",
            ConsentAnswer::Ban => "ban",
            ConsentAnswer::Filter => "filter",
        }
    }
}

/// One switch: a kind of message on a channel.
#[derive(SimpleObject)]
pub struct NotificationPreference {
    pub kind: NotificationKind,
    pub channel: Channel,
    pub enabled: bool,
    /// False while the default applies (WeChat on; SMS and app push off).
    pub chosen: bool,
}

impl From<outbox::Preference> for NotificationPreference {
    fn from(p: outbox::Preference) -> Self {
        NotificationPreference { kind: p.kind.into(), channel: p.channel.into(), enabled: p.enabled, chosen: p.chosen }
    }
}

/// What WeChat lets Gongzhi send the person with one template.
#[derive(SimpleObject)]
pub struct SubscribeConsent {
    pub template_id: String,
    /// One-time grants not yet used; each allows one message.
    pub one_time_grants: i32,
    pub long_term: bool,
}

impl From<outbox::Consent> for SubscribeConsent {
    fn from(c: outbox::Consent) -> Self {
        SubscribeConsent { template_id: c.template, one_time_grants: c.one_time_grants, long_term: c.long_term }
    }
}

pub struct OutboxMessage {
    pub message: outbox::OutboxMessage,
    pub attempts: Option<Vec<outbox::DeliveryAttempt>>,
}

/// One message to one recipient on one channel.
#[Object]
impl OutboxMessage {
    async fn id(&self) -> ID {
        encode(NodeType::OutboxMessage, self.message.id)
    }

    /// A notification kind (`topic_accepted`, …) or, for webhooks, the event's kind.
    async fn kind(&self) -> &str {
        &self.message.kind
    }

    async fn channel(&self) -> Channel {
        self.message.channel.into()
    }

    async fn recipient_id(&self) -> Option<ID> {
        self.message.person.map(|p| encode(NodeType::Person, p.as_uuid()))
    }

    async fn webhook_id(&self) -> Option<ID> {
        self.message.endpoint.map(|e| encode(NodeType::WebhookEndpoint, e))
    }

    /// openid, phone (middle digits hidden), person id or endpoint URL.
    async fn address(&self) -> &str {
        &self.message.address
    }

    async fn topic_id(&self) -> Option<ID> {
        self.message.topic.map(|t| encode(NodeType::Topic, t.as_uuid()))
    }

    async fn status(&self) -> MessageStatus {
        self.message.status.into()
    }

    /// Attempts that count against the limit (a 429 does not).
    async fn attempt_count(&self) -> i32 {
        self.message.attempts
    }

    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.message.next_attempt_at
    }

    /// Why the last attempt failed, why the message was skipped or dead-lettered.
    async fn last_error(&self) -> Option<&str> {
        self.message.last_error.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.message.created_at
    }

    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.message.sent_at
    }

    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.message.finished_at
    }

    /// Every attempt, oldest first; listed only when the message is read alone (`outboxMessage`).
    async fn attempts(&self) -> Option<Vec<DeliveryAttempt>> {
        self.attempts.as_ref().map(|list| list.iter().cloned().map(DeliveryAttempt::from).collect())
    }
}

#[derive(SimpleObject)]
pub struct DeliveryAttempt {
    pub at: DateTime<Utc>,
    pub worker: String,
    /// accepted, rate_limited, refused or failed.
    pub outcome: String,
    pub http_status: Option<i32>,
    pub detail: String,
    pub duration_ms: i64,
}

impl From<outbox::DeliveryAttempt> for DeliveryAttempt {
    fn from(a: outbox::DeliveryAttempt) -> Self {
        DeliveryAttempt {
            at: a.at,
            worker: a.worker,
            outcome: a.outcome,
            http_status: a.http_status,
            detail: a.detail,
            duration_ms: a.duration_ms,
        }
    }
}

pub struct WebhookEndpoint(pub outbox::WebhookEndpoint);

/// A partner's endpoint for public pipeline events.
#[Object]
impl WebhookEndpoint {
    async fn id(&self) -> ID {
        encode(NodeType::WebhookEndpoint, self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn url(&self) -> &str {
        &self.0.url
    }

    /// Event kinds sent, as wire codes (`topic.accepted`); empty means all public events.
    async fn event_kinds(&self) -> &[String] {
        &self.0.kinds
    }

    /// Only topics at or below this place; none means everywhere.
    async fn place_id(&self) -> Option<ID> {
        self.0.place.map(|p| encode(NodeType::Place, p.as_uuid()))
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.0.disabled_at
    }

    /// Its delivery circuit: OPEN while a run of failures holds its events back.
    async fn circuit(&self) -> WebhookCircuit {
        match self.0.circuit {
            Circuit::Closed => WebhookCircuit::Closed,
            Circuit::Open => WebhookCircuit::Open,
            Circuit::HalfOpen => WebhookCircuit::HalfOpen,
        }
    }

    /// While OPEN, when the next event is tried as a probe; while HALF_OPEN, when the probe became due.
    async fn open_until(&self) -> Option<DateTime<Utc>> {
        self.0.open_until
    }
}

/// A webhook endpoint's delivery circuit.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum WebhookCircuit {
    /// Events are sent as they come.
    Closed,
    /// The endpoint failed too often: its events wait, in order and without losing attempts, until
    /// `openUntil`.
    Open,
    /// The cool-down is over: the next event goes as a probe, and its answer closes or reopens the circuit.
    HalfOpen,
}

/// What `replayWebhooks` queued again.
#[derive(SimpleObject)]
pub struct WebhookReplay {
    /// Events queued again, in order.
    pub queued: i32,
    /// The sequence of the last one; none when there was nothing to replay.
    pub through_sequence: Option<i64>,
    /// True when the log holds more of the endpoint's events past `throughSequence`: call again from the
    /// next sequence.
    pub more: bool,
}

/// A new endpoint and its signing secret, which is shown this once.
#[derive(SimpleObject)]
pub struct RegisteredWebhook {
    pub webhook: WebhookEndpoint,
    pub secret: String,
}

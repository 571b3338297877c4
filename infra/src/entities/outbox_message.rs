//! Row of `outbox_messages`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub channel: String,
    pub person_id: Option<Uuid>,
    pub endpoint_id: Option<Uuid>,
    pub address: String,
    pub template: String,
    pub data: String,
    pub page: Option<String>,
    pub topic_id: Option<Uuid>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub leased_by: Option<String>,
    pub consent_used: bool,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    /// The log sequence of the event a webhook message carries; an endpoint's messages go out in its order.
    pub event_seq: Option<i64>,
    /// A webhook message's `webhook-id`: the same on every attempt and replay of one event to one endpoint.
    pub webhook_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

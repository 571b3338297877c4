//! Row of `webhook_endpoints`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub secret: String,
    pub place_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub disabled_at: Option<DateTimeUtc>,
    /// The log sequence of the last event queued to it: the next message's `previousSequence`.
    pub last_sequence: Option<i64>,
    /// The log's head when it was registered: it is sent the events after, not the log's history.
    pub since_sequence: i64,
    /// Transient failures in a row (decision 160).
    pub circuit_failures: i32,
    /// While set, the circuit is open until then, half-open after.
    pub circuit_open_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Row of `event_log`. Storage-only: consumers read it as `event_log::LoggedEvent`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_log")]
pub struct Model {
    /// `None` on PostgreSQL until the sequencer numbers the row after its commit (decision 87).
    pub seq: Option<i64>,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// PostgreSQL's insertion position (an identity), the order the sequencer numbers a batch in; unused
    /// on SQLite, whose writer numbers its events itself.
    pub pos: Option<i64>,
    pub kind: String,
    pub schema_version: i16,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    pub topic_id: Option<Uuid>,
    pub vote_id: Option<Uuid>,
    pub place_id: Option<Uuid>,
    pub place_path: String,
    pub audience: String,
    pub payload: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

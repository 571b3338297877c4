//! Row of `event_log`. Storage-only: consumers read it as `event_log::LoggedEvent`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub id: Uuid,
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

//! Row of `topic_events`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "topic_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub at: DateTimeUtc,
    pub kind: String,
    pub visibility: String,
    pub note: Option<String>,
    pub payload: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

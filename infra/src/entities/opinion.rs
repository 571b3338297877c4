//! Row of `opinions`: an opinion in a topic's online thread, or a reply to one. Storage-only: the API
//! never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opinions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub author_id: Uuid,
    pub stance: Option<String>,
    pub text: String,
    pub posted_at: DateTimeUtc,
    pub hidden_at: Option<DateTimeUtc>,
    pub hidden_by: Option<Uuid>,
    pub hidden_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

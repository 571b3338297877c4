//! Row of `meeting_minutes`: one version of a meeting's minutes, never updated. Storage-only: the API
//! never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_minutes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub version: i32,
    pub text: String,
    /// A JSON array of storage keys.
    pub attachments: String,
    pub reason: Option<String>,
    pub written_by: Uuid,
    pub written_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

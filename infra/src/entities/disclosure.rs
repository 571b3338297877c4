//! Row of `disclosures`: one published version, never updated. Storage-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub place_id: Uuid,
    pub kind: String,
    pub period_start: Date,
    pub period_end: Date,
    pub version: i32,
    pub chain_seq: i64,
    pub publisher_party: String,
    pub company_id: Option<Uuid>,
    pub published_by: Uuid,
    pub published_at: DateTimeUtc,
    pub reason: Option<String>,
    pub content: String,
    pub previous_hash: String,
    pub content_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Row of `erasures`: a person's erasure, asked by them or recorded by staff (decision 166).
//! Storage-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "erasures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub requested_by: Uuid,
    pub note: Option<String>,
    pub status: String,
    pub recorded_at: DateTimeUtc,
    pub erased_at: Option<DateTimeUtc>,
    pub erased_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Row of `disclosure_letters`: a letter the scheduler sent for a missing disclosure. Storage-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_letters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub obligation_id: Uuid,
    pub place_id: Uuid,
    pub owed_by: String,
    pub company_id: Option<Uuid>,
    pub letter: String,
    pub sent_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

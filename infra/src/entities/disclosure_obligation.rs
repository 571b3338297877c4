//! Row of `disclosure_obligations`: a disclosure a party owes for a place and period. Storage-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_obligations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub place_id: Uuid,
    pub kind: String,
    pub period_start: Date,
    pub period_end: Date,
    pub owed_by: String,
    pub company_id: Option<Uuid>,
    pub due_at: DateTimeUtc,
    pub fulfilled_at: Option<DateTimeUtc>,
    pub reminder_at: Option<DateTimeUtc>,
    pub warning_at: Option<DateTimeUtc>,
    pub escalated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

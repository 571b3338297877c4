//! Row of `rectification_plans`: a problem compound's plan (一院一案) and the street's review of it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rectification_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub compound_id: Uuid,
    pub city_id: Uuid,
    pub quarter: String,
    pub category_id: Uuid,
    pub drafted_by: Uuid,
    pub summary: String,
    pub measures: String,
    pub state: String,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub reason: Option<String>,
    pub topic_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

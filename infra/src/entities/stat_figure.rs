//! Row of `stat_figures`: one figure of the statistics projection (decision 151) — a place's total of
//! one metric, in one category, over one period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stat_figures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub place_id: Uuid,
    pub parent_id: Option<Uuid>,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period_start: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub metric: String,
    /// The nil uuid for facts that concern no topic (a vote without one, a disclosure letter).
    #[sea_orm(primary_key, auto_increment = false)]
    pub category_id: Uuid,
    pub total: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Row of `stat_durations`: how many topics left a stage, in a place and period, after a time in one
//! bucket of `gongzhi_domain::statistics::durations` (decision 156).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stat_durations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub place_id: Uuid,
    pub parent_id: Option<Uuid>,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period_start: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: i32,
    pub total: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

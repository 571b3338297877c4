//! Row of `stat_stages`: how many topics of a place and category are in a stage now (decision 151).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stat_stages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub place_id: Uuid,
    pub parent_id: Option<Uuid>,
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category_id: Uuid,
    pub topics: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

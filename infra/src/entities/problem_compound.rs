//! Row of `problem_compounds`: a compound's complaint figures for a quarter and whether it is listed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "problem_compounds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub city_id: Uuid,
    pub compound_id: Uuid,
    pub quarter: String,
    pub complaints: i64,
    pub households: i64,
    pub in_cut: bool,
    pub listed: bool,
    pub periods_below: i32,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

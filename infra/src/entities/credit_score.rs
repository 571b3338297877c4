//! Row of `credit_scores`: a company's score for a quarter in a city, with the inputs and weights used.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_scores")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub company_id: Uuid,
    pub city_id: Uuid,
    pub quarter: String,
    pub score_centi: Option<i64>,
    pub inputs: String,
    pub weights: String,
    pub letters_in_year: i32,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

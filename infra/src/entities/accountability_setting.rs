//! Row of `accountability_settings`: a city's survey threshold, credit weights and listing rules.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accountability_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub city_id: Uuid,
    pub survey_min_responses: i32,
    pub weights: String,
    pub rules: String,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

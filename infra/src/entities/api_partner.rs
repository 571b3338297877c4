//! Row of `api_partners`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_partners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub scope_place_id: Uuid,
    pub rate_points: Option<i64>,
    pub secret_hash: String,
    pub secret_version: i32,
    pub secret_rotated_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub disabled_at: Option<DateTimeUtc>,
    pub disabled_by: Option<Uuid>,
    pub scopes: String,
    pub previous_secret_hash: Option<String>,
    pub previous_secret_version: Option<i32>,
    pub previous_secret_until: Option<DateTimeUtc>,
    pub person_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

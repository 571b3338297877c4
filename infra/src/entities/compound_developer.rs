//! Row of `compound_developers`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compound_developers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub compound_id: Uuid,
    pub name: String,
    pub representative_id: Option<Uuid>,
    pub set_by: Uuid,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

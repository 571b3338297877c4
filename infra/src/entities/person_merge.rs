//! Row of `person_merges`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person_merges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub from_person_id: Uuid,
    pub into_person_id: Uuid,
    pub merged_by: Uuid,
    pub reason: String,
    pub merged_at: DateTimeUtc,
    /// What moved, as JSON (`person_merge::Moved`), to undo the merge.
    pub moved: String,
    pub undone_at: Option<DateTimeUtc>,
    pub undone_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Row of `content_holds`: a submission the content check held back, and how it stands (decision 130).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "content_holds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub author_id: Uuid,
    pub place_id: Uuid,
    pub community_id: Uuid,
    pub submission: String,
    pub state: String,
    pub suggestion: Option<String>,
    pub attempts: i32,
    pub next_check_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub reason: Option<String>,
    pub published_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

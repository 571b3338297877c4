//! Row of `topics`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "topics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub place_id: Uuid,
    pub community_id: Uuid,
    pub compound_id: Uuid,
    pub street_id: Uuid,
    pub category_id: Uuid,
    pub round_id: Option<Uuid>,
    pub submitter_id: Uuid,
    pub title: String,
    pub description: String,
    pub datum: Option<String>,
    pub lat_micro: Option<i32>,
    pub lng_micro: Option<i32>,
    pub photos: String,
    pub submitted_at: DateTimeUtc,
    pub level: String,
    pub state: String,
    pub stage: String,
    pub state_at: DateTimeUtc,
    pub reason: Option<String>,
    pub merged_into: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub routed_at: Option<DateTimeUtc>,
    pub by_default: Option<bool>,
    pub plan: Option<String>,
    pub due_kind: Option<String>,
    pub due_at: Option<DateTimeUtc>,
    pub co_sign_count: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Row of `vote_mandates`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vote_mandates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub proxy_id: Uuid,
    /// A mandate for one vote; `None` for a standing mandate over `valid_from`..`valid_until`.
    pub vote_id: Option<Uuid>,
    pub compound_id: Uuid,
    pub valid_from: Option<DateTimeUtc>,
    pub valid_until: Option<DateTimeUtc>,
    /// `app` or `paper`.
    pub source: String,
    pub scan_key: Option<String>,
    pub entered_by: Option<Uuid>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

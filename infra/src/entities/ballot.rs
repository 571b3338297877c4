//! Row of `ballots`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ballots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub vote_id: Uuid,
    pub voter_key: String,
    pub party_key: String,
    pub person_id: Uuid,
    pub cast_by: Uuid,
    /// Before mandates were records (migration 12), the free text a proxy gave; no longer written.
    pub proxy_mandate: Option<String>,
    /// The mandate a proxy's ballot was cast under.
    pub mandate_id: Option<Uuid>,
    pub paper: bool,
    pub note: Option<String>,
    pub choice: String,
    pub area_centi_m2: i64,
    pub cast_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

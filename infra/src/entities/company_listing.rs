//! Row of `company_listings`: one listing of a company on the warning list, through notice and appeal
//! to the blacklist and its lifting. Lifted rows stay as history.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "company_listings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub company_id: Uuid,
    pub city_id: Uuid,
    pub status: String,
    pub reasons: String,
    pub listed_quarter: String,
    pub listed_at: DateTimeUtc,
    pub notice_at: Option<DateTimeUtc>,
    pub notice_by: Option<Uuid>,
    pub notice_reason: Option<String>,
    pub appeal_until: Option<DateTimeUtc>,
    pub appeal: Option<String>,
    pub appealed_at: Option<DateTimeUtc>,
    pub appeal_answer: Option<String>,
    pub blacklisted_at: Option<DateTimeUtc>,
    pub blacklisted_by: Option<Uuid>,
    pub blacklisted_until: Option<DateTimeUtc>,
    pub good_quarters: i32,
    /// The last quarter whose computation looked at this listing (so a recomputation counts once).
    pub checked_quarter: String,
    pub lifted_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Row of `votes`. Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "votes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic_id: Uuid,
    pub kind: String,
    pub matter: Option<String>,
    pub title: String,
    pub compound_id: Uuid,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub hide_results: bool,
    pub electorate_area: Option<i64>,
    pub electorate_heads: Option<i64>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    /// When those who had not voted were told the vote closes within a day; set once.
    pub closing_notice_at: Option<DateTimeUtc>,
    /// When the scheduler logged the vote's close (`vote.closed`).
    pub closed_logged_at: Option<DateTimeUtc>,
    /// After the close, the ballot roll shows who took part but not how each voted.
    pub secret_ballot: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Row of `stat_topics`: what the statistics projection remembers of a topic from the log (decision 151),
//! so that a later event is counted in the topic's category and its durations can be measured.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stat_topics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub topic_id: Uuid,
    /// `/city/district/…/place`, as the topic's last event had it.
    pub place_path: String,
    pub category_id: Uuid,
    pub stage: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub accepted_at: Option<DateTimeUtc>,
    /// When the topic entered its stage; `None` for rows kept before migration 91 (a rebuild fills it).
    pub stage_since: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

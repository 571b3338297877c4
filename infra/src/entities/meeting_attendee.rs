//! Row of `meeting_attendees`: an invitee (with a capacity) or a walk-in the leads checked in (without
//! one). Storage-only: the API never exposes it directly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_attendees")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    /// The order people were put on the list in.
    pub position: i32,
    pub capacity: Option<String>,
    pub invited_by: Option<Uuid>,
    pub invited_at: Option<DateTimeUtc>,
    pub checked_in_at: Option<DateTimeUtc>,
    pub checked_in_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

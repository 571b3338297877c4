//! Row of `disclosure_questions`: a question (质询) on one line of a version, and its answer. Storage-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub disclosure_id: Uuid,
    pub line_key: String,
    pub asked_by: Uuid,
    pub text: String,
    pub asked_at: DateTimeUtc,
    pub answer_due_at: DateTimeUtc,
    pub answer: Option<String>,
    pub answered_by: Option<Uuid>,
    pub answered_at: Option<DateTimeUtc>,
    /// When the publisher was reminded of it, unanswered past its deadline (once, decision 107).
    pub reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

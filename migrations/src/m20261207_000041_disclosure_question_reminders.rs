//! When the publisher was reminded of a question (质询) left unanswered past its deadline: the scheduler
//! sends that letter once, and this column is what makes it once (decision 107).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DisclosureQuestions {
    Table,
    RemindedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DisclosureQuestions::Table)
                    .add_column(timestamp_with_time_zone_null(DisclosureQuestions::RemindedAt))
                    .to_owned(),
            )
            .await?;
        // The scheduler's search: unanswered, unreminded, by deadline.
        manager
            .create_index(index(
                "disclosure_questions_overdue",
                DisclosureQuestions::Table,
                &["answered_at", "reminded_at", "answer_due_at"],
            ))
            .await
    }
}

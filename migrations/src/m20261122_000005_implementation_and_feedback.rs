//! Implementation and feedback: tasks with their progress reports and letters, satisfaction ratings (one
//! per resident per topic, changeable until rating closes), explanation requests and reopen requests.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tasks {
    Table,
    Id,
    TopicId,
    OwnerParty,
    Title,
    Criteria,
    DueAt,
    State,
    DoneAt,
    DoneBy,
    AcceptedAt,
    AcceptedBy,
    ReminderAt,
    WarningAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TaskProgress {
    Table,
    Id,
    TaskId,
    AuthorId,
    Note,
    Photos,
    At,
}

#[derive(DeriveIden)]
enum Ratings {
    Table,
    TopicId,
    PersonId,
    Score,
    Comment,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TopicRequests {
    Table,
    Id,
    TopicId,
    PersonId,
    Kind,
    Text,
    Status,
    DecidedBy,
    DecidedAt,
    Answer,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Topics {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Persons {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tasks::Table)
                    .col(pk_uuid(Tasks::Id))
                    .col(uuid(Tasks::TopicId))
                    .col(string_len(Tasks::OwnerParty, 24))
                    .col(string_len(Tasks::Title, 60))
                    .col(string_len(Tasks::Criteria, 500))
                    .col(timestamp_with_time_zone(Tasks::DueAt))
                    .col(string_len(Tasks::State, 12))
                    .col(timestamp_with_time_zone_null(Tasks::DoneAt))
                    .col(uuid_null(Tasks::DoneBy))
                    .col(timestamp_with_time_zone_null(Tasks::AcceptedAt))
                    .col(uuid_null(Tasks::AcceptedBy))
                    .col(timestamp_with_time_zone_null(Tasks::ReminderAt))
                    .col(timestamp_with_time_zone_null(Tasks::WarningAt))
                    .col(timestamp_with_time_zone(Tasks::CreatedAt))
                    .foreign_key(&mut fk(Tasks::Table, Tasks::TopicId, Topics::Table, Topics::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("tasks_topic").table(Tasks::Table).col(Tasks::TopicId).to_owned())
            .await?;
        // The scheduler's scan: open tasks by due date.
        manager
            .create_index(
                Index::create()
                    .name("tasks_open_due")
                    .table(Tasks::Table)
                    .col(Tasks::State)
                    .col(Tasks::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TaskProgress::Table)
                    .col(pk_uuid(TaskProgress::Id))
                    .col(uuid(TaskProgress::TaskId))
                    .col(uuid(TaskProgress::AuthorId))
                    .col(string_len(TaskProgress::Note, 500))
                    .col(text(TaskProgress::Photos))
                    .col(timestamp_with_time_zone(TaskProgress::At))
                    .foreign_key(&mut fk(TaskProgress::Table, TaskProgress::TaskId, Tasks::Table, Tasks::Id))
                    .foreign_key(&mut fk(TaskProgress::Table, TaskProgress::AuthorId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Ratings::Table)
                    .col(uuid(Ratings::TopicId))
                    .col(uuid(Ratings::PersonId))
                    .col(small_integer(Ratings::Score))
                    .col(string_len_null(Ratings::Comment, 500))
                    .col(timestamp_with_time_zone(Ratings::CreatedAt))
                    .col(timestamp_with_time_zone(Ratings::UpdatedAt))
                    .primary_key(Index::create().col(Ratings::TopicId).col(Ratings::PersonId))
                    .check(Expr::col(Ratings::Score).between(1, 5))
                    .foreign_key(&mut fk(Ratings::Table, Ratings::TopicId, Topics::Table, Topics::Id))
                    .foreign_key(&mut fk(Ratings::Table, Ratings::PersonId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TopicRequests::Table)
                    .col(pk_uuid(TopicRequests::Id))
                    .col(uuid(TopicRequests::TopicId))
                    .col(uuid(TopicRequests::PersonId))
                    // explanation (a dissatisfied resident asks why) or reopen.
                    .col(string_len(TopicRequests::Kind, 12))
                    .col(string_len(TopicRequests::Text, 500))
                    .col(string_len(TopicRequests::Status, 12))
                    .col(uuid_null(TopicRequests::DecidedBy))
                    .col(timestamp_with_time_zone_null(TopicRequests::DecidedAt))
                    .col(string_len_null(TopicRequests::Answer, 2000))
                    .col(timestamp_with_time_zone(TopicRequests::CreatedAt))
                    .foreign_key(&mut fk(TopicRequests::Table, TopicRequests::TopicId, Topics::Table, Topics::Id))
                    .foreign_key(&mut fk(TopicRequests::Table, TopicRequests::PersonId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("topic_requests_topic")
                    .table(TopicRequests::Table)
                    .col(TopicRequests::TopicId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

//! The event log (issue 15): every committed fact, once, in commit order, in the project's own wire type.
//! `event_log.seq` is handed out by the appender from the one `event_sequence` row, whose lock it holds to
//! commit, so seq order is commit order (decision 64). Free text that may name a person sits apart in
//! `event_texts`, to be redacted without rewriting the log (decision 66). Each consumer keeps its cursor in
//! `event_consumers` (decision 67).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EventLog {
    Table,
    Seq,
    Id,
    Kind,
    SchemaVersion,
    At,
    ActorId,
    TopicId,
    VoteId,
    PlaceId,
    PlacePath,
    Audience,
    Payload,
}

#[derive(DeriveIden)]
enum EventTexts {
    Table,
    EventId,
    Field,
    Audience,
    Body,
    RedactedAt,
}

#[derive(DeriveIden)]
enum EventSequence {
    Table,
    Name,
    Last,
}

#[derive(DeriveIden)]
enum EventConsumers {
    Table,
    Name,
    Position,
    LeasedBy,
    LeaseUntil,
    Failures,
    LastError,
    RetryAt,
    UpdatedAt,
}

/// A vote's close is a fact the scheduler logs once, with its verdict: it notes here that it did.
#[derive(DeriveIden)]
enum Votes {
    Table,
    ClosedLoggedAt,
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
                    .table(EventLog::Table)
                    // Assigned by the appender, never by the database: an identity would number in begin order.
                    .col(ColumnDef::new(EventLog::Seq).big_integer().not_null().primary_key())
                    .col(uuid_uniq(EventLog::Id))
                    .col(string_len(EventLog::Kind, 60))
                    .col(small_integer(EventLog::SchemaVersion))
                    .col(timestamp_with_time_zone(EventLog::At))
                    .col(uuid_null(EventLog::ActorId))
                    .col(uuid_null(EventLog::TopicId))
                    .col(uuid_null(EventLog::VoteId))
                    .col(uuid_null(EventLog::PlaceId))
                    // `/<city>/…/<place>/`: a subtree is `LIKE '/…/<scope>/%'`.
                    .col(text(EventLog::PlacePath))
                    .col(string_len(EventLog::Audience, 20))
                    .col(text(EventLog::Payload))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("event_log_topic", EventLog::Table, &["topic_id", "seq"])).await?;
        manager.create_index(index("event_log_vote", EventLog::Table, &["vote_id", "seq"])).await?;
        manager
            .create_table(
                Table::create()
                    .table(EventTexts::Table)
                    .col(uuid(EventTexts::EventId))
                    .col(string_len(EventTexts::Field, 40))
                    // Who may read this text: an office step's note is staff-only on a public event.
                    .col(string_len(EventTexts::Audience, 20))
                    .col(text_null(EventTexts::Body))
                    .col(timestamp_with_time_zone_null(EventTexts::RedactedAt))
                    .primary_key(Index::create().col(EventTexts::EventId).col(EventTexts::Field))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventSequence::Table)
                    .col(string_len(EventSequence::Name, 20).primary_key())
                    .col(big_integer(EventSequence::Last))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(EventSequence::Table)
                    .columns([EventSequence::Name, EventSequence::Last])
                    .values_panic(["log".into(), 0i64.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventConsumers::Table)
                    .col(string_len(EventConsumers::Name, 60).primary_key())
                    .col(big_integer(EventConsumers::Position))
                    .col(uuid_null(EventConsumers::LeasedBy))
                    .col(timestamp_with_time_zone_null(EventConsumers::LeaseUntil))
                    .col(integer(EventConsumers::Failures))
                    .col(text_null(EventConsumers::LastError))
                    // After a failure, the consumer is not tried again before this (backoff).
                    .col(timestamp_with_time_zone_null(EventConsumers::RetryAt))
                    .col(timestamp_with_time_zone(EventConsumers::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Votes::Table)
                    .add_column(timestamp_with_time_zone_null(Votes::ClosedLoggedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

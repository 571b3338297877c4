//! The notification outbox: messages written in the same transaction as the change they report, their
//! delivery attempts, people's channel preferences, WeChat consent, and partners' webhook endpoints.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Id,
    Kind,
    Channel,
    PersonId,
    EndpointId,
    Address,
    Template,
    Data,
    Page,
    TopicId,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LeasedBy,
    ConsentUsed,
    LastError,
    CreatedAt,
    SentAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum OutboxAttempts {
    Table,
    Id,
    MessageId,
    At,
    Worker,
    Outcome,
    HttpStatus,
    Detail,
    DurationMs,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    PersonId,
    Kind,
    Channel,
    Enabled,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SubscribeConsents {
    Table,
    PersonId,
    Template,
    OneTimeGrants,
    LongTerm,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Id,
    Name,
    Url,
    Secret,
    Kinds,
    PlaceId,
    CreatedBy,
    CreatedAt,
    DisabledAt,
}

#[derive(DeriveIden)]
enum Votes {
    Table,
    ClosingNoticeAt,
}

#[derive(DeriveIden)]
enum Persons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Places {
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
                    .table(WebhookEndpoints::Table)
                    .col(uuid(WebhookEndpoints::Id).primary_key())
                    .col(string_len(WebhookEndpoints::Name, 60))
                    .col(string_len(WebhookEndpoints::Url, 500))
                    .col(string_len(WebhookEndpoints::Secret, 100))
                    // Event kind codes, comma-separated; empty means every public event.
                    .col(text(WebhookEndpoints::Kinds))
                    .col(uuid_null(WebhookEndpoints::PlaceId))
                    .col(uuid(WebhookEndpoints::CreatedBy))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .col(timestamp_with_time_zone_null(WebhookEndpoints::DisabledAt))
                    .foreign_key(&mut fk(WebhookEndpoints::Table, WebhookEndpoints::PlaceId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(
                        WebhookEndpoints::Table,
                        WebhookEndpoints::CreatedBy,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OutboxMessages::Table)
                    .col(uuid(OutboxMessages::Id).primary_key())
                    .col(string_len(OutboxMessages::Kind, 40))
                    .col(string_len(OutboxMessages::Channel, 20))
                    .col(uuid_null(OutboxMessages::PersonId))
                    .col(uuid_null(OutboxMessages::EndpointId))
                    .col(string_len(OutboxMessages::Address, 500))
                    .col(string_len(OutboxMessages::Template, 100))
                    .col(text(OutboxMessages::Data))
                    .col(string_len_null(OutboxMessages::Page, 200))
                    .col(uuid_null(OutboxMessages::TopicId))
                    .col(string_len(OutboxMessages::Status, 10))
                    .col(integer(OutboxMessages::Attempts))
                    .col(timestamp_with_time_zone(OutboxMessages::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::LeaseUntil))
                    .col(string_len_null(OutboxMessages::LeasedBy, 80))
                    .col(boolean(OutboxMessages::ConsentUsed))
                    .col(text_null(OutboxMessages::LastError))
                    .col(timestamp_with_time_zone(OutboxMessages::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::SentAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::FinishedAt))
                    .foreign_key(&mut fk(OutboxMessages::Table, OutboxMessages::PersonId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(
                        OutboxMessages::Table,
                        OutboxMessages::EndpointId,
                        WebhookEndpoints::Table,
                        WebhookEndpoints::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // The worker's claim: due messages in order, and expired leases.
        manager.create_index(index("outbox_due", OutboxMessages::Table, &["status", "next_attempt_at"])).await?;
        manager.create_index(index("outbox_created", OutboxMessages::Table, &["created_at"])).await?;
        manager.create_index(index("outbox_person", OutboxMessages::Table, &["person_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table(OutboxAttempts::Table)
                    .col(uuid(OutboxAttempts::Id).primary_key())
                    .col(uuid(OutboxAttempts::MessageId))
                    .col(timestamp_with_time_zone(OutboxAttempts::At))
                    .col(string_len(OutboxAttempts::Worker, 80))
                    .col(string_len(OutboxAttempts::Outcome, 20))
                    .col(integer_null(OutboxAttempts::HttpStatus))
                    .col(text(OutboxAttempts::Detail))
                    .col(big_integer(OutboxAttempts::DurationMs))
                    .foreign_key(&mut fk(
                        OutboxAttempts::Table,
                        OutboxAttempts::MessageId,
                        OutboxMessages::Table,
                        OutboxMessages::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("outbox_attempts_message", OutboxAttempts::Table, &["message_id", "at"])).await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPreferences::Table)
                    .col(uuid(NotificationPreferences::PersonId))
                    .col(string_len(NotificationPreferences::Kind, 40))
                    .col(string_len(NotificationPreferences::Channel, 20))
                    .col(boolean(NotificationPreferences::Enabled))
                    .col(timestamp_with_time_zone(NotificationPreferences::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(NotificationPreferences::PersonId)
                            .col(NotificationPreferences::Kind)
                            .col(NotificationPreferences::Channel),
                    )
                    .foreign_key(&mut fk(
                        NotificationPreferences::Table,
                        NotificationPreferences::PersonId,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SubscribeConsents::Table)
                    .col(uuid(SubscribeConsents::PersonId))
                    .col(string_len(SubscribeConsents::Template, 100))
                    .col(integer(SubscribeConsents::OneTimeGrants))
                    .col(boolean(SubscribeConsents::LongTerm))
                    .col(timestamp_with_time_zone(SubscribeConsents::UpdatedAt))
                    .primary_key(Index::create().col(SubscribeConsents::PersonId).col(SubscribeConsents::Template))
                    .foreign_key(&mut fk(
                        SubscribeConsents::Table,
                        SubscribeConsents::PersonId,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Votes::Table)
                    .add_column(timestamp_with_time_zone_null(Votes::ClosingNoticeAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

//! Submissions the content check held back (decision 130): what was submitted (`submission`, the step's
//! input as JSON, kept until it is published or refused), by whom and about which place, and how it stands.
//! `community_id` makes the residents' committee's queue one indexed equality; `next_check_at` the retry
//! round's scan of checks that could not be made.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContentHolds {
    Table,
    Id,
    Kind,
    AuthorId,
    PlaceId,
    CommunityId,
    Submission,
    State,
    Suggestion,
    Attempts,
    NextCheckAt,
    DecidedBy,
    DecidedAt,
    Reason,
    PublishedId,
    CreatedAt,
    UpdatedAt,
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
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContentHolds::Table)
                    .col(pk_uuid(ContentHolds::Id))
                    .col(string_len(ContentHolds::Kind, 16))
                    .col(uuid(ContentHolds::AuthorId))
                    .col(uuid(ContentHolds::PlaceId))
                    .col(uuid(ContentHolds::CommunityId))
                    .col(text(ContentHolds::Submission))
                    .col(string_len(ContentHolds::State, 16))
                    .col(string_len_null(ContentHolds::Suggestion, 8))
                    .col(integer(ContentHolds::Attempts))
                    .col(timestamp_with_time_zone_null(ContentHolds::NextCheckAt))
                    .col(uuid_null(ContentHolds::DecidedBy))
                    .col(timestamp_with_time_zone_null(ContentHolds::DecidedAt))
                    .col(text_null(ContentHolds::Reason))
                    .col(uuid_null(ContentHolds::PublishedId))
                    .col(timestamp_with_time_zone(ContentHolds::CreatedAt))
                    .col(timestamp_with_time_zone(ContentHolds::UpdatedAt))
                    .foreign_key(&mut fk(ContentHolds::Table, ContentHolds::AuthorId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(ContentHolds::Table, ContentHolds::PlaceId, Places::Table, Places::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("content_holds_queue", ContentHolds::Table, &["community_id", "state"]).to_owned())
            .await?;
        manager
            .create_index(index("content_holds_retry", ContentHolds::Table, &["state", "next_check_at"]).to_owned())
            .await?;
        manager
            .create_index(index("content_holds_author", ContentHolds::Table, &["author_id", "created_at"]).to_owned())
            .await?;
        Ok(())
    }
}

//! Closing accounts (issue 19; decisions 165–169). `erasures`: one row per person's erasure — asked by the
//! person (`closeMyAccount`, carried out at once) or recorded by residents' committee staff on the
//! person's written or in-person request and carried out later (`recordErasureRequest`, `eraseOnRequest`).
//! The person's row stays (its id is referenced everywhere) under a pseudonym; this table is how the
//! platform knows it was erased, and by whose request. `note` is the request's reference as staff file it
//! (a document number, how it was made), never the person's name or contacts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Erasures {
    Table,
    Id,
    PersonId,
    RequestedBy,
    Note,
    Status,
    RecordedAt,
    ErasedAt,
    ErasedBy,
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
                    .table(Erasures::Table)
                    .col(pk_uuid(Erasures::Id))
                    .col(uuid(Erasures::PersonId))
                    .col(uuid(Erasures::RequestedBy))
                    .col(text_null(Erasures::Note))
                    .col(string_len(Erasures::Status, 20))
                    .col(timestamp_with_time_zone(Erasures::RecordedAt))
                    .col(timestamp_with_time_zone_null(Erasures::ErasedAt))
                    .col(uuid_null(Erasures::ErasedBy))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("erasures_person", Erasures::Table, &["person_id", "status"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Erasures::Table).to_owned()).await
    }
}

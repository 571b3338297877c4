//! One owner, one person (issue 14): when a logged-in person turns out to be an owner the register already
//! held (an imported record), the record is merged into them. Each merge is kept: who was merged into
//! whom, by whom, when and why, and what moved (`moved`, JSON), so that staff can undo a merge until either
//! person votes again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PersonMerges {
    Table,
    Id,
    FromPersonId,
    IntoPersonId,
    MergedBy,
    Reason,
    MergedAt,
    Moved,
    UndoneAt,
    UndoneBy,
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
                    .table(PersonMerges::Table)
                    .col(pk_uuid(PersonMerges::Id))
                    .col(uuid(PersonMerges::FromPersonId))
                    .col(uuid(PersonMerges::IntoPersonId))
                    .col(uuid(PersonMerges::MergedBy))
                    .col(string_len(PersonMerges::Reason, 200))
                    .col(timestamp_with_time_zone(PersonMerges::MergedAt))
                    .col(text(PersonMerges::Moved))
                    .col(timestamp_with_time_zone_null(PersonMerges::UndoneAt))
                    .col(uuid_null(PersonMerges::UndoneBy))
                    .foreign_key(&mut fk(PersonMerges::Table, PersonMerges::FromPersonId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(PersonMerges::Table, PersonMerges::IntoPersonId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(PersonMerges::Table, PersonMerges::MergedBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("person_merges_into", PersonMerges::Table, &["into_person_id"])).await?;
        Ok(())
    }
}

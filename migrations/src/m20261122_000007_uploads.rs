//! Uploaded photos: who uploaded which stored file, so a topic or a progress report can only attach
//! photos its author uploaded.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Key,
    PersonId,
    ContentType,
    SizeBytes,
    CreatedAt,
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
                    .table(Uploads::Table)
                    .col(string_len(Uploads::Key, 100).primary_key())
                    .col(uuid(Uploads::PersonId))
                    .col(string_len(Uploads::ContentType, 40))
                    .col(big_integer(Uploads::SizeBytes))
                    .col(timestamp_with_time_zone(Uploads::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("uploads_person").table(Uploads::Table).col(Uploads::PersonId).to_owned(),
            )
            .await?;
        Ok(())
    }
}

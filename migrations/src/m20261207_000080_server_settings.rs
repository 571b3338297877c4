//! Settings the server itself changes and every instance must share: the demo clock's offset (decision
//! 83), which lived in one process's memory, so a restart lost it and a second instance ran at another
//! time. One row per setting, an integer value.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServerSettings {
    Table,
    Name,
    Value,
    UpdatedAt,
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
                    .table(ServerSettings::Table)
                    .col(string_len(ServerSettings::Name, 60).primary_key())
                    .col(big_integer(ServerSettings::Value))
                    .col(timestamp_with_time_zone(ServerSettings::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ServerSettings::Table).to_owned()).await
    }
}

//! Each partner endpoint's circuit (decision 160): its transient failures in a row and, while open, the
//! end of its cool-down. On the endpoint's row, so every worker and instance reads one circuit and the
//! partner is shown it; the claim leaves an open endpoint's messages queued without touching them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    CircuitFailures,
    CircuitOpenUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(WebhookEndpoints::Table)
                    .add_column(integer(WebhookEndpoints::CircuitFailures).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(WebhookEndpoints::Table)
                    .add_column(timestamp_with_time_zone_null(WebhookEndpoints::CircuitOpenUntil))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [WebhookEndpoints::CircuitOpenUntil, WebhookEndpoints::CircuitFailures] {
            manager.alter_table(Table::alter().table(WebhookEndpoints::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

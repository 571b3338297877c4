//! Time in each stage for the statistics projection (issue 18, decision 156): per place, period and
//! stage, how many topics left the stage after a time in each of a fixed set of log-spaced buckets
//! (`gongzhi_domain::statistics::durations`). Buckets add up, so a street's, district's or city's median and
//! 90th percentile over any window are read from pre-summed rows, as the other figures are. And when each
//! topic entered its current stage, which the projection needs to time the next move.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StatDurations {
    Table,
    PlaceId,
    ParentId,
    Period,
    PeriodStart,
    Stage,
    Bucket,
    Total,
}

#[derive(DeriveIden)]
enum StatTopics {
    Table,
    StageSince,
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
                    .table(StatDurations::Table)
                    .if_not_exists()
                    .col(uuid(StatDurations::PlaceId))
                    .col(uuid_null(StatDurations::ParentId))
                    .col(string_len(StatDurations::Period, 8))
                    .col(date(StatDurations::PeriodStart))
                    .col(string_len(StatDurations::Stage, 20))
                    .col(integer(StatDurations::Bucket))
                    .col(big_integer(StatDurations::Total))
                    .primary_key(
                        Index::create()
                            .col(StatDurations::PlaceId)
                            .col(StatDurations::Period)
                            .col(StatDurations::PeriodStart)
                            .col(StatDurations::Stage)
                            .col(StatDurations::Bucket),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "stat_durations_children",
                StatDurations::Table,
                &["parent_id", "period", "period_start"],
            ))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StatTopics::Table)
                    .add_column(timestamp_with_time_zone_null(StatTopics::StageSince))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(StatTopics::Table).drop_column(StatTopics::StageSince).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(StatDurations::Table).to_owned()).await
    }
}

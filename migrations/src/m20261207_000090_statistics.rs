//! The statistics projection's tables (issue 18, decisions 150–153): figures per place, period, metric
//! and category; topics by current stage per place and category; what the projection remembers of each
//! topic (its place, category, stage and when it was submitted and accepted); and the last event it
//! applied. Every row is derived from the event log and can be rebuilt from it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StatFigures {
    Table,
    PlaceId,
    ParentId,
    Period,
    PeriodStart,
    Metric,
    CategoryId,
    Total,
}

#[derive(DeriveIden)]
enum StatStages {
    Table,
    PlaceId,
    ParentId,
    Stage,
    CategoryId,
    Topics,
}

#[derive(DeriveIden)]
enum StatTopics {
    Table,
    TopicId,
    PlacePath,
    CategoryId,
    Stage,
    SubmittedAt,
    AcceptedAt,
}

#[derive(DeriveIden)]
enum StatHeads {
    Table,
    Name,
    Seq,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The key leads with the place and period, so one place's figures over a window are one range of
        // the primary key: a city-wide query reads a few thousand pre-summed rows, never the pipeline.
        manager
            .create_table(
                Table::create()
                    .table(StatFigures::Table)
                    .if_not_exists()
                    .col(uuid(StatFigures::PlaceId))
                    .col(uuid_null(StatFigures::ParentId))
                    .col(string_len(StatFigures::Period, 8))
                    .col(date(StatFigures::PeriodStart))
                    .col(string_len(StatFigures::Metric, 40))
                    .col(uuid(StatFigures::CategoryId))
                    .col(big_integer(StatFigures::Total))
                    .primary_key(
                        Index::create()
                            .col(StatFigures::PlaceId)
                            .col(StatFigures::Period)
                            .col(StatFigures::PeriodStart)
                            .col(StatFigures::Metric)
                            .col(StatFigures::CategoryId),
                    )
                    .to_owned(),
            )
            .await?;
        // The breakdown by the level below: every child's figures of a window, by the parent.
        manager
            .create_index(index("stat_figures_children", StatFigures::Table, &["parent_id", "period", "period_start"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatStages::Table)
                    .if_not_exists()
                    .col(uuid(StatStages::PlaceId))
                    .col(uuid_null(StatStages::ParentId))
                    .col(string_len(StatStages::Stage, 20))
                    .col(uuid(StatStages::CategoryId))
                    .col(big_integer(StatStages::Topics))
                    .primary_key(
                        Index::create().col(StatStages::PlaceId).col(StatStages::Stage).col(StatStages::CategoryId),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("stat_stages_children", StatStages::Table, &["parent_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table(StatTopics::Table)
                    .if_not_exists()
                    .col(uuid(StatTopics::TopicId).primary_key())
                    .col(text(StatTopics::PlacePath))
                    .col(uuid(StatTopics::CategoryId))
                    .col(string_len_null(StatTopics::Stage, 20))
                    .col(timestamp_with_time_zone_null(StatTopics::SubmittedAt))
                    .col(timestamp_with_time_zone_null(StatTopics::AcceptedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatHeads::Table)
                    .if_not_exists()
                    .col(string_len(StatHeads::Name, 60).primary_key())
                    .col(big_integer(StatHeads::Seq))
                    .to_owned(),
            )
            .await
    }
}

//! 一院一案 (decision 118): one rectification plan per listed problem compound and listing, drafted by the
//! residents' committee and reviewed by the street. Its measures are kept as drafted (JSON) until the
//! street approves; then they become tasks of the plan's own topic (`topic_id`), which the task machinery
//! runs. `quarter` is the listing the plan answers: one plan per compound and quarter.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RectificationPlans {
    Table,
    Id,
    CompoundId,
    CityId,
    Quarter,
    CategoryId,
    DraftedBy,
    Summary,
    Measures,
    State,
    ReviewedBy,
    ReviewedAt,
    Reason,
    TopicId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Places {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Topics {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RectificationPlans::Table)
                    .col(pk_uuid(RectificationPlans::Id))
                    .col(uuid(RectificationPlans::CompoundId))
                    .col(uuid(RectificationPlans::CityId))
                    .col(string_len(RectificationPlans::Quarter, 8))
                    .col(uuid(RectificationPlans::CategoryId))
                    .col(uuid(RectificationPlans::DraftedBy))
                    .col(text(RectificationPlans::Summary))
                    .col(text(RectificationPlans::Measures))
                    .col(string_len(RectificationPlans::State, 16))
                    .col(uuid_null(RectificationPlans::ReviewedBy))
                    .col(timestamp_with_time_zone_null(RectificationPlans::ReviewedAt))
                    .col(text_null(RectificationPlans::Reason))
                    .col(uuid_null(RectificationPlans::TopicId))
                    .col(timestamp_with_time_zone(RectificationPlans::CreatedAt))
                    .col(timestamp_with_time_zone(RectificationPlans::UpdatedAt))
                    .foreign_key(&mut fk(
                        RectificationPlans::Table,
                        RectificationPlans::CompoundId,
                        Places::Table,
                        Places::Id,
                    ))
                    .foreign_key(&mut fk(
                        RectificationPlans::Table,
                        RectificationPlans::TopicId,
                        Topics::Table,
                        Topics::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("rectification_plans_compound_quarter", RectificationPlans::Table, &["compound_id", "quarter"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The quarter's complaint count leaves out plan topics (they are the answer, not a complaint).
        manager
            .create_index(index("rectification_plans_topic", RectificationPlans::Table, &["topic_id"]).to_owned())
            .await?;
        Ok(())
    }
}

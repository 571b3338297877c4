//! The pipeline's first tables: each community's deliberation catalogue, solicitation rounds, topics
//! with their state, co-signatures (one per person, by a unique key), and the append-only timeline.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    CommunityId,
    Code,
    NameZh,
    NameEn,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    PlaceId,
    Theme,
    OpensAt,
    ClosesAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Topics {
    Table,
    Id,
    PlaceId,
    CommunityId,
    CompoundId,
    StreetId,
    CategoryId,
    RoundId,
    SubmitterId,
    Title,
    Description,
    Datum,
    LatMicro,
    LngMicro,
    Photos,
    SubmittedAt,
    Level,
    State,
    Stage,
    StateAt,
    Reason,
    MergedInto,
    CompanyId,
    RoutedAt,
    ByDefault,
    Plan,
    DueKind,
    DueAt,
    CoSignCount,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TopicCoSignatures {
    Table,
    TopicId,
    PersonId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TopicEvents {
    Table,
    Id,
    TopicId,
    ActorId,
    At,
    Kind,
    Visibility,
    Note,
    Payload,
}

#[derive(DeriveIden)]
enum Places {
    Table,
    Id,
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
                    .table(Categories::Table)
                    .col(pk_uuid(Categories::Id))
                    .col(uuid(Categories::CommunityId))
                    .col(string_len(Categories::Code, 32))
                    .col(string_len(Categories::NameZh, 60))
                    .col(string_len(Categories::NameEn, 60))
                    .col(boolean(Categories::Active))
                    .col(timestamp_with_time_zone(Categories::CreatedAt))
                    .foreign_key(&mut fk(Categories::Table, Categories::CommunityId, Places::Table, Places::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("categories_community_code", Categories::Table, &["community_id", "code"]).unique().to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Rounds::Table)
                    .col(pk_uuid(Rounds::Id))
                    .col(uuid(Rounds::PlaceId))
                    .col(string_len(Rounds::Theme, 60))
                    .col(timestamp_with_time_zone(Rounds::OpensAt))
                    .col(timestamp_with_time_zone(Rounds::ClosesAt))
                    .col(uuid(Rounds::CreatedBy))
                    .col(timestamp_with_time_zone(Rounds::CreatedAt))
                    .foreign_key(&mut fk(Rounds::Table, Rounds::PlaceId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(Rounds::Table, Rounds::CreatedBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("rounds_place", Rounds::Table, &["place_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Topics::Table)
                    .col(pk_uuid(Topics::Id))
                    .col(uuid(Topics::PlaceId))
                    // Denormalised from the place, for feeds by community and compound and the street's queue.
                    .col(uuid(Topics::CommunityId))
                    .col(uuid(Topics::CompoundId))
                    .col(uuid(Topics::StreetId))
                    .col(uuid(Topics::CategoryId))
                    .col(uuid_null(Topics::RoundId))
                    .col(uuid(Topics::SubmitterId))
                    .col(string_len(Topics::Title, 60))
                    .col(text(Topics::Description))
                    .col(string_len_null(Topics::Datum, 8))
                    .col(integer_null(Topics::LatMicro))
                    .col(integer_null(Topics::LngMicro))
                    // JSON array of opaque storage keys, at most nine.
                    .col(text(Topics::Photos))
                    .col(timestamp_with_time_zone(Topics::SubmittedAt))
                    .col(string_len(Topics::Level, 12))
                    .col(string_len(Topics::State, 24))
                    .col(string_len(Topics::Stage, 16))
                    // The one timestamp each state carries (since, at, closes_at).
                    .col(timestamp_with_time_zone(Topics::StateAt))
                    .col(text_null(Topics::Reason))
                    .col(uuid_null(Topics::MergedInto))
                    .col(uuid_null(Topics::CompanyId))
                    .col(timestamp_with_time_zone_null(Topics::RoutedAt))
                    .col(boolean_null(Topics::ByDefault))
                    // The deliberation plan as JSON, validated again when read.
                    .col(text_null(Topics::Plan))
                    .col(string_len_null(Topics::DueKind, 24))
                    .col(timestamp_with_time_zone_null(Topics::DueAt))
                    .col(integer(Topics::CoSignCount).default(0))
                    .col(timestamp_with_time_zone(Topics::UpdatedAt))
                    .foreign_key(&mut fk(Topics::Table, Topics::PlaceId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(Topics::Table, Topics::CategoryId, Categories::Table, Categories::Id))
                    .foreign_key(&mut fk(Topics::Table, Topics::RoundId, Rounds::Table, Rounds::Id))
                    .foreign_key(&mut fk(Topics::Table, Topics::SubmitterId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(Topics::Table, Topics::MergedInto, Topics::Table, Topics::Id))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("topics_compound", &["compound_id", "id"][..]),
            ("topics_community", &["community_id", "id"][..]),
            ("topics_place", &["place_id", "id"][..]),
            ("topics_submitter", &["submitter_id", "id"][..]),
            ("topics_due", &["due_at"][..]),
        ] {
            manager.create_index(index(name, Topics::Table, columns)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TopicCoSignatures::Table)
                    .col(uuid(TopicCoSignatures::TopicId))
                    .col(uuid(TopicCoSignatures::PersonId))
                    .col(timestamp_with_time_zone(TopicCoSignatures::CreatedAt))
                    // One co-signature per person and topic, whatever the timing of retries.
                    .primary_key(Index::create().col(TopicCoSignatures::TopicId).col(TopicCoSignatures::PersonId))
                    .foreign_key(&mut fk(
                        TopicCoSignatures::Table,
                        TopicCoSignatures::TopicId,
                        Topics::Table,
                        Topics::Id,
                    ))
                    .foreign_key(&mut fk(
                        TopicCoSignatures::Table,
                        TopicCoSignatures::PersonId,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("topic_co_signatures_person", TopicCoSignatures::Table, &["person_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(TopicEvents::Table)
                    .col(pk_uuid(TopicEvents::Id))
                    .col(uuid(TopicEvents::TopicId))
                    .col(uuid_null(TopicEvents::ActorId))
                    .col(timestamp_with_time_zone(TopicEvents::At))
                    .col(string_len(TopicEvents::Kind, 32))
                    .col(string_len(TopicEvents::Visibility, 8))
                    .col(text_null(TopicEvents::Note))
                    // The event's data as JSON, tagged with its kind.
                    .col(text(TopicEvents::Payload))
                    .foreign_key(&mut fk(TopicEvents::Table, TopicEvents::TopicId, Topics::Table, Topics::Id))
                    .foreign_key(&mut fk(TopicEvents::Table, TopicEvents::ActorId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("topic_events_topic", TopicEvents::Table, &["topic_id", "id"])).await?;
        Ok(())
    }
}

//! Deliberation's own records: meetings with their invitees and attendance and the versions of their
//! minutes, and the online opinion thread with its reports.
//!
//! Minutes are append-only: a correction is a new row under the next version number, and the unique key
//! on (meeting, version) makes two people correcting at once a conflict rather than a lost version.
//! Hidden opinions stay in `opinions` with who hid them, when and why; a report is one row per person per
//! opinion under its primary key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    TopicId,
    Title,
    Form,
    StartsAt,
    EndsAt,
    Location,
    ScheduledBy,
    ScheduledAt,
}

#[derive(DeriveIden)]
enum MeetingAttendees {
    Table,
    MeetingId,
    PersonId,
    Position,
    Capacity,
    InvitedBy,
    InvitedAt,
    CheckedInAt,
    CheckedInBy,
}

#[derive(DeriveIden)]
enum MeetingMinutes {
    Table,
    Id,
    MeetingId,
    Version,
    Text,
    Attachments,
    Reason,
    WrittenBy,
    WrittenAt,
}

#[derive(DeriveIden)]
enum Opinions {
    Table,
    Id,
    TopicId,
    ParentId,
    AuthorId,
    Stance,
    Text,
    PostedAt,
    HiddenAt,
    HiddenBy,
    HiddenReason,
}

#[derive(DeriveIden)]
enum OpinionReports {
    Table,
    OpinionId,
    PersonId,
    Reason,
    ReportedAt,
}

#[derive(DeriveIden)]
enum Topics {
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
                    .table(Meetings::Table)
                    .col(pk_uuid(Meetings::Id))
                    .col(uuid(Meetings::TopicId))
                    .col(string_len(Meetings::Title, 60))
                    .col(string_len(Meetings::Form, 24))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(timestamp_with_time_zone(Meetings::EndsAt))
                    .col(string_len(Meetings::Location, 100))
                    .col(uuid(Meetings::ScheduledBy))
                    .col(timestamp_with_time_zone(Meetings::ScheduledAt))
                    .check(Expr::col(Meetings::EndsAt).gt(Expr::col(Meetings::StartsAt)))
                    .foreign_key(&mut fk(Meetings::Table, Meetings::TopicId, Topics::Table, Topics::Id))
                    .foreign_key(&mut fk(Meetings::Table, Meetings::ScheduledBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meetings_topic")
                    .table(Meetings::Table)
                    .col(Meetings::TopicId)
                    .col(Meetings::StartsAt)
                    .to_owned(),
            )
            .await?;
        // Invitees (with their capacity) and walk-ins the leads checked in (without one).
        manager
            .create_table(
                Table::create()
                    .table(MeetingAttendees::Table)
                    .col(uuid(MeetingAttendees::MeetingId))
                    .col(uuid(MeetingAttendees::PersonId))
                    // The order people were put on the list in: invitees as given, then walk-ins.
                    .col(integer(MeetingAttendees::Position))
                    .col(string_len_null(MeetingAttendees::Capacity, 24))
                    .col(uuid_null(MeetingAttendees::InvitedBy))
                    .col(timestamp_with_time_zone_null(MeetingAttendees::InvitedAt))
                    .col(timestamp_with_time_zone_null(MeetingAttendees::CheckedInAt))
                    .col(uuid_null(MeetingAttendees::CheckedInBy))
                    .primary_key(Index::create().col(MeetingAttendees::MeetingId).col(MeetingAttendees::PersonId))
                    .foreign_key(&mut fk(
                        MeetingAttendees::Table,
                        MeetingAttendees::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .foreign_key(&mut fk(
                        MeetingAttendees::Table,
                        MeetingAttendees::PersonId,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingMinutes::Table)
                    .col(pk_uuid(MeetingMinutes::Id))
                    .col(uuid(MeetingMinutes::MeetingId))
                    .col(integer(MeetingMinutes::Version))
                    .col(text(MeetingMinutes::Text))
                    // A JSON array of storage keys.
                    .col(text(MeetingMinutes::Attachments))
                    .col(string_len_null(MeetingMinutes::Reason, 500))
                    .col(uuid(MeetingMinutes::WrittenBy))
                    .col(timestamp_with_time_zone(MeetingMinutes::WrittenAt))
                    .check(Expr::col(MeetingMinutes::Version).gte(1))
                    .foreign_key(&mut fk(
                        MeetingMinutes::Table,
                        MeetingMinutes::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .foreign_key(&mut fk(MeetingMinutes::Table, MeetingMinutes::WrittenBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meeting_minutes_one_per_version")
                    .table(MeetingMinutes::Table)
                    .col(MeetingMinutes::MeetingId)
                    .col(MeetingMinutes::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Opinions::Table)
                    .col(pk_uuid(Opinions::Id))
                    .col(uuid(Opinions::TopicId))
                    .col(uuid_null(Opinions::ParentId))
                    .col(uuid(Opinions::AuthorId))
                    // for, against or neutral on opinions; none on replies.
                    .col(string_len_null(Opinions::Stance, 8))
                    .col(text(Opinions::Text))
                    .col(timestamp_with_time_zone(Opinions::PostedAt))
                    .col(timestamp_with_time_zone_null(Opinions::HiddenAt))
                    .col(uuid_null(Opinions::HiddenBy))
                    .col(string_len_null(Opinions::HiddenReason, 500))
                    .foreign_key(&mut fk(Opinions::Table, Opinions::TopicId, Topics::Table, Topics::Id))
                    .foreign_key(&mut fk(Opinions::Table, Opinions::ParentId, Opinions::Table, Opinions::Id))
                    .foreign_key(&mut fk(Opinions::Table, Opinions::AuthorId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        // The thread's pages: a topic's opinions (parent NULL) newest first, by id.
        manager
            .create_index(
                Index::create()
                    .name("opinions_thread")
                    .table(Opinions::Table)
                    .col(Opinions::TopicId)
                    .col(Opinions::ParentId)
                    .col(Opinions::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("opinions_parent").table(Opinions::Table).col(Opinions::ParentId).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OpinionReports::Table)
                    .col(uuid(OpinionReports::OpinionId))
                    .col(uuid(OpinionReports::PersonId))
                    .col(string_len(OpinionReports::Reason, 500))
                    .col(timestamp_with_time_zone(OpinionReports::ReportedAt))
                    .primary_key(Index::create().col(OpinionReports::OpinionId).col(OpinionReports::PersonId))
                    .foreign_key(&mut fk(
                        OpinionReports::Table,
                        OpinionReports::OpinionId,
                        Opinions::Table,
                        Opinions::Id,
                    ))
                    .foreign_key(&mut fk(OpinionReports::Table, OpinionReports::PersonId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

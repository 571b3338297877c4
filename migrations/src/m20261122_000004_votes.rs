//! Votes on topics and their ballots. One ballot per voter per vote is a unique key (the voter being a
//! unit for owners' votes, a household for consultations, a person at meetings); a changed ballot
//! overwrites the row, so the last one counts. Owners' ballots carry the unit's area and owning party, so
//! the tally is a SUM and a COUNT(DISTINCT) in the database.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Votes {
    Table,
    Id,
    TopicId,
    Kind,
    Matter,
    Title,
    CompoundId,
    OpensAt,
    ClosesAt,
    HideResults,
    ElectorateArea,
    ElectorateHeads,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VoteInvitees {
    Table,
    VoteId,
    PersonId,
}

/// The owners' roll of an owners' vote, unit by unit, as it stood when the vote opened: who may vote for
/// which unit, with which area and under which owning party, whatever is sold or registered later.
#[derive(DeriveIden)]
enum VoteRoll {
    Table,
    VoteId,
    UnitId,
    PartyKey,
    AreaCentiM2,
}

#[derive(DeriveIden)]
enum VoteRollOwners {
    Table,
    VoteId,
    PersonId,
    UnitId,
}

#[derive(DeriveIden)]
enum Ballots {
    Table,
    Id,
    VoteId,
    VoterKey,
    PartyKey,
    PersonId,
    CastBy,
    ProxyMandate,
    Paper,
    Note,
    Choice,
    AreaCentiM2,
    CastAt,
    UpdatedAt,
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
                    .table(Votes::Table)
                    .col(pk_uuid(Votes::Id))
                    .col(uuid(Votes::TopicId))
                    .col(string_len(Votes::Kind, 12))
                    .col(string_len_null(Votes::Matter, 32))
                    .col(string_len(Votes::Title, 60))
                    .col(uuid(Votes::CompoundId))
                    .col(timestamp_with_time_zone(Votes::OpensAt))
                    .col(timestamp_with_time_zone(Votes::ClosesAt))
                    .col(boolean(Votes::HideResults))
                    // The owners' roll at the opening: later changes of ownership do not move the goalposts.
                    .col(big_integer_null(Votes::ElectorateArea))
                    .col(big_integer_null(Votes::ElectorateHeads))
                    .col(uuid(Votes::CreatedBy))
                    .col(timestamp_with_time_zone(Votes::CreatedAt))
                    .foreign_key(&mut fk(Votes::Table, Votes::TopicId, Topics::Table, Topics::Id))
                    .foreign_key(&mut fk(Votes::Table, Votes::CreatedBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("votes_topic").table(Votes::Table).col(Votes::TopicId).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VoteInvitees::Table)
                    .col(uuid(VoteInvitees::VoteId))
                    .col(uuid(VoteInvitees::PersonId))
                    .primary_key(Index::create().col(VoteInvitees::VoteId).col(VoteInvitees::PersonId))
                    .foreign_key(&mut fk(VoteInvitees::Table, VoteInvitees::VoteId, Votes::Table, Votes::Id))
                    .foreign_key(&mut fk(VoteInvitees::Table, VoteInvitees::PersonId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VoteRoll::Table)
                    .col(uuid(VoteRoll::VoteId))
                    .col(uuid(VoteRoll::UnitId))
                    .col(text(VoteRoll::PartyKey))
                    .col(big_integer(VoteRoll::AreaCentiM2))
                    .primary_key(Index::create().col(VoteRoll::VoteId).col(VoteRoll::UnitId))
                    .foreign_key(&mut fk(VoteRoll::Table, VoteRoll::VoteId, Votes::Table, Votes::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VoteRollOwners::Table)
                    .col(uuid(VoteRollOwners::VoteId))
                    .col(uuid(VoteRollOwners::PersonId))
                    .col(uuid(VoteRollOwners::UnitId))
                    .primary_key(
                        Index::create()
                            .col(VoteRollOwners::VoteId)
                            .col(VoteRollOwners::PersonId)
                            .col(VoteRollOwners::UnitId),
                    )
                    .foreign_key(&mut fk(VoteRollOwners::Table, VoteRollOwners::VoteId, Votes::Table, Votes::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Ballots::Table)
                    .col(pk_uuid(Ballots::Id))
                    .col(uuid(Ballots::VoteId))
                    .col(string_len(Ballots::VoterKey, 40))
                    // Co-owners' ids joined: unbounded, since a unit may have many co-owners.
                    .col(text(Ballots::PartyKey))
                    .col(uuid(Ballots::PersonId))
                    .col(uuid(Ballots::CastBy))
                    .col(string_len_null(Ballots::ProxyMandate, 500))
                    .col(boolean(Ballots::Paper))
                    .col(string_len_null(Ballots::Note, 500))
                    .col(string_len(Ballots::Choice, 8))
                    .col(big_integer(Ballots::AreaCentiM2))
                    .col(timestamp_with_time_zone(Ballots::CastAt))
                    .col(timestamp_with_time_zone(Ballots::UpdatedAt))
                    .foreign_key(&mut fk(Ballots::Table, Ballots::VoteId, Votes::Table, Votes::Id))
                    .foreign_key(&mut fk(Ballots::Table, Ballots::PersonId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(Ballots::Table, Ballots::CastBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ballots_one_per_voter")
                    .table(Ballots::Table)
                    .col(Ballots::VoteId)
                    .col(Ballots::VoterKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

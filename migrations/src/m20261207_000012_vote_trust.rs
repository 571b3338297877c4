//! Votes people can trust (issue 14): proxy mandates as records, the ballot a proxy cast naming its
//! mandate, a vote's secrecy, and the developer as a party — the units it still holds and who represents
//! it in each compound.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// 委托: an owner's mandate to a proxy, for one vote (`vote_id`) or for the owners' votes of a compound
/// over a period (`valid_from`..`valid_until`). Given in the app (`source` = `app`) or recorded by staff
/// from a signed paper with its scan (`paper`, `scan_key`, `entered_by`). Revoked, never deleted.
#[derive(DeriveIden)]
enum VoteMandates {
    Table,
    Id,
    OwnerId,
    ProxyId,
    VoteId,
    CompoundId,
    ValidFrom,
    ValidUntil,
    Source,
    ScanKey,
    EnteredBy,
    Note,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Ballots {
    Table,
    MandateId,
}

#[derive(DeriveIden)]
enum Votes {
    Table,
    Id,
    SecretBallot,
}

/// Units the developer (建设单位) still holds, unsold or sold but not delivered: one owner by head however
/// many, as judicial interpretation art. 9 counts them.
#[derive(DeriveIden)]
enum DeveloperUnits {
    Table,
    UnitId,
    CompoundId,
    MarkedBy,
    MarkedAt,
}

/// The developer of a compound, an organisation, and the person who casts its one ballot.
#[derive(DeriveIden)]
enum CompoundDevelopers {
    Table,
    CompoundId,
    Name,
    RepresentativeId,
    SetBy,
    SetAt,
}

#[derive(DeriveIden)]
enum Persons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Places {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Key,
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
                    .table(VoteMandates::Table)
                    .col(pk_uuid(VoteMandates::Id))
                    .col(uuid(VoteMandates::OwnerId))
                    .col(uuid(VoteMandates::ProxyId))
                    .col(uuid_null(VoteMandates::VoteId))
                    .col(uuid(VoteMandates::CompoundId))
                    .col(timestamp_with_time_zone_null(VoteMandates::ValidFrom))
                    .col(timestamp_with_time_zone_null(VoteMandates::ValidUntil))
                    .col(string_len(VoteMandates::Source, 8))
                    .col(string_len_null(VoteMandates::ScanKey, 200))
                    .col(uuid_null(VoteMandates::EnteredBy))
                    .col(string_len_null(VoteMandates::Note, 500))
                    .col(timestamp_with_time_zone(VoteMandates::CreatedAt))
                    .col(timestamp_with_time_zone_null(VoteMandates::RevokedAt))
                    .foreign_key(&mut fk(VoteMandates::Table, VoteMandates::OwnerId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(VoteMandates::Table, VoteMandates::ProxyId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(VoteMandates::Table, VoteMandates::VoteId, Votes::Table, Votes::Id))
                    .foreign_key(&mut fk(VoteMandates::Table, VoteMandates::CompoundId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(VoteMandates::Table, VoteMandates::ScanKey, Uploads::Table, Uploads::Key))
                    .foreign_key(&mut fk(VoteMandates::Table, VoteMandates::EnteredBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("vote_mandates_proxy", VoteMandates::Table, &["proxy_id", "vote_id"])).await?;
        manager.create_index(index("vote_mandates_owner", VoteMandates::Table, &["owner_id", "compound_id"])).await?;
        // SQLite adds one column per statement.
        manager
            .alter_table(Table::alter().table(Ballots::Table).add_column(uuid_null(Ballots::MandateId)).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(Votes::Table).add_column(boolean(Votes::SecretBallot).default(false)).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeveloperUnits::Table)
                    .col(pk_uuid(DeveloperUnits::UnitId))
                    .col(uuid(DeveloperUnits::CompoundId))
                    .col(uuid_null(DeveloperUnits::MarkedBy))
                    .col(timestamp_with_time_zone(DeveloperUnits::MarkedAt))
                    .foreign_key(&mut fk(DeveloperUnits::Table, DeveloperUnits::UnitId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(DeveloperUnits::Table, DeveloperUnits::MarkedBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("developer_units_compound", DeveloperUnits::Table, &["compound_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table(CompoundDevelopers::Table)
                    .col(pk_uuid(CompoundDevelopers::CompoundId))
                    .col(string_len(CompoundDevelopers::Name, 100))
                    .col(uuid_null(CompoundDevelopers::RepresentativeId))
                    .col(uuid(CompoundDevelopers::SetBy))
                    .col(timestamp_with_time_zone(CompoundDevelopers::SetAt))
                    .foreign_key(&mut fk(
                        CompoundDevelopers::Table,
                        CompoundDevelopers::CompoundId,
                        Places::Table,
                        Places::Id,
                    ))
                    .foreign_key(&mut fk(
                        CompoundDevelopers::Table,
                        CompoundDevelopers::RepresentativeId,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

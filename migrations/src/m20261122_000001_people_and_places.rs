//! The foundation: people and their WeChat identities, the tenancy tree, property companies, role
//! grants, household claims, grids, and login sessions with their refresh tokens.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Persons {
    Table,
    Id,
    Name,
    Phone,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Identities {
    Table,
    Id,
    PersonId,
    Provider,
    Subject,
    UnionId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PropertyCompanies {
    Table,
    Id,
    Name,
    CreditCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Places {
    Table,
    Id,
    Kind,
    ParentId,
    Name,
    Code,
    CityId,
    DistrictId,
    StreetId,
    CommunityId,
    CompoundId,
    BuildingId,
    AreaCentiM2,
    CommitteeSeats,
    PropertyCompanyId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    Id,
    PersonId,
    Role,
    PlaceId,
    CompanyId,
    GrantedBy,
    GrantedAt,
    RevokedBy,
    RevokedAt,
    RevokeReason,
}

#[derive(DeriveIden)]
enum HouseholdClaims {
    Table,
    Id,
    PersonId,
    HouseholdId,
    Relation,
    Note,
    Status,
    DecidedBy,
    DecidedAt,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Grids {
    Table,
    Id,
    CommunityId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GridBuildings {
    Table,
    GridId,
    BuildingId,
}

#[derive(DeriveIden)]
enum LoginSessions {
    Table,
    Id,
    PersonId,
    CreatedAt,
    RevokedAt,
    RevokeReason,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
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
                    .table(Persons::Table)
                    .col(pk_uuid(Persons::Id))
                    .col(string_len_null(Persons::Name, 50))
                    .col(string_len_null(Persons::Phone, 11).unique_key())
                    .col(timestamp_with_time_zone(Persons::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Identities::Table)
                    .col(pk_uuid(Identities::Id))
                    .col(uuid(Identities::PersonId))
                    .col(string_len(Identities::Provider, 20))
                    .col(string_len(Identities::Subject, 128))
                    .col(string_len_null(Identities::UnionId, 128))
                    .col(timestamp_with_time_zone(Identities::CreatedAt))
                    .foreign_key(&mut fk(Identities::Table, Identities::PersonId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("identities_provider_subject", Identities::Table, &["provider", "subject"]).unique().to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PropertyCompanies::Table)
                    .col(pk_uuid(PropertyCompanies::Id))
                    .col(string_len(PropertyCompanies::Name, 100))
                    .col(string_len_null(PropertyCompanies::CreditCode, 18).unique_key())
                    .col(timestamp_with_time_zone(PropertyCompanies::CreatedAt))
                    .to_owned(),
            )
            .await?;

        // One table for every level of the tree. The ancestor columns are denormalised on purpose: the tree
        // never moves a place to another parent, and "everything in this community" becomes one indexed
        // equality instead of a recursive query.
        manager
            .create_table(
                Table::create()
                    .table(Places::Table)
                    .col(pk_uuid(Places::Id))
                    .col(string_len(Places::Kind, 12))
                    .col(uuid_null(Places::ParentId))
                    .col(string_len(Places::Name, 60))
                    .col(string_len_null(Places::Code, 32))
                    .col(uuid_null(Places::CityId))
                    .col(uuid_null(Places::DistrictId))
                    .col(uuid_null(Places::StreetId))
                    .col(uuid_null(Places::CommunityId))
                    .col(uuid_null(Places::CompoundId))
                    .col(uuid_null(Places::BuildingId))
                    .col(big_integer_null(Places::AreaCentiM2))
                    .col(small_integer_null(Places::CommitteeSeats))
                    .col(uuid_null(Places::PropertyCompanyId))
                    .col(timestamp_with_time_zone(Places::CreatedAt))
                    .col(timestamp_with_time_zone(Places::UpdatedAt))
                    .foreign_key(&mut fk(Places::Table, Places::ParentId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(
                        Places::Table,
                        Places::PropertyCompanyId,
                        PropertyCompanies::Table,
                        PropertyCompanies::Id,
                    ))
                    .check(Expr::col(Places::AreaCentiM2).is_null().or(Expr::col(Places::AreaCentiM2).gt(0)))
                    .to_owned(),
            )
            .await?;
        // Sibling names are unique: imports find compounds and buildings by name, and people tell places apart by it.
        manager
            .create_index(index("places_parent_name", Places::Table, &["parent_id", "name"]).unique().to_owned())
            .await?;
        for column in ["community_id", "compound_id", "building_id"] {
            manager.create_index(index(&format!("places_{column}"), Places::Table, &[column])).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(RoleGrants::Table)
                    .col(pk_uuid(RoleGrants::Id))
                    .col(uuid(RoleGrants::PersonId))
                    .col(string_len(RoleGrants::Role, 40))
                    .col(uuid(RoleGrants::PlaceId))
                    .col(uuid_null(RoleGrants::CompanyId))
                    .col(uuid_null(RoleGrants::GrantedBy))
                    .col(timestamp_with_time_zone(RoleGrants::GrantedAt))
                    .col(uuid_null(RoleGrants::RevokedBy))
                    .col(timestamp_with_time_zone_null(RoleGrants::RevokedAt))
                    .col(string_len_null(RoleGrants::RevokeReason, 200))
                    .foreign_key(&mut fk(RoleGrants::Table, RoleGrants::PersonId, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(RoleGrants::Table, RoleGrants::PlaceId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(RoleGrants::Table, RoleGrants::GrantedBy, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(RoleGrants::Table, RoleGrants::RevokedBy, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(
                        RoleGrants::Table,
                        RoleGrants::CompanyId,
                        PropertyCompanies::Table,
                        PropertyCompanies::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("role_grants_person", RoleGrants::Table, &["person_id"])).await?;
        manager.create_index(index("role_grants_place", RoleGrants::Table, &["place_id", "role"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(HouseholdClaims::Table)
                    .col(pk_uuid(HouseholdClaims::Id))
                    .col(uuid(HouseholdClaims::PersonId))
                    .col(uuid(HouseholdClaims::HouseholdId))
                    .col(string_len(HouseholdClaims::Relation, 12))
                    .col(string_len_null(HouseholdClaims::Note, 200))
                    .col(string_len(HouseholdClaims::Status, 12))
                    .col(uuid_null(HouseholdClaims::DecidedBy))
                    .col(timestamp_with_time_zone_null(HouseholdClaims::DecidedAt))
                    .col(string_len_null(HouseholdClaims::Reason, 200))
                    .col(timestamp_with_time_zone(HouseholdClaims::CreatedAt))
                    .foreign_key(&mut fk(
                        HouseholdClaims::Table,
                        HouseholdClaims::PersonId,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .foreign_key(&mut fk(
                        HouseholdClaims::Table,
                        HouseholdClaims::HouseholdId,
                        Places::Table,
                        Places::Id,
                    ))
                    .foreign_key(&mut fk(
                        HouseholdClaims::Table,
                        HouseholdClaims::DecidedBy,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("household_claims_household", HouseholdClaims::Table, &["household_id", "status"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Grids::Table)
                    .col(pk_uuid(Grids::Id))
                    .col(uuid(Grids::CommunityId))
                    .col(string_len(Grids::Name, 60))
                    .col(timestamp_with_time_zone(Grids::CreatedAt))
                    .foreign_key(&mut fk(Grids::Table, Grids::CommunityId, Places::Table, Places::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("grids_community_name", Grids::Table, &["community_id", "name"]).unique().to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GridBuildings::Table)
                    .col(uuid(GridBuildings::GridId))
                    // A building is covered by one grid at a time.
                    .col(uuid(GridBuildings::BuildingId).primary_key())
                    .foreign_key(&mut fk(GridBuildings::Table, GridBuildings::GridId, Grids::Table, Grids::Id))
                    .foreign_key(&mut fk(GridBuildings::Table, GridBuildings::BuildingId, Places::Table, Places::Id))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginSessions::Table)
                    .col(pk_uuid(LoginSessions::Id))
                    .col(uuid(LoginSessions::PersonId))
                    .col(timestamp_with_time_zone(LoginSessions::CreatedAt))
                    .col(timestamp_with_time_zone_null(LoginSessions::RevokedAt))
                    .col(string_len_null(LoginSessions::RevokeReason, 40))
                    .foreign_key(&mut fk(LoginSessions::Table, LoginSessions::PersonId, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(pk_uuid(RefreshTokens::Id))
                    .col(uuid(RefreshTokens::SessionId))
                    // SHA-256 of the token, hex: the token itself is never stored.
                    .col(string_len(RefreshTokens::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .foreign_key(&mut fk(
                        RefreshTokens::Table,
                        RefreshTokens::SessionId,
                        LoginSessions::Table,
                        LoginSessions::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        // Partial unique indexes (same syntax on both databases): one live grant of a role per person and
        // place, one pending claim per person and household. Revoked grants and decided claims stay as history.
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX role_grants_live ON role_grants (person_id, role, place_id) WHERE revoked_at IS NULL",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX household_claims_pending ON household_claims (person_id, household_id) WHERE status = 'pending'",
        )
        .await?;
        Ok(())
    }
}

//! API partners: smart-community apps and city systems that call the API with OAuth2 client credentials.
//! Only a SHA-256 hash of each client secret is kept (the secret is 32 random bytes, so a fast hash is
//! enough: there is nothing to guess); `secret_version` counts rotations so a rotation also ends the
//! tokens issued under the old secret.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiPartners {
    Table,
    Id,
    Name,
    Kind,
    ScopePlaceId,
    RatePoints,
    SecretHash,
    SecretVersion,
    SecretRotatedAt,
    CreatedBy,
    CreatedAt,
    DisabledAt,
    DisabledBy,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiPartners::Table)
                    .col(uuid(ApiPartners::Id).primary_key())
                    .col(string_len(ApiPartners::Name, 60))
                    .col(string_len(ApiPartners::Kind, 30))
                    .col(uuid(ApiPartners::ScopePlaceId))
                    // The partner's own budget per rate-limit window; NULL takes the configured default.
                    .col(big_integer_null(ApiPartners::RatePoints))
                    // Hex SHA-256 of the current client secret.
                    .col(string_len(ApiPartners::SecretHash, 64))
                    .col(integer(ApiPartners::SecretVersion))
                    .col(timestamp_with_time_zone_null(ApiPartners::SecretRotatedAt))
                    .col(uuid(ApiPartners::CreatedBy))
                    .col(timestamp_with_time_zone(ApiPartners::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiPartners::DisabledAt))
                    .col(uuid_null(ApiPartners::DisabledBy))
                    .foreign_key(&mut fk(ApiPartners::Table, ApiPartners::ScopePlaceId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(ApiPartners::Table, ApiPartners::CreatedBy, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(ApiPartners::Table, ApiPartners::DisabledBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await
    }
}

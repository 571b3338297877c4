//! Partners for the city's systems (issue 18, decisions 120–123).
//!
//! - `scopes`: what a partner may read or do, a comma list of scope codes (`topics,open311`). Partners
//!   registered before read topics, which was all a partner could, so they keep exactly that.
//! - `previous_secret_hash`, `previous_secret_version`, `previous_secret_until`: the secret a rotation
//!   replaced, still honoured until the time the administrator stated.
//! - `person_id`: the person who stands for the partner where the pipeline needs one (the submitter of a
//!   request filed through Open311), made on its first filing. No foreign key: SQLite cannot add one to an
//!   existing table; the person is made in the same transaction that sets it.
//! - Indexes on both secret hashes: an Open311 `api_key` is a partner's secret, found by its hash.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiPartners {
    Table,
    Scopes,
    PreviousSecretHash,
    PreviousSecretVersion,
    PreviousSecretUntil,
    PersonId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            string_len(ApiPartners::Scopes, 200).default("topics").to_owned(),
            string_len_null(ApiPartners::PreviousSecretHash, 64),
            integer_null(ApiPartners::PreviousSecretVersion),
            timestamp_with_time_zone_null(ApiPartners::PreviousSecretUntil),
            uuid_null(ApiPartners::PersonId),
        ];
        // One column a statement: SQLite adds no more at once.
        for mut column in columns {
            manager.alter_table(Table::alter().table(ApiPartners::Table).add_column(&mut column).to_owned()).await?;
        }
        manager.create_index(index("api_partners_secret_hash", ApiPartners::Table, &["secret_hash"])).await?;
        manager
            .create_index(index("api_partners_previous_secret_hash", ApiPartners::Table, &["previous_secret_hash"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["api_partners_secret_hash", "api_partners_previous_secret_hash"] {
            manager.drop_index(Index::drop().name(name).table(ApiPartners::Table).to_owned()).await?;
        }
        for column in [
            ApiPartners::Scopes,
            ApiPartners::PreviousSecretHash,
            ApiPartners::PreviousSecretVersion,
            ApiPartners::PreviousSecretUntil,
            ApiPartners::PersonId,
        ] {
            manager.alter_table(Table::alter().table(ApiPartners::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

//! Audited access to personal data and the person's own data exports (issue 19; decisions 140–145).
//!
//! `personal_data_accesses`: one row per person whose data one read showed (a ballot roll with names, a
//! claim's evidence, the register, an export), written before the read answers. No foreign keys to
//! `persons`: the log is purged on its own retention, and erasure will replace the subject by a pseudonym
//! rather than delete the row.
//!
//! `data_exports`: a person's request for their data and, once built, the stored archive's key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PersonalDataAccesses {
    Table,
    Id,
    At,
    ActorId,
    SubjectId,
    Kind,
    Reference,
    Reason,
}

#[derive(DeriveIden)]
enum DataExports {
    Table,
    Id,
    PersonId,
    Status,
    RequestedAt,
    ReadyAt,
    FileKey,
    SizeBytes,
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
                    .table(PersonalDataAccesses::Table)
                    .col(pk_uuid(PersonalDataAccesses::Id))
                    .col(timestamp_with_time_zone(PersonalDataAccesses::At))
                    .col(uuid(PersonalDataAccesses::ActorId))
                    .col(uuid(PersonalDataAccesses::SubjectId))
                    .col(string_len(PersonalDataAccesses::Kind, 40))
                    .col(uuid_null(PersonalDataAccesses::Reference))
                    .col(text_null(PersonalDataAccesses::Reason))
                    .to_owned(),
            )
            .await?;
        // A person's own list, newest first; an administrator's by actor; the purge by time.
        for (name, columns) in [
            ("personal_data_accesses_subject", &["subject_id", "id"][..]),
            ("personal_data_accesses_actor", &["actor_id", "id"][..]),
            ("personal_data_accesses_at", &["at"][..]),
        ] {
            manager.create_index(index(name, PersonalDataAccesses::Table, columns)).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(DataExports::Table)
                    .col(pk_uuid(DataExports::Id))
                    .col(uuid(DataExports::PersonId))
                    .col(string_len(DataExports::Status, 20))
                    .col(timestamp_with_time_zone(DataExports::RequestedAt))
                    .col(timestamp_with_time_zone_null(DataExports::ReadyAt))
                    .col(string_len_null(DataExports::FileKey, 200))
                    .col(big_integer_null(DataExports::SizeBytes))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("data_exports_person", DataExports::Table, &["person_id", "id"])).await?;
        manager.create_index(index("data_exports_file_key", DataExports::Table, &["file_key"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DataExports::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(PersonalDataAccesses::Table).to_owned()).await
    }
}

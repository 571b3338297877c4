//! One partner per name and scope (issue 18, decision 170): `registerPartner` is idempotent by this unique
//! index, its insert doing nothing on a conflict, rather than by reading first — two registrations racing
//! each other could both have read nothing. Partners registered twice before this (only such a race could
//! make them) keep their rows: all but the first of a name and scope are renamed, with the first eight
//! hexadecimal digits of their id, so the index can be made and an administrator can tell them apart.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiPartners {
    Table,
    Id,
    Name,
    ScopePlaceId,
}

const INDEX: &str = "api_partners_scope_name_unique";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let select = "SELECT id, name, scope_place_id FROM api_partners ORDER BY created_at, id";
        let rows = db.query_all_raw(Statement::from_string(backend, select)).await?;
        let mut seen = std::collections::HashSet::new();
        for row in rows {
            let id: Uuid = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            let scope: Uuid = row.try_get("", "scope_place_id")?;
            if seen.insert((scope, name.clone())) {
                continue;
            }
            let short = id.simple().to_string();
            let suffix = format!(" #{}", &short[..8]);
            let kept: String = name.chars().take(60 - suffix.chars().count()).collect();
            let update = Query::update()
                .table(ApiPartners::Table)
                .value(ApiPartners::Name, format!("{kept}{suffix}"))
                .and_where(Expr::col(ApiPartners::Id).eq(id))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(ApiPartners::Table)
                    .col(ApiPartners::ScopePlaceId)
                    .col(ApiPartners::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(ApiPartners::Table).to_owned()).await
    }
}

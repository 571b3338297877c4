//! Keyset indexes for every sort a feed offers (issue 16). Feeds were indexed for newest-first only, so a
//! compound's "most co-signed" page sorted all its topics on every request, and "nearest deadline" walked
//! the city-wide `due_at` index filtering by compound. Feeds are read by compound (residents) and community
//! (staff); street feeds had no index at all.

use sea_orm_migration::prelude::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Topics {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, columns) in INDEXES {
            manager.create_index(index(name, Topics::Table, columns)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.drop_index(Index::drop().name(*name).table(Topics::Table).to_owned()).await?;
        }
        Ok(())
    }
}

/// A backward scan serves the descending sorts, so each index is ascending.
const INDEXES: &[(&str, &[&str])] = &[
    ("topics_compound_co_signed", &["compound_id", "co_sign_count", "id"]),
    ("topics_compound_due", &["compound_id", "due_at", "id"]),
    ("topics_community_co_signed", &["community_id", "co_sign_count", "id"]),
    ("topics_community_due", &["community_id", "due_at", "id"]),
    ("topics_street", &["street_id", "id"]),
];

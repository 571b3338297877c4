//! The benchmark's database: a fresh SQLite file in a temporary directory, or a PostgreSQL database whose
//! schema is dropped and migrated again, so every run starts from the same empty state.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use gongzhi_infra::db::{DbSettings, connect, migrate};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Where the run's data lives; a temporary SQLite directory is removed on drop.
pub struct Database {
    pub url: String,
    temp_dir: Option<PathBuf>,
}

impl Database {
    /// The given URL, or a new SQLite file under the system's temporary directory.
    pub fn new(url: Option<String>) -> anyhow::Result<Self> {
        if let Some(url) = url {
            return Ok(Database { url, temp_dir: None });
        }
        let dir = std::env::temp_dir().join(format!("gongzhi-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let url = format!("sqlite://{}?mode=rwc", dir.join("bench.sqlite").display());
        Ok(Database { url, temp_dir: Some(dir) })
    }

    pub fn backend(&self) -> &'static str {
        if self.url.starts_with("postgres") { "postgres" } else { "sqlite" }
    }

    /// Empties the database and runs the migrations.
    pub async fn recreate(&self) -> anyhow::Result<()> {
        let db = self.connect(2).await?;
        if self.backend() == "postgres" {
            db.execute_unprepared("DROP SCHEMA public CASCADE; CREATE SCHEMA public;").await?;
        }
        migrate(&db).await.context("migrating")?;
        db.close().await?;
        Ok(())
    }

    pub async fn connect(&self, max_connections: u32) -> anyhow::Result<DatabaseConnection> {
        let settings = DbSettings { url: self.url.clone(), max_connections, acquire_timeout: Duration::from_secs(30) };
        connect(&settings).await.with_context(|| format!("connecting to {}", self.url))
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(dir) = &self.temp_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

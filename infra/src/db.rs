//! Connecting: SQLite under `./data/` by default, PostgreSQL when a `postgres://` URL is given, and the
//! migrations, which run on every start.

use std::path::Path;
use std::time::Duration;

use gongzhi_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use tracing::info;

/// Where the embedded default keeps its file.
pub const DEFAULT_SQLITE_URL: &str = "sqlite://data/gongzhi.sqlite?mode=rwc";

#[derive(Debug, Clone)]
pub struct DbSettings {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

pub async fn connect(settings: &DbSettings) -> Result<DatabaseConnection, DbErr> {
    let url = &settings.url;
    let mut options = ConnectOptions::new(url.clone());
    options.acquire_timeout(settings.acquire_timeout).sqlx_logging(false);
    // sqlx pings every connection it hands out by default: one extra round trip per statement outside a
    // transaction, which doubled the feed's database time. Only a connection idle long enough to have been
    // dropped (a restarted server, a proxy's idle cut) is pinged; a hot one that broke fails its statement
    // once and is discarded.
    options.test_before_acquire_if_idle_for(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        ensure_sqlite_dir(url)?;
        // SQLite allows one writer; a single connection serialises writes instead of failing them with
        // SQLITE_BUSY when two deferred transactions both try to upgrade to writing.
        options.max_connections(1).min_connections(1);
    } else {
        options.max_connections(settings.max_connections).min_connections(1);
    }
    let db = Database::connect(options).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;")
            .await?;
    }
    Ok(db)
}

/// Creates the directory of a file-backed SQLite URL, so the first start needs no set-up.
fn ensure_sqlite_dir(url: &str) -> Result<(), DbErr> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
    }
    Ok(())
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let pending = Migrator::get_pending_migrations(db).await?.len();
    Migrator::up(db, None).await?;
    info!(applied = pending, "migrations up to date");
    Ok(())
}

/// How long a pooled connection has to answer a ping before it is taken for broken.
const PING: Duration = Duration::from_secs(1);

impl crate::Store {
    /// Closes the pool's idle connections that no longer answer, so that what runs next opens a fresh one.
    /// After the database was out of reach (a restart, a failover), the pool still holds connections to the
    /// server that went away, and each would fail the next statement given to it. SQLite's one connection
    /// is a file and cannot break this way.
    pub async fn discard_broken_connections(&self) {
        if self.pool.get_database_backend() != DbBackend::Postgres {
            return;
        }
        let pool = self.pool.get_postgres_connection_pool();
        let mut idle = Vec::new();
        while let Some(connection) = pool.try_acquire() {
            idle.push(connection);
        }
        let checks = idle.into_iter().map(|mut connection| async move {
            use sea_orm::sqlx::Connection as _;
            let answered = tokio::time::timeout(PING, connection.ping()).await.is_ok_and(|pinged| pinged.is_ok());
            if !answered {
                connection.close_on_drop();
            }
        });
        futures::future::join_all(checks).await;
    }
}

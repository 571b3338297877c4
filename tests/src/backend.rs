//! Test databases. Every test gets its own: a SQLite file in a temporary directory, or a freshly created
//! PostgreSQL database (from `TEST_DATABASE_URL`) dropped when the test ends. Without
//! `TEST_DATABASE_URL`, PostgreSQL tests are skipped with a note, except under `CI=true`, where they fail.

use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    id: uuid::Uuid,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(PathBuf),
    Postgres { admin_url: String, name: String },
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The URL of a service a test needs, or `None` (test skipped) outside CI. Under CI a missing service is a
/// failure, never a silent skip.
pub fn service_url(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if in_ci() => panic!("{variable} is not set, and CI=true: this test needs that service"),
        _ => {
            eprintln!("note: {variable} is not set; skipping the part of this test that needs it");
            None
        }
    }
}

impl TestDb {
    /// A name for things a test keeps beside its database.
    pub fn id(&self) -> uuid::Uuid {
        self.id
    }

    /// A fresh, empty database, or `None` when the backend is not available outside CI.
    pub async fn create(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("gongzhi-test-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let url = format!("sqlite://{}/test.sqlite?mode=rwc", dir.display());
                Some(Self { url, id: uuid::Uuid::new_v4(), cleanup: Cleanup::SqliteDir(dir) })
            }
            Backend::Postgres => {
                let admin_url = service_url("TEST_DATABASE_URL")?;
                let name = format!("gongzhi_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
                admin.close().await.ok();
                let url = replace_database(&admin_url, &name);
                Some(Self { url, id: uuid::Uuid::new_v4(), cleanup: Cleanup::Postgres { admin_url, name } })
            }
        }
    }
}

/// Swaps the database name at the end of a PostgreSQL URL, keeping any query string.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_end..].find('/').map_or(base.len(), |i| authority_end + i);
    let mut out = format!("{}/{}", &base[..path_start], name);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; a separate thread with its own runtime can block.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                    if let Ok(runtime) = runtime {
                        runtime.block_on(async {
                            if let Ok(admin) = Database::connect(&admin_url).await {
                                let _ = admin
                                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                    .await;
                                let _ = admin.close().await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(
            super::replace_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::replace_database("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(super::replace_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}

//! Shared by the erasure tests (issue 19; decisions 165–169): closing an account, and the search of every
//! store for what would still name a person — every column of every table (found from the database's own
//! catalogue, so a table added later is searched too), the app's Redis keys and values, and every file
//! under the app's file store and outbox log.

use std::path::Path;

use gongzhi_tests::{Backend, TestApp};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};

pub const CLOSE: &str = "mutation($c: String!) { closeMyAccount(confirm: $c) {
  personId shownAs closedAt registerKept notice } }";

pub const RECORD: &str = "mutation($p: ID!, $n: String) { recordErasureRequest(personId: $p, note: $n) {
  id status note recordedAt erasedAt person { id name } } }";

pub const ERASE: &str = "mutation($r: ID!) { eraseOnRequest(requestId: $r) { personId shownAs registerKept notice } }";

/// Where a needle was found: (store, place in it).
pub type Hit = (String, String);

async fn connect(app: &TestApp) -> DatabaseConnection {
    Database::connect(app.db.url.as_str()).await.expect("the test database")
}

/// Every table and its columns, from the database's own catalogue.
async fn columns(db: &DatabaseConnection) -> Vec<(String, Vec<String>)> {
    let backend = db.get_database_backend();
    let tables_sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    let tables = db.query_all_raw(Statement::from_string(backend, tables_sql)).await.expect("tables");
    let mut out = Vec::new();
    for row in tables {
        let table: String = row.try_get("", "name").expect("a table name");
        let sql = match backend {
            DbBackend::Postgres => format!(
                "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name = '{table}'"
            ),
            _ => format!("SELECT name FROM pragma_table_info('{table}')"),
        };
        let cols = db.query_all_raw(Statement::from_string(backend, sql)).await.expect("columns");
        out.push((table, cols.into_iter().map(|c| c.try_get("", "name").expect("a column name")).collect()));
    }
    out
}

/// Every (table, column) whose text, cast from whatever type it has, holds a needle.
pub async fn database_hits(app: &TestApp, needles: &[&str]) -> Vec<Hit> {
    let db = connect(app).await;
    let backend = db.get_database_backend();
    let mut hits = Vec::new();
    for (table, cols) in columns(&db).await {
        for col in cols {
            for needle in needles {
                let sql = format!(
                    "SELECT COUNT(*) AS n FROM \"{table}\" WHERE CAST(\"{col}\" AS TEXT) LIKE '%' || $1 || '%'"
                );
                let sql = if backend == DbBackend::Sqlite { sql.replace("$1", "?") } else { sql };
                let row = db
                    .query_one_raw(Statement::from_sql_and_values(backend, sql, [(*needle).into()]))
                    .await
                    .expect("search")
                    .expect("a count");
                let n: i64 = row.try_get("", "n").expect("n");
                if n > 0 {
                    hits.push((format!("db:{table}.{col}"), format!("{needle} ×{n}")));
                }
            }
        }
    }
    hits
}

/// Every key of the app's Redis prefix whose name or string value holds a needle.
pub async fn redis_hits(app: &TestApp, needles: &[&str]) -> Vec<Hit> {
    let Some(url) = app.settings.redis_url.as_deref() else { return Vec::new() };
    let client = redis::Client::open(url).expect("redis url");
    let mut connection = client.get_multiplexed_async_connection().await.expect("redis");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}*", app.settings.redis_prefix))
        .query_async(&mut connection)
        .await
        .expect("KEYS");
    let mut hits = Vec::new();
    for key in keys {
        let kind: String = redis::cmd("TYPE").arg(&key).query_async(&mut connection).await.expect("TYPE");
        let value: Vec<u8> = if kind == "string" {
            redis::cmd("GET").arg(&key).query_async(&mut connection).await.expect("GET")
        } else {
            Vec::new()
        };
        let value = String::from_utf8_lossy(&value);
        for needle in needles {
            if key.contains(needle) || value.contains(needle) {
                hits.push((format!("redis:{key}"), (*needle).to_owned()));
            }
        }
    }
    hits
}

/// Every file under `dir` (the file store and the outbox log) whose bytes hold a needle.
pub fn file_hits(dir: &Path, needles: &[&str]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return hits };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            hits.extend(file_hits(&path, needles));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        for needle in needles {
            if text.contains(needle) {
                hits.push((format!("file:{}", path.display()), (*needle).to_owned()));
            }
        }
    }
    hits
}

/// The files under `dir` whose path contains `part`.
pub fn files_named(dir: &Path, part: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_named(&path, part));
        } else if path.display().to_string().contains(part) {
            found.push(path.display().to_string());
        }
    }
    found
}

/// Every store searched at once.
pub async fn every_store_hits(app: &TestApp, needles: &[&str]) -> Vec<Hit> {
    let mut hits = database_hits(app, needles).await;
    hits.extend(redis_hits(app, needles).await);
    hits.extend(file_hits(Path::new(&app.settings.uploads_dir), needles));
    hits
}

/// The app with Redis when the environment has one (always under CI), so the shared cache is searched too.
pub async fn app_with_redis(backend: Backend) -> Option<TestApp> {
    let redis = gongzhi_tests::backend::service_url("TEST_REDIS_URL");
    gongzhi_tests::spawn_app_with(backend, |s| s.redis_url = redis).await
}

pub async fn close(app: &TestApp, token: &str, confirm: &str) -> Value {
    app.gql(Some(token), CLOSE, json!({ "c": confirm })).await
}

pub fn extension<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body["errors"][0]["extensions"][name].as_str()
}

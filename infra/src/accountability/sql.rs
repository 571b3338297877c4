//! Aggregates over a city's quarter, in SQL both backends run: `$n` placeholders, rewritten to `?` on
//! SQLite (each used once, in order). Every figure is summed by the database, so a city of 5,000
//! compounds is read as one row per compound, never one per topic.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use crate::Result;

pub(crate) async fn rows(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    out.push('?');
                } else {
                    out.push(c);
                }
            }
            out
        }
    };
    Ok(db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?)
}

//! Several writes of one transaction sent as one PostgreSQL statement (decision 175): every statement but
//! the last becomes a data-modifying `WITH` item, which PostgreSQL runs exactly once and to completion
//! whether or not the last one reads it, all on the same snapshot. It saves a round trip per write, which
//! is what a short step is made of. SQLite has no data-modifying `WITH`: its callers run the statements
//! one by one.
//!
//! The statements come from sea-query (`$n` placeholders, every value bound), so renumbering their
//! placeholders is all the joining needs.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value, Values};

/// More bound values than this go as separate statements: PostgreSQL's protocol allows 65,535.
pub(crate) const MAX_VALUES: usize = 30_000;

/// `statements` as one: `WITH w0 AS (…), w1 AS (…) <last>`. The last one's rows (its `RETURNING`) are
/// the statement's. `None` when given none.
pub(crate) fn chain(statements: Vec<Statement>) -> Option<Statement> {
    let count = statements.len();
    let mut values: Vec<Value> = Vec::new();
    let mut sql = String::new();
    for (index, statement) in statements.into_iter().enumerate() {
        debug_assert_eq!(statement.db_backend, DbBackend::Postgres, "only PostgreSQL chains writes");
        let text = renumber(&statement.sql, values.len());
        values.extend(statement.values.map(|v| v.0).unwrap_or_default());
        if index + 1 < count {
            sql.push_str(if index == 0 { "WITH " } else { ", " });
            sql.push_str(&format!("w{index} AS ({text})"));
        } else {
            if count > 1 {
                sql.push(' ');
            }
            sql.push_str(&text);
        }
    }
    (count > 0).then(|| Statement::from_sql_and_values(DbBackend::Postgres, sql, Values(values)))
}

/// Runs `statements` in order: on PostgreSQL as few statements as the bound on values allows (one, for a
/// step's writes), elsewhere one by one.
pub(crate) async fn run(db: &impl ConnectionTrait, statements: Vec<Statement>) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        for statement in statements {
            db.execute_raw(statement).await?;
        }
        return Ok(());
    }
    let mut group: Vec<Statement> = Vec::new();
    let mut bound = 0;
    for statement in statements {
        let values = values_of(&statement);
        if !group.is_empty() && bound + values > MAX_VALUES {
            if let Some(joined) = chain(std::mem::take(&mut group)) {
                db.execute_raw(joined).await?;
            }
            bound = 0;
        }
        bound += values;
        group.push(statement);
    }
    if let Some(joined) = chain(group) {
        db.execute_raw(joined).await?;
    }
    Ok(())
}

/// The number of values a statement binds.
fn values_of(statement: &Statement) -> usize {
    statement.values.as_ref().map_or(0, |v| v.0.len())
}

/// `sql` with each placeholder `$n` (outside quotes) as `$(n + offset)`.
fn renumber(sql: &str, offset: usize) -> String {
    if offset == 0 {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '$') if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let n: usize = digits.parse().unwrap_or(0);
                out.push('$');
                out.push_str(&(n + offset).to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
    }

    #[test]
    fn placeholders_follow_on_outside_quotes() {
        let joined = chain(vec![
            pg("INSERT INTO \"a$1\" VALUES ($1, $2)", vec![1.into(), 2.into()]),
            pg("UPDATE b SET c = '$1' || $1 WHERE d = $2 RETURNING *", vec![3.into(), 4.into()]),
        ])
        .expect("two statements");
        assert_eq!(
            joined.sql,
            "WITH w0 AS (INSERT INTO \"a$1\" VALUES ($1, $2)) UPDATE b SET c = '$1' || $3 WHERE d = $4 RETURNING *"
        );
        assert_eq!(joined.values.map(|v| v.0.len()), Some(4));
    }

    #[test]
    fn one_statement_is_itself_and_none_is_none() {
        let one = chain(vec![pg("SELECT $1", vec![1.into()])]).expect("one");
        assert_eq!(one.sql, "SELECT $1");
        assert!(chain(Vec::new()).is_none());
    }
}

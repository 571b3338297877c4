//! Directional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069) are refused in every
//! text people write from now on (`domain/src/text_direction.rs`). Texts are parsed again when read
//! back, so one stored before that would read as a corrupt row and fail every page it is on: each is
//! replaced by U+FFFD here, which keeps the text non-empty and within its bound and shows where something
//! was taken out. Only the columns parsed again on reading are rewritten; place, grid and person names are
//! not (they are read as stored, and sibling names are unique, which a rewrite could break).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CONTROLS: [char; 9] =
    ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];

/// Every column whose text is parsed again when read, by table. JSON columns hold parsed texts too (a
/// plan's invitee names, an event's reason or resolution); replacing a character inside a JSON string
/// keeps it valid JSON.
const COLUMNS: [(&str, &[&str]); 8] = [
    ("topics", &["title", "description", "reason", "plan"]),
    ("topic_events", &["payload", "note"]),
    ("opinions", &["text", "hidden_reason"]),
    ("categories", &["name_zh", "name_en"]),
    ("rounds", &["theme"]),
    ("meetings", &["title", "location"]),
    ("meeting_minutes", &["text", "reason"]),
    ("api_partners", &["name"]),
];

/// One statement per column, in the SQL SQLite and PostgreSQL share; the characters go in as literals,
/// so no function differs between them.
fn rewrite(table: &str, column: &str) -> String {
    let replaced = CONTROLS.iter().fold(column.to_owned(), |text, c| format!("replace({text}, '{c}', '\u{FFFD}')"));
    let found: Vec<String> = CONTROLS.iter().map(|c| format!("{column} LIKE '%{c}%'")).collect();
    format!("UPDATE {table} SET {column} = {replaced} WHERE {}", found.join(" OR "))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, columns) in COLUMNS {
            for column in columns {
                db.execute_unprepared(&rewrite(table, column)).await?;
            }
        }
        Ok(())
    }
}

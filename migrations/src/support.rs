//! Statement helpers the migrations share. A migration, once landed, never changes; so these helpers
//! must not change behaviour either — add a new helper rather than editing one.

use sea_orm_migration::prelude::*;

/// A foreign key that refuses to delete a row still referenced: records are never silently cascaded away.
pub(crate) fn fk(
    from_table: impl IntoIden,
    from: impl IntoIden,
    to_table: impl IntoIden,
    to: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from_table, from).to(to_table, to).on_delete(ForeignKeyAction::Restrict).to_owned()
}

/// A named index over the given columns.
pub(crate) fn index(name: &str, table: impl IntoIden, columns: &[&'static str]) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(Alias::new(*column));
    }
    statement.to_owned()
}

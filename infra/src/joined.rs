//! Reading several tables' rows from one statement: a joined table's columns are selected under a prefix
//! (`p_id`, `p_name`, …), and a `FromQueryResult` struct reads them back with
//! `#[sea_orm(nested(prefix = "p_"))]`, as an `Option` where the join may find nothing. The same table may
//! be joined twice under different aliases (a topic's place and that place's compound).

use sea_orm::sea_query::{Alias, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, IdenStatic, Iterable};

/// Selects every column of `E`, joined as `table`, named `{prefix}{column}`.
pub(crate) fn select_prefixed<E: EntityTrait>(query: &mut SelectStatement, table: &str, prefix: &str) {
    for column in E::Column::iter() {
        let value = column.select_as(sea_orm::sea_query::Expr::col((Alias::new(table), column)));
        query.expr_as(value, Alias::new(format!("{prefix}{}", column.as_str())));
    }
}

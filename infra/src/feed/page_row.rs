//! Reading the page statement's rows by position. sea-orm's derived readers find every column by name, and a
//! joined table's by a prefixed name built with `format!` for every value: about a fifth of the server's
//! work for an uncached feed page (bench/README.md). The page's columns are in a known order — each table's
//! in its `Column::iter()` order, which is its fields' order — so each value is read at its index.
//!
//! `positional!` lists each model's fields once; a test checks the list against the entity's columns, so a
//! column added, removed or moved fails there rather than reading the wrong value.
//!
//! A NULL read through sea-orm into an `Option` costs an error message made with `format!` and thrown away
//! (half of the reading, a topic row having a dozen nullable columns), so on PostgreSQL nullable columns are
//! read through sqlx's row directly (`Field`).

use sea_orm::prelude::{DateTimeUtc, Uuid};
use sea_orm::sqlx::Row;
use sea_orm::{DbErr, QueryResult, RuntimeErr, TryGetable};

/// A value of a page's row at an index.
pub(super) trait Field: Sized {
    fn at(row: &QueryResult, index: usize) -> Result<Self, DbErr>;
}

macro_rules! fields {
    ($($type:ty),* $(,)?) => {$(
        impl Field for $type {
            fn at(row: &QueryResult, index: usize) -> Result<Self, DbErr> {
                row.try_get_by_index(index)
            }
        }

        impl Field for Option<$type> {
            fn at(row: &QueryResult, index: usize) -> Result<Self, DbErr> {
                match row.try_as_pg_row() {
                    Some(pg) => pg
                        .try_get::<Option<$type>, _>(index)
                        .map_err(|err| DbErr::Query(RuntimeErr::SqlxError(std::sync::Arc::new(err)))),
                    None => <Option<$type> as TryGetable>::try_get_by_index(row, index).map_err(DbErr::from),
                }
            }
        }
    )*};
}

fields!(Uuid, String, bool, i16, i32, i64, DateTimeUtc);

use crate::entities::{category, person, topic};

macro_rules! positional {
    ($read:ident, $fields:ident, $entity:ident, [$($field:ident),* $(,)?]) => {
        /// The model's fields in the order they are read.
        #[cfg_attr(not(test), allow(dead_code))]
        pub(super) const $fields: &[&str] = &[$(stringify!($field)),*];

        /// The model whose first column is at `at`; `at` is moved past its last.
        pub(super) fn $read(row: &QueryResult, at: &mut usize) -> Result<$entity::Model, DbErr> {
            Ok($entity::Model {
                $($field: {
                    *at += 1;
                    Field::at(row, *at - 1)?
                },)*
            })
        }
    };
}

positional!(
    topic_at,
    TOPIC_FIELDS,
    topic,
    [
        id,
        place_id,
        community_id,
        compound_id,
        street_id,
        category_id,
        round_id,
        submitter_id,
        title,
        description,
        datum,
        lat_micro,
        lng_micro,
        photos,
        submitted_at,
        level,
        state,
        stage,
        state_at,
        reason,
        merged_into,
        company_id,
        routed_at,
        by_default,
        plan,
        due_kind,
        due_at,
        co_sign_count,
        updated_at,
    ]
);

positional!(category_at, CATEGORY_FIELDS, category, [id, community_id, code, name_zh, name_en, active, created_at,]);

positional!(person_at, PERSON_FIELDS, person, [id, name, phone, created_at]);

/// A LEFT JOINed model: `None` when its id column is NULL (the join found nothing); `at` is moved past its
/// columns either way.
pub(super) fn optional_at<M>(
    row: &QueryResult,
    at: &mut usize,
    width: usize,
    read: fn(&QueryResult, &mut usize) -> Result<M, DbErr>,
) -> Result<Option<M>, DbErr> {
    let id: Option<Uuid> = Field::at(row, *at)?;
    if id.is_none() {
        *at += width;
        return Ok(None);
    }
    read(row, at).map(Some)
}

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, IdenStatic, Iterable};

    use super::*;

    fn columns<E: EntityTrait>() -> Vec<&'static str> {
        E::Column::iter().map(|column| column.as_str()).collect()
    }

    #[test]
    fn each_model_is_read_in_its_columns_order() {
        assert_eq!(TOPIC_FIELDS, columns::<topic::Entity>());
        assert_eq!(CATEGORY_FIELDS, columns::<category::Entity>());
        assert_eq!(PERSON_FIELDS, columns::<person::Entity>());
    }
}

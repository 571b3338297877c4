//! Accountability (issue 17): satisfaction surveys, the property companies' credit record with its
//! warning list and blacklist, and problem compounds. The rules are in `gongzhi_domain::accountability`;
//! this is their storage, one file per record.

pub mod credit;
pub mod listings;
pub mod problem_compounds;
pub mod rectification;
pub mod settings;
mod sql;
pub mod surveys;

use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::place::PlaceKind;
use sea_orm::ConnectionTrait;

use crate::{Error, Result};

/// The city a place lies in (itself, for a city).
pub(crate) async fn city_of(db: &impl ConnectionTrait, place: PlaceId) -> Result<PlaceId> {
    let row = crate::places::find_row(db, place).await?;
    let ancestry = crate::rows::ancestry_of(&row)?;
    ancestry.at(PlaceKind::City).ok_or(Error::NotFound("city"))
}

/// A record that would not serialise: a fault, never the client's.
pub(crate) fn json_fault(err: serde_json::Error) -> Error {
    Error::Database(sea_orm::DbErr::Custom(format!("accountability record: {err}")))
}

impl crate::Store {
    /// Every city, for the quarter's command.
    pub async fn cities(&self) -> Result<Vec<PlaceId>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let rows = crate::entities::place::Entity::find()
            .filter(crate::entities::place::Column::Kind.eq(PlaceKind::City.as_str()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| PlaceId::from_uuid(r.id)).collect())
    }
}

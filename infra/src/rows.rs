//! Turning rows into domain values. A row that breaks an invariant the schema cannot express (an unknown
//! role name, a missing ancestor) is a storage fault, reported as such rather than trusted.

use gongzhi_domain::ids::{CompanyId, PlaceId};
use gongzhi_domain::place::{Ancestry, PlaceKind};
use gongzhi_domain::role::{Grant, Role};
use sea_orm::DbErr;

use crate::entities::{place, role_grant};

pub(crate) fn corrupt(what: &str, id: uuid::Uuid) -> DbErr {
    DbErr::Custom(format!("stored {what} {id} breaks an invariant"))
}

pub(crate) fn kind_of(row: &place::Model) -> Result<PlaceKind, DbErr> {
    PlaceKind::parse(&row.kind).map_err(|_| corrupt("place kind", row.id))
}

pub(crate) fn ancestry_of(row: &place::Model) -> Result<Ancestry, DbErr> {
    let kind = kind_of(row)?;
    let levels = [row.city_id, row.district_id, row.street_id, row.community_id, row.compound_id, row.building_id];
    let mut path: Vec<PlaceId> = Vec::with_capacity(kind.depth() + 1);
    for level in levels.iter().take(kind.depth()) {
        path.push(PlaceId::from_uuid(level.ok_or_else(|| corrupt("place ancestry", row.id))?));
    }
    path.push(PlaceId::from_uuid(row.id));
    Ancestry::from_path(&path).ok_or_else(|| corrupt("place ancestry", row.id))
}

/// The ancestor columns to store for a place with this ancestry: every level down to its own, which
/// holds its own id (households have no column of their own).
pub(crate) fn level_columns(ancestry: &Ancestry) -> [Option<uuid::Uuid>; 6] {
    let mut columns = [None; 6];
    for (depth, column) in columns.iter_mut().enumerate() {
        *column = ancestry.at(PlaceKind::ALL[depth]).map(|id| id.as_uuid());
    }
    columns
}

pub(crate) fn role_of(row: &role_grant::Model) -> Result<Role, DbErr> {
    Role::parse(&row.role).map_err(|_| corrupt("role", row.id))
}

pub(crate) fn grant_of(row: &role_grant::Model, place: &place::Model) -> Result<Grant, DbErr> {
    Ok(Grant {
        id: row.id.into(),
        role: role_of(row)?,
        place: ancestry_of(place)?,
        company: row.company_id.map(CompanyId::from_uuid),
    })
}

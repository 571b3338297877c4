//! Place contexts in batch: what the policy needs about many places at once (each one's ancestry and the
//! facts of the compound it lies in), for a page of results. One statement whatever the number of places:
//! the places and their compounds, each with its committee seats filled.

use std::collections::HashMap;

use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::place::{PlaceContext, PlaceKind};
use gongzhi_domain::role::Role;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Func, Query};
use sea_orm::{Condition, ConnectionTrait, ExprTrait, FromQueryResult, QuerySelect, QueryTrait};

use crate::entities::{place, role_grant};
use crate::places::facts_of;
use crate::rows::ancestry_of;
use crate::{Result, Store};

/// A place row with the seats filled on its owners' committee (counted for every row; only compounds
/// with a committee on file use it).
#[derive(FromQueryResult)]
struct PlaceRow {
    #[sea_orm(nested)]
    place: place::Model,
    committee_filled: i64,
}

/// Distinct people with a live member or chair grant on the row's place, as a correlated subquery.
fn committee_filled() -> Expr {
    let grant = |column: role_grant::Column| Expr::col((role_grant::Entity, column));
    let seats = [Role::OwnersCommitteeMember.as_str(), Role::OwnersCommitteeChair.as_str()];
    let count = Query::select()
        .expr(Func::count_distinct(grant(role_grant::Column::PersonId)))
        .from(role_grant::Entity)
        .and_where(grant(role_grant::Column::PlaceId).equals((place::Entity, place::Column::Id)))
        .and_where(grant(role_grant::Column::RevokedAt).is_null())
        .and_where(grant(role_grant::Column::Role).is_in(seats))
        .to_owned();
    Expr::SubQuery(None, Box::new(count.into()))
}

/// Contexts of the places with these ids; ids with no place are left out.
pub(crate) async fn contexts_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, PlaceContext>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Every row names its compound (its own id, for a compound), so one statement brings both.
    let their_compounds = place::Entity::find()
        .select_only()
        .column(place::Column::CompoundId)
        .filter(place::Column::Id.is_in(ids.iter().copied()))
        .into_query();
    let rows: HashMap<Uuid, PlaceRow> = place::Entity::find()
        .column_as(committee_filled(), "committee_filled")
        .filter(
            Condition::any()
                .add(place::Column::Id.is_in(ids.iter().copied()))
                .add(place::Column::Id.in_subquery(their_compounds)),
        )
        .into_model::<PlaceRow>()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.place.id, row))
        .collect();
    ids.iter()
        .filter_map(|id| rows.get(id))
        .map(|row| {
            let ancestry = ancestry_of(&row.place)?;
            let compound = match ancestry.at(PlaceKind::Compound).and_then(|c| rows.get(&c.as_uuid())) {
                Some(compound) => {
                    let filled = u16::try_from(compound.committee_filled).unwrap_or(u16::MAX);
                    Some(facts_of(&compound.place, filled)?)
                }
                None => None,
            };
            Ok((row.place.id, PlaceContext { ancestry, compound }))
        })
        .collect()
}

impl Store {
    /// The policy's context of each of these places, for authorizing a page of results at once.
    pub async fn place_contexts(&self, ids: &[PlaceId]) -> Result<HashMap<PlaceId, PlaceContext>> {
        let ids: Vec<Uuid> = ids.iter().map(|id| id.as_uuid()).collect();
        Ok(contexts_of(&self.db, &ids).await?.into_iter().map(|(id, ctx)| (PlaceId::from_uuid(id), ctx)).collect())
    }
}

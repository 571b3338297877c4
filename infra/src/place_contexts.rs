//! Place contexts in batch: what the policy needs about many places at once (each one's ancestry and the
//! facts of the compound it lies in), for a page of results. One statement whatever the number of places:
//! the places and their compounds, each with its committee seats filled.

use std::collections::HashMap;

use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::place::{CompoundFacts, PlaceContext, PlaceKind};
use gongzhi_domain::role::Role;
use sea_orm::prelude::*;
use sea_orm::sea_query::{ConditionType, IntoCondition};
use sea_orm::sea_query::{Func, Query};
use sea_orm::{ConnectionTrait, ExprTrait, FromQueryResult, JoinType, QuerySelect, QueryTrait, RelationDef};

use crate::entities::{place, role_grant, topic};
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
    committee_filled_at(Expr::col((place::Entity, place::Column::Id)))
}

/// Distinct people with a live member or chair grant on the place `compound` names (a column of the outer
/// query), as a correlated subquery.
pub(crate) fn committee_filled_at(compound: Expr) -> Expr {
    let grant = |column: role_grant::Column| Expr::col((role_grant::Entity, column));
    let seats = [Role::OwnersCommitteeMember.as_str(), Role::OwnersCommitteeChair.as_str()];
    let count = Query::select()
        .expr(Func::count_distinct(grant(role_grant::Column::PersonId)))
        .from(role_grant::Entity)
        .and_where(grant(role_grant::Column::PlaceId).eq(compound))
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
    // Every row names its compound (its own id, for a compound), so one statement brings both. The ids
    // are one UNION ALL subquery: `id IN (…) OR id IN (subquery)` made PostgreSQL scan every place (seen
    // at 560,000 places in the read-path bench: up to 1.9 s; this form uses the primary key).
    let mut wanted = place::Entity::find()
        .select_only()
        .column(place::Column::Id)
        .filter(place::Column::Id.is_in(ids.iter().copied()))
        .into_query();
    let their_compounds = place::Entity::find()
        .select_only()
        .column(place::Column::CompoundId)
        .filter(place::Column::Id.is_in(ids.iter().copied()))
        .into_query();
    wanted.union(sea_orm::sea_query::UnionType::All, their_compounds);
    let rows: HashMap<Uuid, PlaceRow> = place::Entity::find()
        .column_as(committee_filled(), "committee_filled")
        .filter(place::Column::Id.in_subquery(wanted))
        .into_model::<PlaceRow>()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.place.id, row))
        .collect();
    ids.iter().filter_map(|id| rows.get(id)).map(|row| Ok((row.place.id, context_from(row, &rows)?))).collect()
}

/// A place's context from its row and the rows read beside it (its compound's among them).
fn context_from(row: &PlaceRow, rows: &HashMap<Uuid, PlaceRow>) -> Result<PlaceContext> {
    let ancestry = ancestry_of(&row.place)?;
    let compound = ancestry.at(PlaceKind::Compound).and_then(|c| rows.get(&c.as_uuid()));
    let compound = compound.map(|c| compound_facts(&c.place, c.committee_filled)).transpose()?;
    Ok(PlaceContext { ancestry, compound })
}

/// A topic's row with its place's context, in one statement (decision 175): the topic joined to its place
/// and its compound (every topic names its compound; one row when the place is the compound), each with
/// the committee seats filled. `None` when there is no such topic.
pub(crate) async fn topic_with_context(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(topic::Model, PlaceContext)>> {
    let its_places: RelationDef = topic::Entity::belongs_to(place::Entity)
        .from(topic::Column::PlaceId)
        .to(place::Column::Id)
        .on_condition(|topics, places| {
            Expr::col((places, place::Column::Id)).equals((topics, topic::Column::CompoundId)).into_condition()
        })
        .condition_type(ConditionType::Any)
        .into();
    let query = topic::Entity::find()
        .select_also(place::Entity)
        .join(JoinType::InnerJoin, its_places)
        .column_as(committee_filled(), "committee_filled")
        .filter(topic::Column::Id.eq(id))
        .build(db.get_database_backend());
    let mut found: Option<topic::Model> = None;
    let mut rows = HashMap::new();
    for row in db.query_all_raw(query).await? {
        if found.is_none() {
            found = Some(topic::Model::from_query_result(&row, "A_")?);
        }
        let place = place::Model::from_query_result(&row, "B_")?;
        let committee_filled: i64 = row.try_get("", "committee_filled")?;
        rows.insert(place.id, PlaceRow { place, committee_filled });
    }
    let Some(topic) = found else { return Ok(None) };
    let Some(row) = rows.get(&topic.place_id) else { return Ok(None) };
    let context = context_from(row, &rows)?;
    Ok(Some((topic, context)))
}

/// A compound's facts from its row and the count of `committee_filled_at`.
pub(crate) fn compound_facts(compound: &place::Model, committee_filled: i64) -> Result<CompoundFacts> {
    let filled = u16::try_from(committee_filled).unwrap_or(u16::MAX);
    Ok(facts_of(compound, filled)?)
}

impl Store {
    /// The policy's context of each of these places, for authorizing a page of results at once.
    pub async fn place_contexts(&self, ids: &[PlaceId]) -> Result<HashMap<PlaceId, PlaceContext>> {
        let ids: Vec<Uuid> = ids.iter().map(|id| id.as_uuid()).collect();
        Ok(self.read_contexts(&ids).await?.into_iter().map(|(id, ctx)| (PlaceId::from_uuid(id), ctx)).collect())
    }

    /// `contexts_of` for reads: held ones from the authority snapshots, the rest in one statement (then
    /// held). Writes read theirs inside their transactions, never from here. `ids` may repeat (the places
    /// of a page's rows): each is looked up once.
    pub(crate) async fn read_contexts(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, PlaceContext>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let Some(authority) = self.authority() else { return contexts_of(&self.db, &ids).await };
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match authority.place(id) {
                Some(context) => {
                    found.insert(id, context);
                }
                None => missing.push(id),
            }
        }
        if !missing.is_empty() {
            let stamp = authority.stamp();
            for (id, context) in contexts_of(&self.db, &missing).await? {
                authority.keep_place(stamp, id, &context);
                found.insert(id, context);
            }
        }
        Ok(found)
    }
}

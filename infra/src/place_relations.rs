//! A place's relations for many places at once, for the API's loaders: the first page of each one's
//! children, the members of households, the office holders of places, the grids of communities and the
//! buildings of grids; one statement each whatever the number of places.
//!
//! The register and the offices are private: they are read only for a [`Register`] or [`Offices`], which
//! the policy made for the viewer (on the place's context, per place, as for a place read alone).

use std::collections::HashMap;

use gongzhi_domain::Invalid;
use gongzhi_domain::ids::{GridId, PlaceId};
use gongzhi_domain::place::{PlaceContext, PlaceKind};
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::role::Role;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Alias, Asterisk, Expr, Order, Query, WindowStatement};
use sea_orm::{ExprTrait, FromQueryResult, JoinType, QueryOrder, QueryTrait};

use crate::entities::{grid, grid_building, place, role_grant};
use crate::grids::{Grid, grid_of};
use crate::places::{Place, place_of};
use crate::roles::{RoleGrant, grant_record};
use crate::{Error, Result, Store};

/// A household whose register (residents and owners) the viewer may read; made only by [`Register::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Register(PlaceId);

impl Register {
    /// A place that is not a household has no members (a bad request); a household's register is for
    /// those the policy lets read it.
    pub fn check(actor: &Actor, place: &PlaceContext) -> Result<Self> {
        let kind = place.ancestry.kind();
        if kind != PlaceKind::Household {
            return Err(
                Invalid::WrongPlaceKind { expected: PlaceKind::Household.as_str(), given: kind.as_str() }.into()
            );
        }
        require(actor, Action::ViewRegister, place)?;
        Ok(Self(place.ancestry.id()))
    }

    pub fn place(&self) -> PlaceId {
        self.0
    }
}

/// A place whose office holders the viewer may see; made only by [`Offices::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Offices(PlaceId);

impl Offices {
    pub fn check(actor: &Actor, place: &PlaceContext) -> Result<Self> {
        require(actor, Action::ViewOfficeHolders, place)?;
        Ok(Self(place.ancestry.id()))
    }

    pub fn place(&self) -> PlaceId {
        self.0
    }
}

/// Live grants at these places whose role is (`among: true`) or is not (`false`) one of `roles`, oldest
/// first, by place; every place gets a list.
async fn grants_at(
    store: &Store,
    places: &[PlaceId],
    roles: [&str; 2],
    among: bool,
) -> Result<HashMap<PlaceId, Vec<RoleGrant>>> {
    let role = if among { role_grant::Column::Role.is_in(roles) } else { role_grant::Column::Role.is_not_in(roles) };
    let rows = role_grant::Entity::find()
        .filter(role_grant::Column::PlaceId.is_in(places.iter().map(PlaceId::as_uuid)))
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(role)
        .order_by_asc(role_grant::Column::Id)
        .all(&store.db)
        .await?;
    let mut grants: HashMap<PlaceId, Vec<RoleGrant>> = places.iter().map(|p| (*p, Vec::new())).collect();
    for row in rows {
        let grant = grant_record(row)?;
        grants.entry(grant.place).or_default().push(grant);
    }
    Ok(grants)
}

/// A place with the grid it is in, as the join reads it.
#[derive(FromQueryResult)]
struct InGrid {
    #[sea_orm(nested)]
    place: place::Model,
    grid: Uuid,
}

impl Store {
    /// Residents and owners of each household.
    pub async fn members_among(&self, households: &[Register]) -> Result<HashMap<Register, Vec<RoleGrant>>> {
        let places: Vec<PlaceId> = households.iter().map(Register::place).collect();
        let mut found = grants_at(self, &places, [Role::Resident.as_str(), Role::Owner.as_str()], true).await?;
        Ok(households.iter().map(|key| (*key, found.remove(&key.place()).unwrap_or_default())).collect())
    }

    /// Everyone with a live role at each place other than living in or owning it.
    pub async fn office_holders_among(&self, places: &[Offices]) -> Result<HashMap<Offices, Vec<RoleGrant>>> {
        let ids: Vec<PlaceId> = places.iter().map(Offices::place).collect();
        let mut found = grants_at(self, &ids, [Role::Resident.as_str(), Role::Owner.as_str()], false).await?;
        Ok(places.iter().map(|key| (*key, found.remove(&key.place()).unwrap_or_default())).collect())
    }

    /// Each community's grids, by name.
    pub async fn grids_of(&self, communities: &[PlaceId]) -> Result<HashMap<PlaceId, Vec<Grid>>> {
        let rows = grid::Entity::find()
            .filter(grid::Column::CommunityId.is_in(communities.iter().map(PlaceId::as_uuid)))
            .order_by_asc(grid::Column::Name)
            .all(&self.db)
            .await?;
        let mut grids: HashMap<PlaceId, Vec<Grid>> = communities.iter().map(|c| (*c, Vec::new())).collect();
        for row in rows {
            let grid = grid_of(row);
            grids.entry(grid.community).or_default().push(grid);
        }
        Ok(grids)
    }

    /// Each grid's buildings, in the order they were created, read with their rows.
    pub async fn buildings_of(&self, grids: &[GridId]) -> Result<HashMap<GridId, Vec<Place>>> {
        let mut query = place::Entity::find()
            .filter(grid_building::Column::GridId.is_in(grids.iter().map(GridId::as_uuid)))
            .order_by_asc(place::Column::Id);
        QueryTrait::query(&mut query)
            .join(
                JoinType::InnerJoin,
                grid_building::Entity,
                Expr::col((grid_building::Entity, grid_building::Column::BuildingId))
                    .equals((place::Entity, place::Column::Id)),
            )
            .expr_as(Expr::col((grid_building::Entity, grid_building::Column::GridId)), Alias::new("grid"));
        let rows = query.into_model::<InGrid>().all(&self.db).await?;
        let mut buildings: HashMap<GridId, Vec<Place>> = grids.iter().map(|g| (*g, Vec::new())).collect();
        for row in rows {
            buildings.entry(GridId::from_uuid(row.grid)).or_default().push(place_of(row.place)?);
        }
        Ok(buildings)
    }

    /// The first `limit` children of each place in creation order (the first page of `children`), in one
    /// statement: the children numbered within their parent, the first `limit` of each kept.
    pub async fn first_children(&self, parents: &[PlaceId], limit: u64) -> Result<HashMap<PlaceId, Vec<Place>>> {
        let position = Alias::new("position");
        let numbered = place::Entity::find()
            .filter(place::Column::ParentId.is_in(parents.iter().map(PlaceId::as_uuid)))
            .into_query()
            .expr_window_as(
                Expr::cust("ROW_NUMBER()"),
                WindowStatement::partition_by(place::Column::ParentId)
                    .order_by(place::Column::Id, Order::Asc)
                    .to_owned(),
                position.clone(),
            )
            .to_owned();
        let page = Query::select()
            .column(Asterisk)
            .from_subquery(numbered, Alias::new("numbered"))
            .and_where(Expr::col(position).lte(i64::try_from(limit).unwrap_or(i64::MAX)))
            .order_by(place::Column::Id, Order::Asc)
            .to_owned();
        let backend = sea_orm::ConnectionTrait::get_database_backend(&self.db);
        let rows = place::Model::find_by_statement(backend.build(&page)).all(&self.db).await?;
        let mut children: HashMap<PlaceId, Vec<Place>> = parents.iter().map(|p| (*p, Vec::new())).collect();
        for row in rows {
            let parent = row.parent_id.map(PlaceId::from_uuid).ok_or(Error::NotFound("parent"))?;
            children.entry(parent).or_default().push(place_of(row)?);
        }
        Ok(children)
    }
}

//! Grids (网格): groups of a community's buildings for staff coverage.

use chrono::{DateTime, Utc};
use gongzhi_domain::Conflict;
use gongzhi_domain::ids::{GridId, PlaceId};
use gongzhi_domain::place::{PlaceKind, PlaceName};
use gongzhi_domain::policy::{Action, Actor, require};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use tracing::instrument;

use crate::entities::{grid, grid_building};
use crate::error::on_unique;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::places::{context_of, find_kind, find_row};
use crate::rows::ancestry_of;
use crate::{Error, Result, Store, new_id};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub id: GridId,
    pub community: PlaceId,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn grid_of(row: grid::Model) -> Grid {
    Grid { id: row.id.into(), community: row.community_id.into(), name: row.name, created_at: row.created_at }
}

impl Store {
    #[instrument(skip_all)]
    pub async fn create_grid(&self, actor: &Actor, community: PlaceId, name: &str) -> Result<Grid> {
        let name = PlaceName::parse(name)?;
        let txn = self.write().await?;
        let row = find_kind(&txn, community, PlaceKind::Community).await?;
        require(actor, Action::ManageGrids, &context_of(&txn, &row).await?)?;
        let row = grid::ActiveModel {
            id: Set(new_id()),
            community_id: Set(community.as_uuid()),
            name: Set(name.into_inner()),
            created_at: Set(self.clock.now()),
        }
        .insert(&txn)
        .await
        .map_err(on_unique(Conflict::GridName))?;
        let fact = NewEvent::new(WireEvent::GridCreated { grid: row.id }, row.created_at, Audience::Staff)
            .actor(Some(actor.person))
            .place(community)
            .text("name", Audience::Staff, &row.name);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(grid_of(row))
    }

    /// Puts a building in a grid, moving it out of any other.
    #[instrument(skip_all)]
    pub async fn assign_building_to_grid(&self, actor: &Actor, grid: GridId, building: PlaceId) -> Result<Grid> {
        let txn = self.write().await?;
        let grid = grid::Entity::find_by_id(grid.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("grid"))?;
        let community = find_row(&txn, grid.community_id.into()).await?;
        require(actor, Action::ManageGrids, &context_of(&txn, &community).await?)?;
        let building_row = find_kind(&txn, building, PlaceKind::Building).await?;
        if ancestry_of(&building_row)?.at(PlaceKind::Community) != Some(grid.community_id.into()) {
            return Err(Conflict::GridCommunity.into());
        }
        grid_building::Entity::insert(grid_building::ActiveModel {
            grid_id: Set(grid.id),
            building_id: Set(building.as_uuid()),
        })
        .on_conflict(
            OnConflict::column(grid_building::Column::BuildingId)
                .update_column(grid_building::Column::GridId)
                .to_owned(),
        )
        .exec(&txn)
        .await?;
        let event = WireEvent::GridBuildingAssigned { grid: grid.id, building: building.as_uuid() };
        let fact = NewEvent::new(event, self.clock.now(), Audience::Staff).actor(Some(actor.person)).place(building);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(grid_of(grid))
    }

    pub async fn grid_buildings(&self, grid: GridId) -> Result<Vec<PlaceId>> {
        let rows = grid_building::Entity::find()
            .filter(grid_building::Column::GridId.eq(grid.as_uuid()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|row| row.building_id.into()).collect())
    }
}

impl Store {
    pub async fn grid(&self, id: GridId) -> Result<Grid> {
        grid::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.map(grid_of).ok_or(Error::NotFound("grid"))
    }
}

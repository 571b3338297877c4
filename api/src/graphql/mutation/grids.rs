use async_graphql::{Context, ID, Object};
use gongzhi_domain::ids::{GridId, PlaceId};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::grid::Grid;
use crate::graphql::types::payload::{GridPayload, answer};

#[derive(Default)]
pub struct GridMutation;

#[Object]
impl GridMutation {
    async fn create_grid(
        &self,
        ctx: &Context<'_>,
        community_id: ID,
        name: String,
    ) -> async_graphql::Result<GridPayload> {
        let actor = ctx.actor().await?;
        let community: PlaceId = decode(NodeType::Place, &community_id).gql()?;
        answer(ctx, ctx.store().create_grid(actor, community, &name).await, Grid)
    }

    /// Puts a building of the grid's community into the grid (moving it out of any other).
    async fn assign_building_to_grid(
        &self,
        ctx: &Context<'_>,
        grid_id: ID,
        building_id: ID,
    ) -> async_graphql::Result<GridPayload> {
        let actor = ctx.actor().await?;
        let grid: GridId = decode(NodeType::Grid, &grid_id).gql()?;
        let building: PlaceId = decode(NodeType::Place, &building_id).gql()?;
        answer(ctx, ctx.store().assign_building_to_grid(actor, grid, building).await, Grid)
    }
}

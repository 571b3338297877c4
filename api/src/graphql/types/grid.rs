use async_graphql::{Context, ID, Object};
use gongzhi_infra::grids::Grid as Inner;

use super::place::Place;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};

/// A grid (网格): buildings of one community grouped for staff coverage.
pub struct Grid(pub Inner);

#[Object]
impl Grid {
    pub async fn id(&self) -> ID {
        encode(NodeType::Grid, self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn community(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.community).await.gql()?.map(Place))
    }

    async fn buildings(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Place>> {
        let ids = ctx.store().grid_buildings(self.0.id).await.gql()?;
        let loaded = ctx.places()?.load_many(ids.iter().copied()).await.gql()?;
        Ok(ids.iter().filter_map(|id| loaded.get(id).cloned()).map(Place).collect())
    }
}

use async_graphql::{Context, ID, Object};
use gongzhi_infra::grids::Grid as Inner;

use super::place::Place;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::GridBuildingsLoader;
use crate::graphql::preload;

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
        let buildings = ctx.loader::<GridBuildingsLoader>()?.load_one(self.0.id).await.gql()?.unwrap_or_default();
        preload::places(ctx, ctx.look_ahead(), &buildings).await?;
        Ok(buildings.into_iter().map(Place).collect())
    }
}

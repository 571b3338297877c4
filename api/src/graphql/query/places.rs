use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object};
use gongzhi_domain::ids::PlaceId;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::page::{PageArgs, page_args};
use crate::graphql::preload;
use crate::graphql::types::claim::HouseholdClaim;
use crate::graphql::types::company::PropertyCompany;
use crate::graphql::types::place::{Place, children_page};

#[derive(Default)]
pub struct PlacesQuery;

#[Object]
impl PlacesQuery {
    /// A place by id.
    async fn place(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Place> {
        ctx.actor().await?;
        let id: PlaceId = decode(NodeType::Place, &id).gql()?;
        let place = ctx.store().place(id).await.gql()?;
        // Its grids' `community` and its children's `parent` name it.
        ctx.places()?.feed_one(id, place.clone()).await;
        Ok(Place(place))
    }

    /// The roots of the tree.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity + 1")]
    async fn cities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Place>> {
        ctx.actor().await?;
        let PageArgs { limit, after } = page_args(first, after).gql()?;
        children_page(ctx, None, after, limit).await
    }

    /// Registered property-service companies.
    async fn property_companies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PropertyCompany>> {
        ctx.actor().await?;
        Ok(ctx.store().companies().await.gql()?.into_iter().map(PropertyCompany).collect())
    }

    /// Pending household claims within a place, for the staff who review them.
    async fn pending_claims(
        &self,
        ctx: &Context<'_>,
        place_id: ID,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<HouseholdClaim>> {
        let actor = ctx.actor().await?;
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        let PageArgs { limit, .. } = page_args(first, None).gql()?;
        let claims = ctx.store().pending_claims(actor, place, limit as u64).await.gql()?;
        preload::claims(ctx, ctx.look_ahead(), &claims).await?;
        Ok(claims.into_iter().map(HouseholdClaim).collect())
    }
}

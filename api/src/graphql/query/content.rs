//! Held submissions (decision 130): one's own, pending or decided; and the residents' committee's queue.

use async_graphql::{Context, ID, Object};
use gongzhi_domain::ids::PlaceId;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::content_hold::ContentHold;

#[derive(Default)]
pub struct ContentQuery;

#[Object]
impl ContentQuery {
    /// What one submitted that the content check held back, newest first: pending (待审核) until it is
    /// published, and how the others ended. Only the author sees these.
    async fn my_held_content(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ContentHold>> {
        let actor = ctx.actor().await?;
        Ok(ctx.store().my_content_holds(actor).await.gql()?.into_iter().map(ContentHold).collect())
    }

    /// The community's moderation queue, oldest first: submissions the check flagged, for its residents'
    /// committee to approve or reject; with `includeUnchecked`, also those still waiting for the check.
    async fn moderation_queue(
        &self,
        ctx: &Context<'_>,
        community_id: ID,
        #[graphql(default)] include_unchecked: bool,
    ) -> async_graphql::Result<Vec<ContentHold>> {
        let actor = ctx.actor().await?;
        let community: PlaceId = decode(NodeType::Place, &community_id).gql()?;
        let queue = ctx.store().moderation_queue(actor, community, include_unchecked).await.gql()?;
        Ok(queue.into_iter().map(ContentHold).collect())
    }
}

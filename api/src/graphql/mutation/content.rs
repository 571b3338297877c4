//! The residents' committee decides what the content check held back (decision 133): approve (it is
//! published now, as its author's) or reject with a reason the author reads.

use async_graphql::{Context, ID, InputObject, Object};
use gongzhi_domain::ids::ContentHoldId;
use gongzhi_infra::content::HoldRecord;

use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::content_hold::{ContentHold, ContentHoldPayload};
use crate::refusals::refusal_of;

#[derive(Default)]
pub struct ContentMutation;

#[derive(InputObject)]
pub struct RejectContentInput {
    hold_id: ID,
    /// Read by the author.
    reason: String,
}

async fn payload(
    ctx: &Context<'_>,
    id: ContentHoldId,
    result: gongzhi_infra::Result<HoldRecord>,
) -> async_graphql::Result<ContentHoldPayload> {
    let err = match result {
        Ok(record) => return Ok(ContentHoldPayload { ok: true, refusal: None, hold: Some(ContentHold(record)) }),
        Err(err) => err,
    };
    let Some(refusal) = refusal_of(&err, ctx.request()?.lang) else {
        return Err(ApiError::from(err).into_graphql());
    };
    ctx.request()?.note_refusal();
    let current = ctx.store().content_hold(ctx.actor().await?, id).await.gql()?;
    Ok(ContentHoldPayload { ok: false, refusal: Some(refusal), hold: Some(ContentHold(current)) })
}

#[Object]
impl ContentMutation {
    /// Lets a held submission be shown: it is published now, as its author's (community staff).
    async fn approve_content(&self, ctx: &Context<'_>, hold_id: ID) -> async_graphql::Result<ContentHoldPayload> {
        let actor = ctx.actor().await?;
        let id: ContentHoldId = decode(NodeType::ContentHold, &hold_id).gql()?;
        let result = ctx.state().content.on(ctx.store()).approve(actor, id).await;
        payload(ctx, id, result).await
    }

    /// Refuses a held submission with a reason its author reads; it is never shown (community staff).
    async fn reject_content(
        &self,
        ctx: &Context<'_>,
        input: RejectContentInput,
    ) -> async_graphql::Result<ContentHoldPayload> {
        let actor = ctx.actor().await?;
        let id: ContentHoldId = decode(NodeType::ContentHold, &input.hold_id).gql()?;
        let result = ctx.state().content.on(ctx.store()).reject(actor, id, &input.reason).await;
        payload(ctx, id, result).await
    }
}

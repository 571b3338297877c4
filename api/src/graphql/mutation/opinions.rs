//! The online opinion thread: posting, replying, hiding and reporting. Each returns an `OpinionPayload`;
//! see `crate::deliberation_messages` for which refusals are data and which are errors.

use async_graphql::{Context, ID, InputObject, Object};
use gongzhi_domain::ids::OpinionId;
use gongzhi_infra::content::Checked;
use gongzhi_infra::topics::OpinionThread;

use super::topics::topic_id;
use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::content_hold::ContentHold;
use crate::graphql::types::opinion::{Opinion, OpinionPayload, Stance};
use crate::refusals::refusal_of;

#[derive(Default)]
pub struct OpinionMutation;

#[derive(InputObject)]
pub struct PostOpinionInput {
    topic_id: ID,
    stance: Stance,
    /// At most 1000 characters; line breaks are kept.
    text: String,
    /// See docs/api.md, "Idempotency".
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct ReplyToOpinionInput {
    /// An opinion of the thread (replies go one level deep).
    opinion_id: ID,
    text: String,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct OpinionReasonInput {
    opinion_id: ID,
    /// Read by the moderators (and, for a hiding, by the author).
    reason: String,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

fn opinion_id(id: &ID) -> async_graphql::Result<OpinionId> {
    decode(NodeType::Opinion, id).gql()
}

/// Turns a thread step's result into a payload: done, refused for an expected business reason (with the
/// opinion acted on as it stands, when there is one the viewer sees), or an error.
async fn payload(
    ctx: &Context<'_>,
    target: Option<OpinionId>,
    result: gongzhi_infra::Result<OpinionThread>,
) -> async_graphql::Result<OpinionPayload> {
    let lang = ctx.request()?.lang;
    let refusal = match result {
        Ok(thread) => {
            return Ok(OpinionPayload { ok: true, refusal: None, opinion: Some(Opinion::from(thread)), held: None });
        }
        Err(err) => match refusal_of(&err, lang) {
            Some(refusal) => refusal,
            None => return Err(ApiError::from(err).into_graphql()),
        },
    };
    ctx.request()?.note_refusal();
    let current = match target {
        Some(id) => Some(Opinion::from(ctx.store().opinion(ctx.actor().await?, id).await.gql()?)),
        None => None,
    };
    Ok(OpinionPayload { ok: false, refusal: Some(refusal), opinion: current, held: None })
}

/// A checked post's payload: published (as `payload`), or held back and pending for its author.
async fn checked_payload(
    ctx: &Context<'_>,
    target: Option<OpinionId>,
    result: gongzhi_infra::Result<Checked<OpinionThread>>,
) -> async_graphql::Result<OpinionPayload> {
    match result {
        Ok(Checked::Held(hold)) => {
            Ok(OpinionPayload { ok: true, refusal: None, opinion: None, held: Some(ContentHold(*hold)) })
        }
        Ok(Checked::Published(thread)) => payload(ctx, target, Ok(thread)).await,
        Err(err) => payload(ctx, target, Err(err)).await,
    }
}

#[Object]
impl OpinionMutation {
    /// Posts an opinion with a stance in the thread of a topic under deliberation: residents, owners,
    /// building leaders and owners' committee members of the compound, and the community's staff.
    async fn post_opinion(&self, ctx: &Context<'_>, input: PostOpinionInput) -> async_graphql::Result<OpinionPayload> {
        let actor = ctx.actor().await?;
        let topic = topic_id(&input.topic_id)?;
        // The content check first (decision 130): flagged or unchecked text is held back, not published.
        let result =
            ctx.state().content.on(ctx.store()).post_opinion(actor, topic, input.stance.into(), &input.text).await;
        checked_payload(ctx, None, result).await
    }

    /// Replies to an opinion of the thread while the topic is deliberating.
    async fn reply_to_opinion(
        &self,
        ctx: &Context<'_>,
        input: ReplyToOpinionInput,
    ) -> async_graphql::Result<OpinionPayload> {
        let actor = ctx.actor().await?;
        let parent = opinion_id(&input.opinion_id)?;
        let result = ctx.state().content.on(ctx.store()).reply_to_opinion(actor, parent, &input.text).await;
        checked_payload(ctx, Some(parent), result).await
    }

    /// Hides an opinion from the public thread with a reason (the community's staff and officers over the
    /// topic). It is kept, and moderators and its author still see it.
    async fn hide_opinion(
        &self,
        ctx: &Context<'_>,
        input: OpinionReasonInput,
    ) -> async_graphql::Result<OpinionPayload> {
        let actor = ctx.actor().await?;
        let id = opinion_id(&input.opinion_id)?;
        let result = ctx.store().hide_opinion(actor, id, &input.reason).await;
        payload(ctx, Some(id), result).await
    }

    /// Reports an opinion to the moderators, with a reason; once per person.
    async fn report_opinion(
        &self,
        ctx: &Context<'_>,
        input: OpinionReasonInput,
    ) -> async_graphql::Result<OpinionPayload> {
        let actor = ctx.actor().await?;
        let id = opinion_id(&input.opinion_id)?;
        let result = ctx.store().report_opinion(actor, id, &input.reason).await;
        payload(ctx, Some(id), result).await
    }
}

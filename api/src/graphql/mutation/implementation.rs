use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{TaskId, TopicId};
use gongzhi_infra::content::Checked;
use gongzhi_infra::topics::NewTask;

use super::topics::{payload, topic_id};
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode, decode_any};
use crate::graphql::types::content_hold::ContentHold;
use crate::graphql::types::enums::Party;
use crate::graphql::types::payload::{TaskPayload, TopicRequestPayload, answer};
use crate::graphql::types::task::{Task, TopicRequest};
use crate::graphql::types::topic::TopicPayload;

#[derive(Default)]
pub struct ImplementationMutation;

#[derive(InputObject)]
pub struct TaskInput {
    /// The party that owns the task (usually the property company or the owners' committee).
    owner: Party,
    title: String,
    /// What "done" means, as the residents' committee will check it.
    criteria: String,
    due_at: DateTime<Utc>,
}

fn task_id(id: &ID) -> async_graphql::Result<TaskId> {
    decode(NodeType::Task, id).gql()
}

fn request_id(id: &ID) -> async_graphql::Result<uuid::Uuid> {
    match decode_any(id) {
        Some((NodeType::TopicRequest, uuid)) => Ok(uuid),
        _ => Err(crate::error::ApiError::Bad(crate::error::BadRequest::Id { expected: "TopicRequest" }).into_graphql()),
    }
}

#[Object]
impl ImplementationMutation {
    /// Turns a resolution into tasks and starts implementing it (a major matter must be announced first).
    async fn start_implementation(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        tasks: Vec<TaskInput>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id: TopicId = self::topic_id(&topic_id)?;
        let tasks = tasks
            .into_iter()
            .map(|t| NewTask { owner: t.owner.into(), title: t.title, criteria: t.criteria, due_at: t.due_at })
            .collect();
        let result = ctx.store().start_implementation(actor, id, tasks).await;
        payload(ctx, Some(id), result).await
    }

    /// The owning party reports progress, with evidence photos (storage keys).
    async fn report_task_progress(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        note: String,
        #[graphql(default)] photos: Vec<String>,
    ) -> async_graphql::Result<TaskPayload> {
        let actor = ctx.actor().await?;
        answer(ctx, ctx.store().report_task_progress(actor, self::task_id(&task_id)?, &note, photos).await, Task)
    }

    /// The owning party says the task is done.
    async fn finish_task(&self, ctx: &Context<'_>, task_id: ID) -> async_graphql::Result<TaskPayload> {
        let actor = ctx.actor().await?;
        answer(ctx, ctx.store().finish_task(actor, self::task_id(&task_id)?).await, Task)
    }

    /// The residents' committee accepts a done task; accepting the last one completes the topic.
    async fn accept_task(&self, ctx: &Context<'_>, task_id: ID) -> async_graphql::Result<TaskPayload> {
        let actor = ctx.actor().await?;
        answer(ctx, ctx.store().review_task(actor, self::task_id(&task_id)?, true).await, Task)
    }

    /// The residents' committee sends a done task back to its owner.
    async fn send_task_back(&self, ctx: &Context<'_>, task_id: ID) -> async_graphql::Result<TaskPayload> {
        let actor = ctx.actor().await?;
        answer(ctx, ctx.store().review_task(actor, self::task_id(&task_id)?, false).await, Task)
    }

    /// A warning letter (警示函) at once, for a strong complaint.
    async fn warn_task(&self, ctx: &Context<'_>, task_id: ID) -> async_graphql::Result<TaskPayload> {
        let actor = ctx.actor().await?;
        answer(ctx, ctx.store().warn_task(actor, self::task_id(&task_id)?).await, Task)
    }

    /// Publishes the outcome (居务公开) and opens satisfaction rating.
    async fn publish_outcome(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        summary: String,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().publish_outcome(actor, id, &summary).await;
        payload(ctx, Some(id), result).await
    }

    /// A resident rates the outcome 1–5; rating again replaces the first, until rating closes.
    async fn rate_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        #[graphql(validator(minimum = 1, maximum = 5))] score: i16,
        comment: Option<String>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        // A comment passes the content check first (decision 135); a held rating waits with its comment.
        let result = match ctx.state().content.on(ctx.store()).rate_topic(actor, id, score, comment.as_deref()).await {
            Ok(Checked::Published(())) => ctx.store().topic(actor, id).await,
            Ok(Checked::Held(hold)) => {
                let topic = ctx.store().topic(actor, id).await.gql()?;
                return Ok(TopicPayload {
                    ok: true,
                    refusal: None,
                    topic: Some(crate::graphql::types::topic::Topic(topic)),
                    held: Some(ContentHold(*hold)),
                });
            }
            Err(err) => Err(err),
        };
        payload(ctx, Some(id), result).await
    }

    /// A dissatisfied resident (who rated 1 or 2) asks for an explanation staff must answer.
    async fn request_explanation(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        question: String,
    ) -> async_graphql::Result<TopicRequestPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        answer(ctx, ctx.store().request_explanation(actor, id, &question).await, TopicRequest)
    }

    async fn answer_explanation(
        &self,
        ctx: &Context<'_>,
        request_id: ID,
        answer: String,
    ) -> async_graphql::Result<TopicRequestPayload> {
        let actor = ctx.actor().await?;
        let request = self::request_id(&request_id)?;
        // The content check first (decision 135): a flagged or unchecked explanation is held back.
        match ctx.state().content.on(ctx.store()).answer_explanation(actor, request, &answer).await {
            Ok(Checked::Held(hold)) => {
                Ok(TopicRequestPayload { ok: true, refusal: None, request: None, held: Some(ContentHold(*hold)) })
            }
            Ok(Checked::Published(done)) => crate::graphql::types::payload::answer(ctx, Ok(done), TopicRequest),
            Err(err) => crate::graphql::types::payload::answer(ctx, Err(err), TopicRequest),
        }
    }

    /// A resident asks for the topic to be taken up again.
    async fn request_reopen(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        reason: String,
    ) -> async_graphql::Result<TopicRequestPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        answer(ctx, ctx.store().request_reopen(actor, id, &reason).await, TopicRequest)
    }

    /// Staff grant (back to deliberation) or decline a reopen request, with a reason either way.
    async fn decide_reopen(
        &self,
        ctx: &Context<'_>,
        request_id: ID,
        grant: bool,
        reason: String,
    ) -> async_graphql::Result<TopicRequestPayload> {
        let actor = ctx.actor().await?;
        let result = ctx.store().decide_reopen(actor, self::request_id(&request_id)?, grant, &reason).await;
        answer(ctx, result, |(request, _)| TopicRequest(request))
    }
}

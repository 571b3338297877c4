use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object};
use gongzhi_domain::ids::{PersonId, TopicId};
use gongzhi_infra::outbox::OutboxFilter;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, cursor, decode};
use crate::graphql::page::page_args;
use crate::graphql::types::enums::MessageStatus;
use crate::graphql::types::notification::{NotificationPreference, OutboxMessage, SubscribeConsent, WebhookEndpoint};

#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// The logged-in person's switches: every kind of message on every channel.
    async fn notification_preferences(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<NotificationPreference>> {
        let actor = ctx.actor().await?;
        let preferences = ctx.store().notification_preferences(actor.person).await.gql()?;
        Ok(preferences.into_iter().map(Into::into).collect())
    }

    /// The WeChat consent recorded for the logged-in person, per template.
    async fn subscribe_consents(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SubscribeConsent>> {
        let actor = ctx.actor().await?;
        Ok(ctx.store().subscribe_consents(actor.person).await.gql()?.into_iter().map(Into::into).collect())
    }

    /// City administrators: messages newest first, filtered by status, recipient or topic.
    async fn outbox_messages(
        &self,
        ctx: &Context<'_>,
        status: Option<MessageStatus>,
        recipient_id: Option<ID>,
        topic_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, OutboxMessage>> {
        let actor = ctx.actor().await?;
        let page = page_args(first, after).gql()?;
        let filter = OutboxFilter {
            status: status.map(Into::into),
            person: recipient_id.as_ref().map(|id| decode::<PersonId>(NodeType::Person, id)).transpose().gql()?,
            topic: topic_id.as_ref().map(|id| decode::<TopicId>(NodeType::Topic, id)).transpose().gql()?,
        };
        let mut messages =
            ctx.store().outbox_messages(actor, &filter, page.after, (page.limit + 1) as u64).await.gql()?;
        let has_next = messages.len() > page.limit;
        messages.truncate(page.limit);
        let mut connection = Connection::new(page.after.is_some(), has_next);
        connection.edges.extend(
            messages.into_iter().map(|m| Edge::new(cursor(m.id), OutboxMessage { message: m, attempts: None })),
        );
        Ok(connection)
    }

    /// City administrators: one message with all its delivery attempts.
    async fn outbox_message(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<OutboxMessage> {
        let actor = ctx.actor().await?;
        let id: uuid::Uuid = decode(NodeType::OutboxMessage, &id).gql()?;
        let (message, attempts) = ctx.store().outbox_message(actor, id).await.gql()?;
        Ok(OutboxMessage { message, attempts: Some(attempts) })
    }

    /// City administrators: partners' webhook endpoints.
    async fn webhooks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WebhookEndpoint>> {
        let actor = ctx.actor().await?;
        Ok(ctx.store().webhooks(actor).await.gql()?.into_iter().map(WebhookEndpoint).collect())
    }
}

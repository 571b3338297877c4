use async_graphql::{Context, ID, InputObject, Object};
use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::notify::ConsentReport;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::enums::{Channel, NotificationKind};
use crate::graphql::types::notification::{
    ConsentAnswer, NotificationPreference, OutboxMessage, RegisteredWebhook, SubscribeConsent, WebhookEndpoint,
    WebhookReplay,
};
use crate::graphql::types::payload::{ReplayPayload, answer};

#[derive(Default)]
pub struct NotificationMutation;

/// One template's answer from `wx.requestSubscribeMessage`.
#[derive(InputObject)]
pub struct ConsentInput {
    pub template_id: String,
    pub answer: ConsentAnswer,
    /// True when the template was offered as a long-term subscription.
    #[graphql(default)]
    pub long_term: bool,
}

#[derive(InputObject)]
pub struct RegisterWebhookInput {
    pub name: String,
    /// https://, not reaching a loopback, private, link-local or metadata address (docs/api.md, "Webhooks").
    pub url: String,
    /// Event kinds as wire codes (`topic.accepted`, `topic.vote_opened`, …; the bare `accepted` is read as
    /// `topic.accepted`); empty or absent for every public event.
    #[graphql(default)]
    pub event_kinds: Vec<String>,
    /// Only topics at or below this place.
    pub place_id: Option<ID>,
}

#[Object]
impl NotificationMutation {
    /// Switches a kind of message on or off for a channel, for the logged-in person.
    async fn set_notification_preference(
        &self,
        ctx: &Context<'_>,
        kind: NotificationKind,
        channel: Channel,
        enabled: bool,
    ) -> async_graphql::Result<NotificationPreference> {
        let actor = ctx.actor().await?;
        let preference =
            ctx.store().set_notification_preference(actor, kind.into(), channel.into(), enabled).await.gql()?;
        Ok(preference.into())
    }

    /// Records what the person answered to WeChat's consent prompt; call it with every template's answer.
    async fn report_subscribe_consents(
        &self,
        ctx: &Context<'_>,
        consents: Vec<ConsentInput>,
    ) -> async_graphql::Result<Vec<SubscribeConsent>> {
        let actor = ctx.actor().await?;
        let reports = consents
            .into_iter()
            .map(|c| Ok((c.template_id, ConsentReport::from_wechat(c.answer.wechat(), c.long_term)?)))
            .collect::<Result<Vec<_>, gongzhi_domain::Invalid>>()
            .map_err(gongzhi_infra::Error::from)
            .gql()?;
        let recorded = ctx.store().report_subscribe_consents(actor, &reports).await.gql()?;
        Ok(recorded.into_iter().map(Into::into).collect())
    }

    /// City administrators: puts a dead letter back in the queue.
    /// Refused with `not_dead_letter` for a message that is not `DEAD`.
    async fn replay_dead_letter(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ReplayPayload> {
        let actor = ctx.actor().await?;
        let id: uuid::Uuid = decode(NodeType::OutboxMessage, &id).gql()?;
        let result = ctx.store().replay_dead_letter(actor, id).await;
        answer(ctx, result, |message| OutboxMessage { message, attempts: None })
    }

    /// City administrators: registers a partner's endpoint; the answer carries its signing secret
    /// (`whsec_…`, Standard Webhooks) once.
    async fn register_webhook(
        &self,
        ctx: &Context<'_>,
        input: RegisterWebhookInput,
    ) -> async_graphql::Result<RegisteredWebhook> {
        let actor = ctx.actor().await?;
        let place: Option<PlaceId> = input.place_id.as_ref().map(|p| decode(NodeType::Place, p)).transpose().gql()?;
        let (endpoint, secret) =
            ctx.store().register_webhook(actor, &input.name, &input.url, &input.event_kinds, place).await.gql()?;
        Ok(RegisteredWebhook { webhook: WebhookEndpoint(endpoint), secret })
    }

    /// City administrators: queues again, in order and with their original `webhook-id`s, the endpoint's
    /// events from `fromSequence` on (at most 5,000 a call; `more` says to call again).
    async fn replay_webhooks(
        &self,
        ctx: &Context<'_>,
        endpoint_id: ID,
        from_sequence: i64,
    ) -> async_graphql::Result<WebhookReplay> {
        let actor = ctx.actor().await?;
        let id: uuid::Uuid = decode(NodeType::WebhookEndpoint, &endpoint_id).gql()?;
        let replay = ctx.store().replay_webhooks(actor, id, from_sequence).await.gql()?;
        Ok(WebhookReplay {
            queued: i32::try_from(replay.queued).unwrap_or(i32::MAX),
            through_sequence: replay.through,
            more: replay.more,
        })
    }

    /// City administrators: stops sending to an endpoint.
    async fn disable_webhook(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<WebhookEndpoint> {
        let actor = ctx.actor().await?;
        let id: uuid::Uuid = decode(NodeType::WebhookEndpoint, &id).gql()?;
        Ok(WebhookEndpoint(ctx.store().disable_webhook(actor, id).await.gql()?))
    }
}

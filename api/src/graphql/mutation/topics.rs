use async_graphql::{Context, ID, InputObject, Object};
use chrono::NaiveDate;
use gongzhi_domain::ids::{CategoryId, PersonId, PlaceId, RoundId, TopicId};
use gongzhi_domain::topic::{Invitee, InviteeName, PlanDraft};
use gongzhi_infra::content::Checked;
use gongzhi_infra::topics::{NewLocation, NewTopic, TopicRecord};

use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::content_hold::ContentHold;
use crate::graphql::types::enums::{Datum, DeliberationForm, Party};
use crate::graphql::types::topic::{Topic, TopicPayload};
use crate::refusals::refusal_of;

#[derive(Default)]
pub struct TopicMutation;

#[derive(InputObject)]
pub struct LocationInput {
    datum: Datum,
    /// Degrees as a decimal string, e.g. "36.612345".
    latitude: String,
    longitude: String,
}

#[derive(InputObject)]
pub struct SubmitTopicInput {
    /// The compound or building the matter is about.
    place_id: ID,
    category_id: ID,
    /// The solicitation round this answers, if any.
    round_id: Option<ID>,
    title: String,
    description: String,
    location: Option<LocationInput>,
    /// Storage keys of photos already uploaded; at most nine.
    #[graphql(default)]
    photos: Vec<String>,
    /// See docs/api.md, "Idempotency".
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct InviteeInput {
    /// A person with an account…
    person_id: Option<ID>,
    /// …or a name, for someone without one.
    name: Option<String>,
}

#[derive(InputObject)]
pub struct PlanInput {
    form: DeliberationForm,
    parties: Vec<Party>,
    #[graphql(default)]
    invitees: Vec<InviteeInput>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    /// Renovation, repairs, illegal structures, traffic…: announced in writing before implementation.
    #[graphql(default)]
    major: bool,
}

fn plan_of(input: PlanInput) -> Result<PlanDraft, ApiError> {
    let mut invitees = Vec::with_capacity(input.invitees.len());
    for invitee in input.invitees {
        invitees.push(match (invitee.person_id, invitee.name) {
            (Some(person), None) => Invitee::Person { person: decode::<PersonId>(NodeType::Person, &person)? },
            (None, Some(name)) => Invitee::Named { name: InviteeName::parse(&name)? },
            _ => return Err(ApiError::Invalid(gongzhi_domain::Invalid::Required { field: "invitee" })),
        });
    }
    Ok(PlanDraft {
        form: input.form.into(),
        parties: input.parties.into_iter().map(Into::into).collect(),
        invitees,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        major: input.major,
    })
}

/// Turns a step's result into a payload: done, refused for an expected business reason (with the topic
/// as it stands), or an error (not allowed, bad input, not found).
pub(super) async fn payload(
    ctx: &Context<'_>,
    topic: Option<TopicId>,
    result: gongzhi_infra::Result<TopicRecord>,
) -> async_graphql::Result<TopicPayload> {
    let err = match result {
        Ok(record) => return Ok(TopicPayload { ok: true, refusal: None, topic: Some(Topic(record)), held: None }),
        Err(err) => err,
    };
    let Some(refusal) = refusal_of(&err, ctx.request()?.lang) else {
        return Err(ApiError::from(err).into_graphql());
    };
    ctx.request()?.note_refusal();
    let current = match topic {
        Some(id) => Some(Topic(ctx.store().topic(ctx.actor().await?, id).await.gql()?)),
        None => None,
    };
    Ok(TopicPayload { ok: false, refusal: Some(refusal), topic: current, held: None })
}

/// A checked submission's payload: published (as `payload`), or held back and pending for its author.
async fn checked_payload(
    ctx: &Context<'_>,
    result: gongzhi_infra::Result<Checked<TopicRecord>>,
) -> async_graphql::Result<TopicPayload> {
    match result {
        Ok(Checked::Held(hold)) => {
            Ok(TopicPayload { ok: true, refusal: None, topic: None, held: Some(ContentHold(*hold)) })
        }
        Ok(Checked::Published(record)) => payload(ctx, None, Ok(record)).await,
        Err(err) => payload(ctx, None, Err(err)).await,
    }
}

pub(super) fn topic_id(id: &ID) -> async_graphql::Result<TopicId> {
    decode(NodeType::Topic, id).gql()
}

#[Object]
impl TopicMutation {
    /// Raises a topic (议题建议) about a compound or building one lives in.
    async fn submit_topic(&self, ctx: &Context<'_>, input: SubmitTopicInput) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let new = NewTopic {
            place: decode::<PlaceId>(NodeType::Place, &input.place_id).gql()?,
            category: decode::<CategoryId>(NodeType::Category, &input.category_id).gql()?,
            round: input.round_id.as_ref().map(|r| decode::<RoundId>(NodeType::Round, r)).transpose().gql()?,
            title: input.title,
            description: input.description,
            location: input.location.map(|l| NewLocation {
                datum: match l.datum {
                    Datum::Wgs84 => "wgs84".into(),
                    Datum::Gcj02 => "gcj02".into(),
                },
                latitude: l.latitude,
                longitude: l.longitude,
            }),
            photos: input.photos,
        };
        // The content check first (decision 130): flagged or unchecked text is held back, not published.
        let result = ctx.state().content.on(ctx.store()).submit_topic(actor, new).await;
        checked_payload(ctx, result).await
    }

    /// 附议: supports a neighbour's topic, once.
    async fn co_sign_topic(&self, ctx: &Context<'_>, topic_id: ID) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().co_sign_topic(actor, id).await;
        payload(ctx, Some(id), result).await
    }

    /// The submitter takes the topic back before triage decides.
    async fn withdraw_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().withdraw_topic(actor, id, note.as_deref()).await;
        payload(ctx, Some(id), result).await
    }

    /// Triage: accepts the topic for deliberation under a plan. `note` is the staff's working note: the
    /// staff who may triage the topic read it, residents and API partners do not.
    async fn accept_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        plan: PlanInput,
        note: Option<String>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let plan = plan_of(plan).gql()?;
        let result = ctx.store().accept_topic(actor, id, plan, note.as_deref()).await;
        payload(ctx, Some(id), result).await
    }

    /// Triage: folds a duplicate into another topic, carrying its supporters over. `note` is the staff's
    /// working note, on both topics' timelines: residents and API partners do not read it.
    async fn merge_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        into_topic_id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let into = self::topic_id(&into_topic_id)?;
        let result = ctx.store().merge_topic(actor, id, into, note.as_deref()).await;
        payload(ctx, Some(id), result).await
    }

    /// Triage: hands a simple matter to the property company as a service request (一口受理). `note` is
    /// for the company's staff and the residents' committee: residents and API partners do not read it.
    async fn route_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().route_topic(actor, id, note.as_deref()).await;
        payload(ctx, Some(id), result).await
    }

    /// Triage: a service request whose company lost the compound's contract goes to the company holding it
    /// now, afresh (its acknowledgement and deadline start again). `note` is read as routing's is.
    async fn reroute_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().reroute_topic(actor, id, note.as_deref()).await;
        payload(ctx, Some(id), result).await
    }

    /// Triage: refuses the topic with a reason the submitter and residents read.
    async fn reject_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        reason: String,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().reject_topic(actor, id, &reason).await;
        payload(ctx, Some(id), result).await
    }

    /// Hands the topic up a level: community → street (→ district while deliberating or implementing).
    async fn escalate_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        reason: String,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().escalate_topic(actor, id, &reason).await;
        payload(ctx, Some(id), result).await
    }

    /// Triage: files the topic under another catalogue entry.
    async fn reclassify_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        category_id: ID,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let category: CategoryId = decode(NodeType::Category, &category_id).gql()?;
        let result = ctx.store().reclassify_topic(actor, id, category).await;
        payload(ctx, Some(id), result).await
    }

    /// Property staff: the company has taken the request on.
    async fn acknowledge_service_request(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().acknowledge_service(actor, id).await;
        payload(ctx, Some(id), result).await
    }

    /// Property staff: the work is done, with a report the submitter reads.
    async fn finish_service_request(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        report: String,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().finish_service(actor, id, &report).await;
        payload(ctx, Some(id), result).await
    }

    /// The submitter confirms the work is done.
    async fn confirm_service_request(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().confirm_service(actor, id, note.as_deref()).await;
        payload(ctx, Some(id), result).await
    }

    /// The submitter says it is not done; it goes back to the company.
    async fn dispute_service_request(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        reason: String,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().dispute_service(actor, id, &reason).await;
        payload(ctx, Some(id), result).await
    }
}

#[derive(Default)]
pub struct DeliberationMutation;

#[Object]
impl DeliberationMutation {
    /// Changes the plan while deliberating.
    async fn revise_plan(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        plan: PlanInput,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let plan = plan_of(plan).gql()?;
        let result = ctx.store().revise_plan(actor, id, plan).await;
        payload(ctx, Some(id), result).await
    }

    /// Records the resolution (决议) and its minutes, citing the vote that carried it if there was one.
    async fn resolve_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        decision: String,
        minutes: String,
        vote_id: Option<ID>,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let vote =
            vote_id.as_ref().map(|v| decode::<gongzhi_domain::ids::VoteId>(NodeType::Vote, v)).transpose().gql()?;
        let result = ctx.store().resolve_topic(actor, id, &decision, &minutes, vote).await;
        payload(ctx, Some(id), result).await
    }

    /// 复议: sends a resolved topic back to deliberation, with the reason.
    async fn reconsider_topic(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        reason: String,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().reconsider_topic(actor, id, &reason).await;
        payload(ctx, Some(id), result).await
    }

    /// Records the written announcement of the resolution to all residents.
    async fn announce_resolution(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
        text: String,
    ) -> async_graphql::Result<TopicPayload> {
        let actor = ctx.actor().await?;
        let id = self::topic_id(&topic_id)?;
        let result = ctx.store().announce_resolution(actor, id, &text).await;
        payload(ctx, Some(id), result).await
    }
}

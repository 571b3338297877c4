use async_graphql::{Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use gongzhi_domain::topic::{Invitee, ServiceStatus, TopicState};
use gongzhi_infra::topics::{Standing, TimelineEntry, TopicRecord};

use super::category::Category;
use super::company::PropertyCompany;
use super::enums::{Datum, DeadlineKind, DeliberationForm, EscalationLevel, Party, Stage};
use super::person::Person;
use super::place::Place;
use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::{
    CategoryLoader, CoSignatureLoader, CompanyLoader, MeetingsLoader, RatingLoader, RatingSummaryLoader,
    RequestsLoader, TasksLoader, TimelineLoader, VotesLoader,
};
use crate::graphql::preload;

/// A community matter on its way from proposal to rated outcome (议题).
pub struct Topic(pub TopicRecord);

#[derive(SimpleObject)]
pub struct Deadline {
    kind: DeadlineKind,
    due_at: DateTime<Utc>,
    /// Past due and still waiting.
    overdue: bool,
}

#[derive(SimpleObject)]
pub struct Location {
    datum: Datum,
    /// Degrees, as a decimal string (exact).
    latitude: String,
    longitude: String,
}

/// The deliberation plan (协商方案) triage accepted the topic with.
#[derive(SimpleObject)]
pub struct Plan {
    form: DeliberationForm,
    parties: Vec<Party>,
    /// Invitees beyond the five parties: people with an account, or names.
    invitee_people: Vec<ID>,
    invitee_names: Vec<String>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    /// A major matter, to be announced in writing before implementation.
    major: bool,
}

/// A topic handled as a service request by the property company (一口受理).
#[derive(SimpleObject)]
pub struct ServiceRequest {
    /// ROUTED, ACKNOWLEDGED, DONE or CONFIRMED.
    status: String,
    routed_at: DateTime<Utc>,
    company_id: ID,
    confirmed_by_default: Option<bool>,
}

/// One step in a topic's history: who, when, what and why.
pub struct TimelineEvent(pub TimelineEntry);

#[Object]
impl TimelineEvent {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// A stable code: submitted, co_signed, accepted, merged, routed, rejected, escalated, …
    async fn kind(&self) -> &'static str {
        self.0.kind.kind_code()
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// `null` for steps the system took (a deadline passing), and for a resident's own steps (raising,
    /// co-signing, confirming…) when seen by neighbours rather than by the topic's leads or the resident.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        let Some(actor) = self.0.actor else { return Ok(None) };
        Ok(ctx.people()?.load_one(actor).await.gql()?.map(Person))
    }

    /// A free remark on the step. On a step taken in office (accepting, merging, routing) it is the
    /// staff's working note, not public: shown only to the staff who may triage the topic (and, on
    /// routing, to the property company it goes to), `null` for residents and API partners; apps for staff
    /// can say so where it is written. On a resident's own step (withdrawing, confirming a service) it is
    /// as visible as the step. What residents are owed, such as a rejection's reason, is in `details`.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// PUBLIC (every resident of the place) or STAFF.
    async fn visibility(&self) -> &'static str {
        match self.0.visibility {
            gongzhi_domain::topic::Visibility::Public => "PUBLIC",
            gongzhi_domain::topic::Visibility::Staff => "STAFF",
        }
    }

    /// The step's data (reason, plan, merge target, …) as JSON, tagged with `kind`.
    async fn details(&self) -> Json<serde_json::Value> {
        Json(serde_json::to_value(&self.0.kind).unwrap_or_default())
    }
}

impl Topic {
    fn state(&self) -> &TopicState {
        &self.0.topic.state
    }
}

#[Object]
impl Topic {
    pub async fn id(&self) -> ID {
        encode(NodeType::Topic, self.0.topic.id)
    }

    async fn title(&self) -> &str {
        self.0.topic.title.as_str()
    }

    async fn description(&self) -> &str {
        self.0.topic.description.as_str()
    }

    async fn stage(&self) -> Stage {
        self.0.topic.stage().into()
    }

    /// The fine-grained state: awaiting_triage, service_routed, deliberating, resolved, …
    async fn state_code(&self) -> &'static str {
        self.state().code()
    }

    async fn level(&self) -> EscalationLevel {
        self.0.topic.level.into()
    }

    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.topic.submitted_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.topic.place.id()).await.gql()?.map(Place))
    }

    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<Category> {
        let category = ctx.loader::<CategoryLoader>()?.load_one(self.0.topic.category).await.gql()?;
        category.map(Category).ok_or_else(|| ApiError::NotFound.into_graphql())
    }

    async fn co_sign_count(&self) -> u32 {
        self.0.co_sign_count
    }

    /// Whether the logged-in person co-signed it; `false` for an API partner.
    async fn co_signed_by_me(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let Some(key) = ctx.mine(self.0.topic.id).await? else { return Ok(false) };
        Ok(ctx.loader::<CoSignatureLoader>()?.load_one(key).await.gql()?.unwrap_or(false))
    }

    /// Whether the logged-in person raised it; `false` for an API partner.
    async fn submitted_by_me(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        ctx.is_me(self.0.topic.submitter).await
    }

    /// Who raised it: shown to them and to the staff leading the topic, not to every neighbour (nor to
    /// an API partner).
    async fn submitter(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        if !standing(ctx, &self.0).await?.sees_submitter(self.0.topic.submitter) {
            return Ok(None);
        }
        Ok(ctx.people()?.load_one(self.0.topic.submitter).await.gql()?.map(Person))
    }

    /// The next deadline the topic waits for, if any.
    async fn deadline(&self, ctx: &Context<'_>) -> Option<Deadline> {
        let store = ctx.store();
        let now = store.clock().now();
        self.0.topic.deadline(store.deadlines()).map(|d| Deadline {
            kind: d.kind.into(),
            due_at: d.due_at,
            overdue: d.is_overdue(now),
        })
    }

    async fn plan(&self) -> Option<Plan> {
        self.state().plan().map(|plan| Plan {
            form: plan.form().into(),
            parties: plan.parties().iter().map(|p| (*p).into()).collect(),
            invitee_people: plan
                .invitees()
                .iter()
                .filter_map(|i| match i {
                    Invitee::Person { person } => Some(encode(NodeType::Person, *person)),
                    Invitee::Named { .. } => None,
                })
                .collect(),
            invitee_names: plan
                .invitees()
                .iter()
                .filter_map(|i| match i {
                    Invitee::Named { name } => Some(name.as_str().to_owned()),
                    Invitee::Person { .. } => None,
                })
                .collect(),
            starts_on: plan.starts_on(),
            ends_on: plan.ends_on(),
            major: plan.is_major(),
        })
    }

    /// Why triage refused it; every resident of the place reads this.
    async fn rejection_reason(&self) -> Option<&str> {
        match self.state() {
            TopicState::Rejected { reason, .. } => Some(reason.as_str()),
            _ => None,
        }
    }

    /// The topic this one was merged into.
    async fn merged_into(&self) -> Option<ID> {
        match self.state() {
            TopicState::Merged { into, .. } => Some(encode(NodeType::Topic, *into)),
            _ => None,
        }
    }

    async fn service_request(&self) -> Option<ServiceRequest> {
        match self.state() {
            TopicState::Routed(request) => Some(ServiceRequest {
                status: match request.status {
                    ServiceStatus::Routed => "ROUTED",
                    ServiceStatus::Acknowledged { .. } => "ACKNOWLEDGED",
                    ServiceStatus::Done { .. } => "DONE",
                    ServiceStatus::Confirmed { .. } => "CONFIRMED",
                }
                .to_owned(),
                routed_at: request.routed_at,
                company_id: encode(NodeType::PropertyCompany, request.company),
                confirmed_by_default: match request.status {
                    ServiceStatus::Confirmed { by_default, .. } => Some(by_default),
                    _ => None,
                },
            }),
            _ => None,
        }
    }

    async fn property_company(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PropertyCompany>> {
        let TopicState::Routed(request) = self.state() else { return Ok(None) };
        let company = ctx.loader::<CompanyLoader>()?.load_one(request.company).await.gql()?;
        company.map(PropertyCompany).map(Some).ok_or_else(|| ApiError::NotFound.into_graphql())
    }

    /// Storage keys of the photos, in order.
    async fn photos(&self) -> Vec<&str> {
        self.0.topic.photos.keys().iter().map(|k| k.as_str()).collect()
    }

    /// The photos, in order, each with a signed link to show it by (good for an hour or so).
    async fn photo_files(&self, ctx: &Context<'_>) -> Vec<super::file_link::FileLink> {
        super::file_link::FileLink::mint_all(ctx, self.0.topic.photos.keys().iter().map(|k| k.as_str()))
    }

    async fn location(&self) -> Option<Location> {
        self.0.topic.location.map(|l| Location {
            datum: l.datum().into(),
            latitude: l.latitude().to_string(),
            longitude: l.longitude().to_string(),
        })
    }

    /// The tasks implementing the resolution.
    async fn tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::task::Task>> {
        ctx.partner_may(gongzhi_domain::partner::PartnerScope::Tasks)?;
        let standing = standing(ctx, &self.0).await?;
        let tasks = ctx.loader::<TasksLoader>()?.load_one(standing).await.gql()?.unwrap_or_default();
        Ok(tasks.into_iter().map(super::task::Task).collect())
    }

    /// Satisfaction ratings so far.
    async fn ratings(&self, ctx: &Context<'_>) -> async_graphql::Result<super::task::RatingSummary> {
        let standing = standing(ctx, &self.0).await?;
        let summary = ctx.loader::<RatingSummaryLoader>()?.load_one(standing).await.gql()?.unwrap_or_default();
        Ok(summary.into())
    }

    /// The logged-in person's rating, 1–5; `null` for an API partner.
    async fn my_rating(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i16>> {
        let Some(key) = ctx.mine(self.0.topic.id).await? else { return Ok(None) };
        Ok(ctx.loader::<RatingLoader>()?.load_one(key).await.gql()?.flatten())
    }

    /// Explanation and reopen requests: all of them for the topic's leads, one's own for a resident.
    async fn requests(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::task::TopicRequest>> {
        let standing = standing(ctx, &self.0).await?;
        let requests = ctx.loader::<RequestsLoader>()?.load_one(standing).await.gql()?.unwrap_or_default();
        Ok(requests.into_iter().map(super::task::TopicRequest).collect())
    }

    /// Votes held on the topic, oldest first.
    async fn votes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::vote::Vote>> {
        ctx.partner_may(gongzhi_domain::partner::PartnerScope::Votes)?;
        let standing = standing(ctx, &self.0).await?;
        let votes = ctx.loader::<VotesLoader>()?.load_one(standing).await.gql()?.unwrap_or_default();
        preload::votes(ctx, ctx.look_ahead(), &votes).await?;
        Ok(votes.into_iter().map(super::vote::Vote::from).collect())
    }

    /// Meetings held on the topic, by start time.
    async fn meetings(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::meeting::Meeting>> {
        ctx.partner_may(gongzhi_domain::partner::PartnerScope::Meetings)?;
        let standing = standing(ctx, &self.0).await?;
        let meetings = ctx.loader::<MeetingsLoader>()?.load_one(standing).await.gql()?.unwrap_or_default();
        preload::meetings(ctx, ctx.look_ahead(), &meetings).await?;
        Ok(meetings.into_iter().map(super::meeting::Meeting).collect())
    }

    /// The online opinion thread (网上协商), newest opinion first, each with its replies. Hidden opinions
    /// are left out, except for moderators (who see them flagged) and their authors.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity + 1")]
    async fn opinions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<
        async_graphql::connection::Connection<String, super::opinion::Opinion, super::opinion::OpinionThreadSummary>,
    > {
        super::opinion::thread(ctx, &self.0, first, after).await
    }

    /// The history: public steps for residents and API partners; staff notes, triage notes and
    /// co-signers too for those leading it.
    async fn timeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TimelineEvent>> {
        let standing = standing(ctx, &self.0).await?;
        let entries = ctx.loader::<TimelineLoader>()?.load_one(standing).await.gql()?.unwrap_or_default();
        preload::timeline(ctx, ctx.look_ahead(), &entries).await?;
        Ok(entries.into_iter().map(TimelineEvent).collect())
    }
}

/// The viewer's standing towards the topic, decided by the policy on its place's context (batched across
/// the request): `NOT_FOUND` when they may not see it, as when it was read alone. The detail lists are
/// loaded for the standing, so each shows only what it allows.
pub async fn standing(ctx: &Context<'_>, record: &TopicRecord) -> async_graphql::Result<Standing> {
    let caller = ctx.caller().await?;
    let place = ctx.place_context(record.topic.place.id()).await?;
    Standing::of(caller, record.topic.id, &place).gql()
}

/// The result of a pipeline step. `refusal` is set when the step was refused for a reason the client
/// expects (the topic moved on, a round closed): nothing changed, and `topic` shows where it stands.
#[derive(SimpleObject)]
pub struct TopicPayload {
    pub ok: bool,
    pub refusal: Option<Refusal>,
    pub topic: Option<Topic>,
    /// Set when the content check held a submitted topic back (decision 130): it is pending, seen by its
    /// author only, and `topic` is null until it is published.
    pub held: Option<crate::graphql::types::content_hold::ContentHold>,
}

#[derive(SimpleObject)]
pub struct Refusal {
    /// A stable code: wrong_stage, own_topic, round_not_open, no_property_company, …
    pub code: String,
    pub message: String,
}

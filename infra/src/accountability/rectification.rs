//! 一院一案 (decision 118): a listed problem compound's rectification plan. The residents' committee drafts
//! it (one per listing), the street approves it or sends it back with a reason, a plan sent back is
//! revised; approval opens the plan's own topic with the measures as its tasks
//! (`topics::plan_topic`), in the same transaction. Plans are public, as the problem list is.

use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::rectification::{
    self, Listing, Measure, PlanState, RectificationError, RectificationPlan,
};
use gongzhi_domain::accountability::{AccountabilityError, Quarter};
use gongzhi_domain::ids::{CategoryId, PersonId, PlaceId, RectificationPlanId, TopicId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::Actor;
use gongzhi_domain::topic::Party;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{ConnectionTrait, QueryOrder};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::entities::{problem_compound, rectification_plan as plan_row};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::places::{context_of, find_kind};
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

impl From<RectificationError> for Error {
    fn from(err: RectificationError) -> Self {
        match err {
            RectificationError::Invalid(invalid) => Error::Invalid(invalid),
            RectificationError::Measure(task) => task.into(),
            RectificationError::NotListed => AccountabilityError::NotProblemCompound.into(),
            RectificationError::AlreadyPlanned => AccountabilityError::PlanExists.into(),
            RectificationError::Measures => {
                AccountabilityError::PlanMeasures { max: rectification::MAX_MEASURES }.into()
            }
            RectificationError::WrongState { state } => AccountabilityError::PlanState { state }.into(),
        }
    }
}

/// A plan as stored, with the compound it is for and the topic approval opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub plan: RectificationPlan,
    pub category: CategoryId,
    pub topic: Option<TopicId>,
    pub drafted_at: DateTime<Utc>,
}

/// What the residents' committee drafts or revises.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub category: CategoryId,
    pub summary: String,
    pub measures: Vec<Measure>,
}

#[derive(Serialize, Deserialize)]
struct StoredMeasure {
    owner: Party,
    title: String,
    criteria: String,
    due_at: DateTime<Utc>,
}

fn measures_json(measures: &[Measure]) -> Result<String> {
    let stored: Vec<StoredMeasure> = measures
        .iter()
        .map(|m| StoredMeasure {
            owner: m.owner,
            title: m.title.clone(),
            criteria: m.criteria.clone(),
            due_at: m.due_at,
        })
        .collect();
    serde_json::to_string(&stored).map_err(super::json_fault)
}

fn plan_of(row: &plan_row::Model) -> Result<Plan> {
    let bad = || Error::from(corrupt("rectification plan", row.id));
    let stored: Vec<StoredMeasure> = serde_json::from_str(&row.measures).map_err(|_| bad())?;
    let reviewed = || -> Result<(DateTime<Utc>, PersonId)> {
        Ok((row.reviewed_at.ok_or_else(bad)?, PersonId::from_uuid(row.reviewed_by.ok_or_else(bad)?)))
    };
    let state = match row.state.as_str() {
        "submitted" => PlanState::Submitted,
        "approved" => {
            let (at, by) = reviewed()?;
            PlanState::Approved { at, by }
        }
        "sent_back" => {
            let (at, by) = reviewed()?;
            PlanState::SentBack { at, by, reason: row.reason.clone().ok_or_else(bad)? }
        }
        _ => return Err(bad()),
    };
    Ok(Plan {
        plan: RectificationPlan {
            id: RectificationPlanId::from_uuid(row.id),
            compound: PlaceId::from_uuid(row.compound_id),
            quarter: Quarter::parse(&row.quarter)?,
            drafted_by: PersonId::from_uuid(row.drafted_by),
            summary: row.summary.clone(),
            measures: stored
                .into_iter()
                .map(|m| Measure { owner: m.owner, title: m.title, criteria: m.criteria, due_at: m.due_at })
                .collect(),
            state,
        },
        category: CategoryId::from_uuid(row.category_id),
        topic: row.topic_id.map(TopicId::from_uuid),
        drafted_at: row.created_at,
    })
}

/// Where the compound stands on the list: its latest computed quarter, if listed, and whether a plan
/// already answers this listing (a plan from any quarter of the unbroken run of listed quarters).
async fn listing_of(db: &impl ConnectionTrait, compound: PlaceId) -> Result<Listing> {
    let quarters = problem_compound::Entity::find()
        .filter(problem_compound::Column::CompoundId.eq(compound.as_uuid()))
        .order_by_desc(problem_compound::Column::Quarter)
        .all(db)
        .await?;
    let run: Vec<&problem_compound::Model> = quarters.iter().take_while(|q| q.listed).collect();
    let (Some(latest), Some(first)) = (run.first(), run.last()) else {
        return Ok(Listing { listed_in: None, planned: false });
    };
    let planned = plan_row::Entity::find()
        .filter(plan_row::Column::CompoundId.eq(compound.as_uuid()))
        .filter(plan_row::Column::Quarter.gte(first.quarter.clone()))
        .one(db)
        .await?
        .is_some();
    Ok(Listing { listed_in: Some(Quarter::parse(&latest.quarter)?), planned })
}

async fn find(db: &impl ConnectionTrait, id: RectificationPlanId) -> Result<plan_row::Model> {
    plan_row::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("rectification plan"))
}

/// Writes the plan's new state, guarded by the state it was loaded in (two reviewers at once: one wins).
async fn save(
    db: &impl ConnectionTrait,
    before: &plan_row::Model,
    after: &RectificationPlan,
    category: CategoryId,
    topic: Option<TopicId>,
    now: DateTime<Utc>,
) -> Result<plan_row::Model> {
    let (reviewed_by, reviewed_at, reason) = match &after.state {
        PlanState::Submitted => (None, None, None),
        PlanState::Approved { at, by } => (Some(by.as_uuid()), Some(*at), None),
        PlanState::SentBack { at, by, reason } => (Some(by.as_uuid()), Some(*at), Some(reason.clone())),
    };
    let updated = plan_row::Entity::update_many()
        .col_expr(plan_row::Column::State, Expr::value(after.state.code()))
        .col_expr(plan_row::Column::Summary, Expr::value(after.summary.clone()))
        .col_expr(plan_row::Column::Measures, Expr::value(measures_json(&after.measures)?))
        .col_expr(plan_row::Column::CategoryId, Expr::value(category.as_uuid()))
        .col_expr(plan_row::Column::ReviewedBy, Expr::value(reviewed_by))
        .col_expr(plan_row::Column::ReviewedAt, Expr::value(reviewed_at))
        .col_expr(plan_row::Column::Reason, Expr::value(reason))
        .col_expr(plan_row::Column::TopicId, Expr::value(topic.map(|t| t.as_uuid())))
        .col_expr(plan_row::Column::UpdatedAt, Expr::value(now))
        .filter(plan_row::Column::Id.eq(before.id))
        .filter(plan_row::Column::State.eq(before.state.clone()))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(gongzhi_domain::Conflict::TopicChanged.into());
    }
    find(db, after.id).await
}

impl Store {
    /// The residents' committee of the compound's community drafts the plan for the compound's listing.
    #[instrument(skip_all)]
    pub async fn draft_rectification_plan(&self, actor: &Actor, compound: PlaceId, input: PlanInput) -> Result<Plan> {
        let txn = self.write().await?;
        let place = find_kind(&txn, compound, PlaceKind::Compound).await?;
        let ctx = context_of(&txn, &place).await?;
        rectification::authorize_drafting(actor, &ctx)?;
        let listing = listing_of(&txn, compound).await?;
        let now = self.clock.now();
        let id = RectificationPlanId::from_uuid(new_id());
        let plan = RectificationPlan::draft(id, compound, listing, actor.person, &input.summary, input.measures, now)?;
        crate::topics::plan_topic::check_category(&txn, input.category, &ctx.ancestry).await?;
        let city = ctx.ancestry.at(PlaceKind::City).ok_or(Error::NotFound("city"))?;
        let row = plan_row::ActiveModel {
            id: Set(id.as_uuid()),
            compound_id: Set(compound.as_uuid()),
            city_id: Set(city.as_uuid()),
            quarter: Set(plan.quarter.code()),
            category_id: Set(input.category.as_uuid()),
            drafted_by: Set(actor.person.as_uuid()),
            summary: Set(plan.summary.clone()),
            measures: Set(measures_json(&plan.measures)?),
            state: Set(plan.state.code().to_owned()),
            reviewed_by: Set(None),
            reviewed_at: Set(None),
            reason: Set(None),
            topic_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|err| match err.sql_err() {
            // A second draft racing this one for the same listing.
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AccountabilityError::PlanExists.into(),
            _ => Error::from(err),
        })?;
        let event = WireEvent::RectificationPlanDrafted {
            plan: id.as_uuid(),
            compound: compound.as_uuid(),
            quarter: plan.quarter.code(),
            measures: plan.measures.len(),
        };
        let fact = NewEvent::new(event, now, Audience::Public).actor(Some(actor.person)).place(compound).text(
            "summary",
            Audience::Public,
            &plan.summary,
        );
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        plan_of(&row)
    }

    /// The residents' committee revises a plan the street sent back, and submits it again.
    #[instrument(skip_all)]
    pub async fn revise_rectification_plan(
        &self,
        actor: &Actor,
        id: RectificationPlanId,
        input: PlanInput,
    ) -> Result<Plan> {
        let txn = self.write().await?;
        let row = find(&txn, id).await?;
        let place = find_kind(&txn, PlaceId::from_uuid(row.compound_id), PlaceKind::Compound).await?;
        let ctx = context_of(&txn, &place).await?;
        rectification::authorize_drafting(actor, &ctx)?;
        let now = self.clock.now();
        let revised = plan_of(&row)?.plan.revise(&input.summary, input.measures, now)?;
        crate::topics::plan_topic::check_category(&txn, input.category, &ctx.ancestry).await?;
        let saved = save(&txn, &row, &revised, input.category, None, now).await?;
        let event = WireEvent::RectificationPlanRevised {
            plan: id.as_uuid(),
            compound: row.compound_id,
            measures: revised.measures.len(),
        };
        let fact = NewEvent::new(event, now, Audience::Public).actor(Some(actor.person)).place(revised.compound).text(
            "summary",
            Audience::Public,
            &revised.summary,
        );
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        plan_of(&saved)
    }

    /// The compound's street approves the plan (opening its topic and tasks) or sends it back with a reason.
    #[instrument(skip_all)]
    pub async fn review_rectification_plan(
        &self,
        actor: &Actor,
        id: RectificationPlanId,
        approve: bool,
        reason: Option<&str>,
    ) -> Result<Plan> {
        let txn = self.write().await?;
        let row = find(&txn, id).await?;
        let place = find_kind(&txn, PlaceId::from_uuid(row.compound_id), PlaceKind::Compound).await?;
        let ctx = context_of(&txn, &place).await?;
        rectification::authorize_review(actor, &ctx)?;
        let now = self.clock.now();
        let stored = plan_of(&row)?;
        let (reviewed, topic, fact) = if approve {
            let approved = stored.plan.approve(actor.person, now)?;
            let opening = crate::topics::plan_topic::PlanTopic {
                plan: &approved,
                place: &ctx.ancestry,
                category: stored.category,
                compound_name: &place.name,
                reviewer: actor.person,
            };
            let topic = crate::topics::plan_topic::open_plan_topic(&txn, opening, &self.deadlines, now).await?;
            let event = WireEvent::RectificationPlanApproved {
                plan: id.as_uuid(),
                compound: row.compound_id,
                topic: topic.as_uuid(),
                tasks: approved.measures.len(),
            };
            (approved, Some(topic), NewEvent::new(event, now, Audience::Public))
        } else {
            let reason = reason.ok_or(gongzhi_domain::Invalid::Required { field: "reason" })?;
            let back = stored.plan.send_back(actor.person, reason, now)?;
            let text = match &back.state {
                PlanState::SentBack { reason, .. } => reason.clone(),
                _ => String::new(),
            };
            let event = WireEvent::RectificationPlanSentBack { plan: id.as_uuid(), compound: row.compound_id };
            (back, None, NewEvent::new(event, now, Audience::Public).text("reason", Audience::Public, &text))
        };
        let saved = save(&txn, &row, &reviewed, stored.category, topic, now).await?;
        crate::event_log::record(&txn, fact.actor(Some(actor.person)).place(reviewed.compound)).await?;
        txn.commit().await?;
        plan_of(&saved)
    }

    /// The compound's plans, latest first: public, as the problem list is.
    pub async fn rectification_plans(&self, compound: PlaceId) -> Result<Vec<Plan>> {
        let rows = plan_row::Entity::find()
            .filter(plan_row::Column::CompoundId.eq(compound.as_uuid()))
            .order_by_desc(plan_row::Column::Quarter)
            .all(&self.db)
            .await?;
        rows.iter().map(plan_of).collect()
    }

    /// One plan by id.
    pub async fn rectification_plan(&self, id: RectificationPlanId) -> Result<Plan> {
        plan_of(&find(&self.db, id).await?)
    }
}

//! 一院一案 (seed 002): each listed problem compound gets one rectification plan. The residents' committee of
//! the compound's community drafts it: a summary and its measures, each owned by one of the five parties
//! with a deadline; the street reviews it, approving it or sending it back with a reason, and a plan sent
//! back is revised and submitted again. An approved plan's measures become tasks (decision 118), so the
//! task machinery — progress reports, supervision letters, acceptance — runs them unchanged.

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::Denied;
use crate::Invalid;
use crate::ids::{PersonId, PlaceId, RectificationPlanId, TaskId, TopicId};
use crate::person::bounded_text;
use crate::place::{PlaceContext, PlaceKind};
use crate::policy::Actor;
use crate::role::Role;
use crate::task::{Task, TaskError};
use crate::topic::Party;

use super::Quarter;

/// More measures than a plan a street can review in one sitting is a sign of a list, not a plan.
pub const MAX_MEASURES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RectificationError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Measure(#[from] TaskError),
    #[error("the compound is not a listed problem compound")]
    NotListed,
    #[error("the compound already has a rectification plan for this listing")]
    AlreadyPlanned,
    #[error("a plan needs between 1 and {MAX_MEASURES} measures")]
    Measures,
    #[error("the plan is {state}")]
    WrongState { state: &'static str },
}

impl RectificationError {
    pub const fn code(&self) -> &'static str {
        match self {
            RectificationError::Invalid(_) => "invalid",
            RectificationError::Measure(err) => err.code(),
            RectificationError::NotListed => "not_a_problem_compound",
            RectificationError::AlreadyPlanned => "plan_exists",
            RectificationError::Measures => "plan_measures",
            RectificationError::WrongState { .. } => "wrong_state",
        }
    }
}

/// Drafting (and revising): staff of the residents' committee or party secretary of the compound's
/// community — not residents, owners' committees, the property company or officers above.
pub fn authorize_drafting(actor: &Actor, compound: &PlaceContext) -> Result<(), Denied> {
    let here = compound.ancestry.kind() == PlaceKind::Compound;
    if here && actor.holds_at(compound, Role::is_community_staff) { Ok(()) } else { Err(Denied::Forbidden) }
}

/// Reviewing: officers of the compound's street.
pub fn authorize_review(actor: &Actor, compound: &PlaceContext) -> Result<(), Denied> {
    let here = compound.ancestry.kind() == PlaceKind::Compound;
    if here && actor.holds_at(compound, |role| role == Role::StreetOfficer) { Ok(()) } else { Err(Denied::Forbidden) }
}

/// One measure: who does what by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub owner: Party,
    pub title: String,
    pub criteria: String,
    pub due_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanState {
    /// Waiting for the street.
    Submitted,
    Approved {
        at: DateTime<Utc>,
        by: PersonId,
    },
    SentBack {
        at: DateTime<Utc>,
        by: PersonId,
        reason: String,
    },
}

impl PlanState {
    pub const fn code(&self) -> &'static str {
        match self {
            PlanState::Submitted => "submitted",
            PlanState::Approved { .. } => "approved",
            PlanState::SentBack { .. } => "sent_back",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationPlan {
    pub id: RectificationPlanId,
    pub compound: PlaceId,
    /// The quarter whose listing the plan answers.
    pub quarter: Quarter,
    pub drafted_by: PersonId,
    pub summary: String,
    pub measures: Vec<Measure>,
    pub state: PlanState,
}

/// Checks each measure as the task it will become, so a plan the street approves can always be opened.
fn checked(measures: Vec<Measure>, now: DateTime<Utc>) -> Result<Vec<Measure>, RectificationError> {
    if measures.is_empty() || measures.len() > MAX_MEASURES {
        return Err(RectificationError::Measures);
    }
    let probe = TopicId::from_uuid(uuid::Uuid::nil());
    measures
        .into_iter()
        .map(|m| {
            let task =
                Task::new(TaskId::from_uuid(uuid::Uuid::nil()), probe, m.owner, &m.title, &m.criteria, m.due_at, now)?;
            Ok(Measure { owner: m.owner, title: task.title, criteria: task.criteria, due_at: m.due_at })
        })
        .collect()
}

/// What storage knows of the compound when a plan is drafted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    /// The compound's latest computed quarter in which it is listed, if it is listed.
    pub listed_in: Option<Quarter>,
    /// A plan already exists for that listing.
    pub planned: bool,
}

impl RectificationPlan {
    pub fn draft(
        id: RectificationPlanId,
        compound: PlaceId,
        listing: Listing,
        drafted_by: PersonId,
        summary: &str,
        measures: Vec<Measure>,
        now: DateTime<Utc>,
    ) -> Result<Self, RectificationError> {
        let quarter = listing.listed_in.ok_or(RectificationError::NotListed)?;
        if listing.planned {
            return Err(RectificationError::AlreadyPlanned);
        }
        Ok(Self {
            id,
            compound,
            quarter,
            drafted_by,
            summary: bounded_text("summary", summary, 2_000)?,
            measures: checked(measures, now)?,
            state: PlanState::Submitted,
        })
    }

    fn wrong(&self) -> RectificationError {
        RectificationError::WrongState { state: self.state.code() }
    }

    /// The street approves; the caller opens the plan's tasks ([`Self::tasks`]) in the same transaction.
    pub fn approve(mut self, by: PersonId, now: DateTime<Utc>) -> Result<Self, RectificationError> {
        if self.state != PlanState::Submitted {
            return Err(self.wrong());
        }
        self.state = PlanState::Approved { at: now, by };
        Ok(self)
    }

    /// The street sends the plan back, saying why.
    pub fn send_back(mut self, by: PersonId, reason: &str, now: DateTime<Utc>) -> Result<Self, RectificationError> {
        if self.state != PlanState::Submitted {
            return Err(self.wrong());
        }
        self.state = PlanState::SentBack { at: now, by, reason: bounded_text("reason", reason, 500)? };
        Ok(self)
    }

    /// The residents' committee revises a plan sent back and submits it again.
    pub fn revise(
        mut self,
        summary: &str,
        measures: Vec<Measure>,
        now: DateTime<Utc>,
    ) -> Result<Self, RectificationError> {
        if !matches!(self.state, PlanState::SentBack { .. }) {
            return Err(self.wrong());
        }
        self.summary = bounded_text("summary", summary, 2_000)?;
        self.measures = checked(measures, now)?;
        self.state = PlanState::Submitted;
        Ok(self)
    }

    /// An approved plan's measures as open tasks of the plan's topic (due dates checked again against now:
    /// a measure that fell due while the street deliberated must be revised, not born late).
    pub fn tasks(
        &self,
        topic: TopicId,
        now: DateTime<Utc>,
        mut id: impl FnMut() -> TaskId,
    ) -> Result<Vec<Task>, RectificationError> {
        if !matches!(self.state, PlanState::Approved { .. }) {
            return Err(self.wrong());
        }
        let mut tasks = Vec::with_capacity(self.measures.len());
        for m in &self.measures {
            tasks.push(Task::new(id(), topic, m.owner, &m.title, &m.criteria, m.due_at, now)?);
        }
        Ok(tasks)
    }
}

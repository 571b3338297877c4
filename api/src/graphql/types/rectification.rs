//! A problem compound's rectification plan (一院一案, decision 118), public as the problem list is.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::rectification::PlanState;
use gongzhi_infra::accountability::rectification::Plan;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::types::enums::Party;
use crate::graphql::types::place::Place;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum RectificationPlanState {
    /// Waiting for the street's review.
    Submitted,
    /// Approved: its measures are the tasks of its topic.
    Approved,
    /// Sent back with a reason; the residents' committee revises it.
    SentBack,
}

/// One measure: who does what, checked how, by when.
#[derive(SimpleObject)]
pub struct RectificationMeasure {
    owner: Party,
    title: String,
    criteria: String,
    due_at: DateTime<Utc>,
}

pub struct RectificationPlan(pub Plan);

#[Object]
impl RectificationPlan {
    async fn id(&self) -> ID {
        encode(NodeType::RectificationPlan, self.0.plan.id.as_uuid())
    }

    async fn compound(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.plan.compound).await.gql()?.map(Place))
    }

    /// The quarter whose listing the plan answers.
    async fn quarter(&self) -> String {
        self.0.plan.quarter.code()
    }

    async fn state(&self) -> RectificationPlanState {
        match self.0.plan.state {
            PlanState::Submitted => RectificationPlanState::Submitted,
            PlanState::Approved { .. } => RectificationPlanState::Approved,
            PlanState::SentBack { .. } => RectificationPlanState::SentBack,
        }
    }

    async fn summary(&self) -> &str {
        &self.0.plan.summary
    }

    async fn measures(&self) -> Vec<RectificationMeasure> {
        self.0
            .plan
            .measures
            .iter()
            .map(|m| RectificationMeasure {
                owner: m.owner.into(),
                title: m.title.clone(),
                criteria: m.criteria.clone(),
                due_at: m.due_at,
            })
            .collect()
    }

    async fn category_id(&self) -> ID {
        encode(NodeType::Category, self.0.category.as_uuid())
    }

    async fn drafted_at(&self) -> DateTime<Utc> {
        self.0.drafted_at
    }

    /// When the street approved it or sent it back.
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        match self.0.plan.state {
            PlanState::Submitted => None,
            PlanState::Approved { at, .. } | PlanState::SentBack { at, .. } => Some(at),
        }
    }

    /// Why the street sent it back.
    async fn reason(&self) -> Option<&str> {
        match &self.0.plan.state {
            PlanState::SentBack { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// Once approved: the plan's topic, whose tasks are the measures (read it with `node(id:)`).
    async fn topic_id(&self) -> Option<ID> {
        self.0.topic.map(|t| encode(NodeType::Topic, t.as_uuid()))
    }
}

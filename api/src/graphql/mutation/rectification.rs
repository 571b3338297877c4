//! 一院一案 (decision 118): the residents' committee drafts and revises a problem compound's rectification
//! plan; the street approves it (its measures become tasks of the plan's topic) or sends it back.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::rectification::Measure;
use gongzhi_domain::ids::{CategoryId, PlaceId, RectificationPlanId};
use gongzhi_infra::accountability::rectification::PlanInput;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::enums::Party;
use crate::graphql::types::rectification::RectificationPlan;

#[derive(Default)]
pub struct RectificationMutation;

#[derive(InputObject)]
pub struct RectificationMeasureInput {
    /// The party that carries the measure out (one of the five).
    owner: Party,
    title: String,
    /// What "done" means, as the residents' committee will check it.
    criteria: String,
    due_at: DateTime<Utc>,
}

#[derive(InputObject)]
pub struct RectificationPlanInput {
    /// The catalogue category the plan's topic is filed under (the compound's community's).
    category_id: ID,
    summary: String,
    measures: Vec<RectificationMeasureInput>,
}

fn input_of(input: RectificationPlanInput) -> async_graphql::Result<PlanInput> {
    let category: CategoryId = decode(NodeType::Category, &input.category_id).gql()?;
    let measures = input
        .measures
        .into_iter()
        .map(|m| Measure { owner: m.owner.into(), title: m.title, criteria: m.criteria, due_at: m.due_at })
        .collect();
    Ok(PlanInput { category, summary: input.summary, measures })
}

fn plan_id(id: &ID) -> async_graphql::Result<RectificationPlanId> {
    decode(NodeType::RectificationPlan, id).gql()
}

#[Object]
impl RectificationMutation {
    /// The residents' committee of the compound's community drafts the plan for a listed problem compound
    /// (one per listing); it goes to the street for review.
    async fn draft_rectification_plan(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        input: RectificationPlanInput,
    ) -> async_graphql::Result<RectificationPlan> {
        let actor = ctx.actor().await?;
        let compound: PlaceId = decode(NodeType::Place, &compound_id).gql()?;
        let input = input_of(input)?;
        Ok(RectificationPlan(ctx.store().draft_rectification_plan(actor, compound, input).await.gql()?))
    }

    /// The residents' committee revises a plan the street sent back and submits it again.
    async fn revise_rectification_plan(
        &self,
        ctx: &Context<'_>,
        plan_id: ID,
        input: RectificationPlanInput,
    ) -> async_graphql::Result<RectificationPlan> {
        let actor = ctx.actor().await?;
        let id = self::plan_id(&plan_id)?;
        let input = input_of(input)?;
        Ok(RectificationPlan(ctx.store().revise_rectification_plan(actor, id, input).await.gql()?))
    }

    /// The compound's street approves the plan — opening its topic, whose tasks are the measures — or
    /// sends it back (`approve: false`) with a reason.
    async fn review_rectification_plan(
        &self,
        ctx: &Context<'_>,
        plan_id: ID,
        approve: bool,
        reason: Option<String>,
    ) -> async_graphql::Result<RectificationPlan> {
        let actor = ctx.actor().await?;
        let id = self::plan_id(&plan_id)?;
        let reviewed = ctx.store().review_rectification_plan(actor, id, approve, reason.as_deref()).await.gql()?;
        Ok(RectificationPlan(reviewed))
    }
}

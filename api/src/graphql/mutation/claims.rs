use async_graphql::{Context, ID, Object};
use gongzhi_domain::ids::{HouseholdClaimId, PlaceId};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::claim::HouseholdClaim;
use crate::graphql::types::enums::ClaimRelation;
use crate::graphql::types::payload::{ClaimPayload, answer};

#[derive(Default)]
pub struct ClaimMutation;

#[Object]
impl ClaimMutation {
    /// Says "I live in / own this household"; the residents' committee or property staff confirm it.
    async fn claim_household(
        &self,
        ctx: &Context<'_>,
        household_id: ID,
        relation: ClaimRelation,
        note: Option<String>,
    ) -> async_graphql::Result<ClaimPayload> {
        let actor = ctx.actor().await?;
        let household: PlaceId = decode(NodeType::Place, &household_id).gql()?;
        let result = ctx.store().claim_household(actor, household, relation.into(), note.as_deref()).await;
        answer(ctx, result, HouseholdClaim)
    }

    /// Confirms a claim, granting the resident or owner role. An owner claim on a unit whose imported owner
    /// record is the claimant (same phone, else same name or the name in the claim's note; exactly one)
    /// merges that record into the claimant: its units, places on votes' rolls, ballots and mandates.
    async fn confirm_claim(&self, ctx: &Context<'_>, claim_id: ID) -> async_graphql::Result<ClaimPayload> {
        let actor = ctx.actor().await?;
        let claim: HouseholdClaimId = decode(NodeType::HouseholdClaim, &claim_id).gql()?;
        answer(ctx, ctx.store().decide_claim(actor, claim, true, None).await, HouseholdClaim)
    }

    /// Rejects a claim with a reason the claimant sees.
    async fn reject_claim(
        &self,
        ctx: &Context<'_>,
        claim_id: ID,
        reason: String,
    ) -> async_graphql::Result<ClaimPayload> {
        let actor = ctx.actor().await?;
        let claim: HouseholdClaimId = decode(NodeType::HouseholdClaim, &claim_id).gql()?;
        answer(ctx, ctx.store().decide_claim(actor, claim, false, Some(&reason)).await, HouseholdClaim)
    }

    /// The claimant withdraws a pending claim.
    async fn withdraw_claim(&self, ctx: &Context<'_>, claim_id: ID) -> async_graphql::Result<ClaimPayload> {
        let actor = ctx.actor().await?;
        let claim: HouseholdClaimId = decode(NodeType::HouseholdClaim, &claim_id).gql()?;
        answer(ctx, ctx.store().withdraw_claim(actor, claim).await, HouseholdClaim)
    }
}

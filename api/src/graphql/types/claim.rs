use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::claim::{ClaimStatus as DomainStatus, HouseholdClaim as Inner};

use super::enums::{ClaimRelation, ClaimStatus};
use super::person::Person;
use super::place::Place;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};

/// A person's claim to live in or own a household, awaiting or after review.
pub struct HouseholdClaim(pub Inner);

#[Object]
impl HouseholdClaim {
    pub async fn id(&self) -> ID {
        encode(NodeType::HouseholdClaim, self.0.id)
    }

    async fn claimant(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.person).await.gql()?.map(Person))
    }

    async fn household(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.household).await.gql()?.map(Place))
    }

    async fn relation(&self) -> ClaimRelation {
        self.0.relation.into()
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn status(&self) -> ClaimStatus {
        match self.0.status {
            DomainStatus::Pending => ClaimStatus::Pending,
            DomainStatus::Confirmed { .. } => ClaimStatus::Confirmed,
            DomainStatus::Rejected { .. } => ClaimStatus::Rejected,
            DomainStatus::Withdrawn { .. } => ClaimStatus::Withdrawn,
        }
    }

    /// Why it was rejected: the claimant sees this.
    async fn rejection_reason(&self) -> Option<&str> {
        match &self.0.status {
            DomainStatus::Rejected { reason, .. } => Some(reason),
            _ => None,
        }
    }

    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        match self.0.status {
            DomainStatus::Pending => None,
            DomainStatus::Confirmed { at, .. } | DomainStatus::Rejected { at, .. } | DomainStatus::Withdrawn { at } => {
                Some(at)
            }
        }
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

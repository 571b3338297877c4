use async_graphql::{Context, ID, Object};
use gongzhi_domain::person::Phone;
use gongzhi_infra::people::Person as Inner;

use super::claim::HouseholdClaim;
use super::role_grant::RoleGrant;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::{ClaimsLoader, GrantsLoader};
use crate::graphql::preload;

/// A person. Others see a person only where they may see the office or register the person is in.
pub struct Person(pub Inner);

#[Object]
impl Person {
    pub async fn id(&self) -> ID {
        encode(NodeType::Person, self.0.id)
    }

    /// The name they gave, or the register's.
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// Masked (138****8000): enough for staff to recognise, not to misuse.
    async fn phone_masked(&self) -> Option<String> {
        self.0.phone.as_deref().and_then(|p| Phone::parse(p).ok()).map(|p| p.masked())
    }

    /// Live role grants. Only the person themselves sees their full list.
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoleGrant>> {
        let actor = ctx.actor().await?;
        if actor.person != self.0.id {
            return Err(crate::error::ApiError::Forbidden.into_graphql());
        }
        let grants = ctx.loader::<GrantsLoader>()?.load_one(self.0.id).await.gql()?.unwrap_or_default();
        preload::grants(ctx, ctx.look_ahead(), &grants).await?;
        Ok(grants.into_iter().map(RoleGrant).collect())
    }

    /// Their household claims, newest first; only for themselves.
    async fn claims(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<HouseholdClaim>> {
        let actor = ctx.actor().await?;
        if actor.person != self.0.id {
            return Err(crate::error::ApiError::Forbidden.into_graphql());
        }
        let claims = ctx.loader::<ClaimsLoader>()?.load_one(actor.person).await.gql()?.unwrap_or_default();
        preload::claims(ctx, ctx.look_ahead(), &claims).await?;
        Ok(claims.into_iter().map(HouseholdClaim).collect())
    }
}

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use gongzhi_infra::roles::RoleGrant as Inner;

use super::company::PropertyCompany;
use super::enums::Role;
use super::person::Person;
use super::place::Place;
use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::CompanyLoader;

/// A role held by a person at a place, with who granted it and when.
pub struct RoleGrant(pub Inner);

#[Object]
impl RoleGrant {
    pub async fn id(&self) -> ID {
        encode(NodeType::RoleGrant, self.0.id)
    }

    async fn role(&self) -> Role {
        self.0.role.into()
    }

    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.person).await.gql()?.map(Person))
    }

    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.place).await.gql()?.map(Place))
    }

    /// Property roles: the company the person works for.
    async fn company(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PropertyCompany>> {
        let Some(company) = self.0.company else { return Ok(None) };
        let company = ctx.loader::<CompanyLoader>()?.load_one(company).await.gql()?;
        company.map(PropertyCompany).map(Some).ok_or_else(|| ApiError::NotFound.into_graphql())
    }

    /// `null` when granted by the operator (register import, demo seed).
    async fn granted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        let Some(granter) = self.0.granted_by else { return Ok(None) };
        Ok(ctx.people()?.load_one(granter).await.gql()?.map(Person))
    }

    async fn granted_at(&self) -> DateTime<Utc> {
        self.0.granted_at
    }

    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    async fn revoke_reason(&self) -> Option<&str> {
        self.0.revoke_reason.as_deref()
    }
}

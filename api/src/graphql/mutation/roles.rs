use async_graphql::{Context, ID, InputObject, Object};
use gongzhi_domain::ids::{PersonId, PlaceId, RoleGrantId};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::enums::Role;
use crate::graphql::types::payload::{RoleGrantPayload, answer};
use crate::graphql::types::role_grant::RoleGrant;

#[derive(Default)]
pub struct RoleMutation;

#[derive(InputObject)]
pub struct GrantRoleInput {
    person_id: ID,
    role: Role,
    /// A place of the role's kind (households for residents and owners, buildings for building leaders,
    /// compounds for committees and property staff, communities for community staff, …).
    place_id: ID,
    /// Retrying with the same key returns the first result and grants nothing more (see docs/api.md).
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[Object]
impl RoleMutation {
    /// Grants a role within the granter's jurisdiction.
    async fn grant_role(&self, ctx: &Context<'_>, input: GrantRoleInput) -> async_graphql::Result<RoleGrantPayload> {
        let actor = ctx.actor().await?;
        let person: PersonId = decode(NodeType::Person, &input.person_id).gql()?;
        let place: PlaceId = decode(NodeType::Place, &input.place_id).gql()?;
        answer(ctx, ctx.store().grant_role(actor, person, input.role.into(), place).await, RoleGrant)
    }

    /// Revokes a grant; it stays in the history with who revoked it, when and why.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        grant_id: ID,
        reason: Option<String>,
    ) -> async_graphql::Result<RoleGrantPayload> {
        let actor = ctx.actor().await?;
        let grant: RoleGrantId = decode(NodeType::RoleGrant, &grant_id).gql()?;
        answer(ctx, ctx.store().revoke_role(actor, grant, reason.as_deref()).await, RoleGrant)
    }
}

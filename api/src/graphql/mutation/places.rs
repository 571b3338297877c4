use async_graphql::{Context, ID, InputObject, Object};
use gongzhi_domain::ids::{CompanyId, PlaceId};
use gongzhi_infra::places::PlaceInput;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::company::PropertyCompany;
use crate::graphql::types::enums::PlaceKind;
use crate::graphql::types::payload::{PlacePayload, PropertyCompanyPayload, answer};
use crate::graphql::types::place::Place;

#[derive(Default)]
pub struct PlaceMutation;

#[derive(InputObject)]
pub struct CreatePlaceInput {
    parent_id: ID,
    /// Must be the level just below the parent's.
    kind: PlaceKind,
    name: String,
    code: Option<String>,
    /// Households only, required there: exclusive floor area in m², e.g. "89.56".
    area_m2: Option<String>,
    /// Retrying with the same key returns the first result and creates nothing more (see docs/api.md).
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct EditPlaceInput {
    id: ID,
    name: String,
    code: Option<String>,
    area_m2: Option<String>,
    /// See `CreatePlaceInput.idempotencyKey`.
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[Object]
impl PlaceMutation {
    /// Officers create places under their jurisdiction; community staff create compounds, buildings and
    /// households in their community.
    async fn create_place(&self, ctx: &Context<'_>, input: CreatePlaceInput) -> async_graphql::Result<PlacePayload> {
        let actor = ctx.actor().await?;
        let parent: PlaceId = decode(NodeType::Place, &input.parent_id).gql()?;
        let fields = PlaceInput { name: input.name, code: input.code, area_m2: input.area_m2 };
        answer(ctx, ctx.store().create_place(actor, parent, input.kind.into(), fields).await, Place)
    }

    async fn edit_place(&self, ctx: &Context<'_>, input: EditPlaceInput) -> async_graphql::Result<PlacePayload> {
        let actor = ctx.actor().await?;
        let id: PlaceId = decode(NodeType::Place, &input.id).gql()?;
        let fields = PlaceInput { name: input.name, code: input.code, area_m2: input.area_m2 };
        answer(ctx, ctx.store().edit_place(actor, id, fields).await, Place)
    }

    /// Street officers and above record the compound's owners' committee as filed, by its seats;
    /// `seats: null` records that there is none.
    async fn set_owners_committee(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        seats: Option<u16>,
    ) -> async_graphql::Result<PlacePayload> {
        let actor = ctx.actor().await?;
        let id: PlaceId = decode(NodeType::Place, &compound_id).gql()?;
        answer(ctx, ctx.store().set_owners_committee(actor, id, seats).await, Place)
    }

    /// Records the company holding the compound's property contract; `companyId: null` ends it.
    async fn assign_property_company(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        company_id: Option<ID>,
    ) -> async_graphql::Result<PlacePayload> {
        let actor = ctx.actor().await?;
        let id: PlaceId = decode(NodeType::Place, &compound_id).gql()?;
        let company: Option<CompanyId> =
            company_id.as_ref().map(|c| decode(NodeType::PropertyCompany, c)).transpose().gql()?;
        answer(ctx, ctx.store().assign_property_company(actor, id, company).await, Place)
    }

    async fn register_property_company(
        &self,
        ctx: &Context<'_>,
        name: String,
        credit_code: Option<String>,
    ) -> async_graphql::Result<PropertyCompanyPayload> {
        let actor = ctx.actor().await?;
        answer(ctx, ctx.store().register_company(actor, &name, credit_code.as_deref()).await, PropertyCompany)
    }
}

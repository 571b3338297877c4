//! The developer (建设单位) as a party to owners' votes: staff record a compound's developer and its
//! representative, and mark the units it still holds (decision 51).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, PlaceId};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode, encode};
use crate::graphql::types::person::Person;
use crate::graphql::types::place::Place;

#[derive(Default)]
pub struct DeveloperMutation;

#[derive(InputObject)]
pub struct CompoundDeveloperInput {
    compound_id: ID,
    /// The organisation, e.g. "邯郸市安居房地产开发有限公司".
    name: String,
    /// Who casts the developer's one ballot for all the units it holds.
    representative_id: Option<ID>,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

/// The developer of a compound: one owner by head for all the units it holds.
pub struct CompoundDeveloper(gongzhi_infra::developers::Developer);

#[Object]
impl CompoundDeveloper {
    async fn compound_id(&self) -> ID {
        encode(NodeType::Place, self.0.compound)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn representative(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        let Some(person) = self.0.representative else { return Ok(None) };
        Ok(ctx.people()?.load_one(person).await.gql()?.map(Person))
    }

    async fn set_at(&self) -> DateTime<Utc> {
        self.0.set_at
    }
}

#[derive(SimpleObject)]
pub struct DeveloperUnitPayload {
    unit: Option<Place>,
    /// Whether the unit is now marked as the developer's.
    developer_held: bool,
}

#[Object]
impl DeveloperMutation {
    /// Community staff record a compound's developer and its representative (replacing any before). Votes
    /// already open keep the representative they opened with.
    async fn set_compound_developer(
        &self,
        ctx: &Context<'_>,
        input: CompoundDeveloperInput,
    ) -> async_graphql::Result<CompoundDeveloper> {
        let actor = ctx.actor().await?;
        let compound: PlaceId = decode(NodeType::Place, &input.compound_id).gql()?;
        let representative =
            input.representative_id.map(|id| decode::<PersonId>(NodeType::Person, &id)).transpose().gql()?;
        let developer = ctx.store().set_compound_developer(actor, compound, &input.name, representative).await.gql()?;
        Ok(CompoundDeveloper(developer))
    }

    /// Community staff mark a unit the developer still holds (unsold, or sold but not delivered), or
    /// unmark it once delivered. Counted so from the next vote opened.
    async fn mark_developer_unit(
        &self,
        ctx: &Context<'_>,
        unit_id: ID,
        held: bool,
    ) -> async_graphql::Result<DeveloperUnitPayload> {
        let actor = ctx.actor().await?;
        let unit: PlaceId = decode(NodeType::Place, &unit_id).gql()?;
        let developer_held = ctx.store().mark_developer_unit(actor, unit, held).await.gql()?;
        let unit = ctx.places()?.load_one(unit).await.gql()?.map(Place);
        Ok(DeveloperUnitPayload { unit, developer_held })
    }
}

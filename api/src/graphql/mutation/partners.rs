//! The API partner registry, for city administrators: register a partner, rotate its secret, disable it.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PartnerId, PlaceId};
use gongzhi_infra::partners::NewPartner;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::partner::{ApiPartner, PartnerCredentials, PartnerKind, PartnerScope};
use crate::graphql::types::payload::{PartnerSecretPayload, answer};

#[derive(Default)]
pub struct PartnerMutation;

#[derive(InputObject)]
pub struct RegisterPartnerInput {
    pub name: String,
    pub kind: PartnerKind,
    /// It reads the topics of this place and every place below it; a city's id for the whole city.
    pub scope_place_id: ID,
    /// Its own budget of query-complexity points per rate-limit window; absent for the default.
    pub rate_points: Option<i32>,
    /// What it may read or do; `[TOPICS]` when absent.
    pub scopes: Option<Vec<PartnerScope>>,
}

#[Object]
impl PartnerMutation {
    /// City administrators: registers an API partner. The answer carries its client secret, this once.
    /// Idempotent: a partner of the same name with the same scope is answered as it is, with `created`
    /// false and no secret, and no second partner is made.
    async fn register_partner(
        &self,
        ctx: &Context<'_>,
        input: RegisterPartnerInput,
    ) -> async_graphql::Result<PartnerCredentials> {
        let actor = ctx.actor().await?;
        let scope: PlaceId = decode(NodeType::Place, &input.scope_place_id).gql()?;
        let new = NewPartner {
            name: input.name,
            kind: input.kind.into(),
            scope,
            rate_points: input.rate_points.map(i64::from),
            scopes: input.scopes.unwrap_or_else(|| vec![PartnerScope::Topics]).into_iter().map(Into::into).collect(),
        };
        let (record, issued) = ctx.store().register_partner(actor, &new).await.gql()?;
        Ok(match issued {
            Some(issued) => PartnerCredentials::new(record, issued),
            None => PartnerCredentials::existing(record),
        })
    }

    /// City administrators: replaces a partner's secret; the answer carries the new secret, this once.
    /// The old secret and the tokens issued under it stop working at once, or, with `oldSecretValidUntil`
    /// (after now, at most 7 days on), at that time, so the partner's systems move over without an outage.
    /// Refused with `partner_disabled` for a disabled partner.
    async fn rotate_partner_secret(
        &self,
        ctx: &Context<'_>,
        id: ID,
        old_secret_valid_until: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<PartnerSecretPayload> {
        let actor = ctx.actor().await?;
        let id: PartnerId = decode(NodeType::ApiPartner, &id).gql()?;
        let result = ctx.store().rotate_partner_secret(actor, id, old_secret_valid_until).await;
        if result.is_ok() {
            ctx.state().partners.forget(id).await;
        }
        answer(ctx, result, |(record, issued)| PartnerCredentials::new(record, issued))
    }

    /// City administrators: lets a disabled partner in again under a new secret, shown this once (the
    /// secret it was stopped with stays dead). Refused with `partner_active` for a partner not disabled.
    async fn enable_partner(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<PartnerSecretPayload> {
        let actor = ctx.actor().await?;
        let id: PartnerId = decode(NodeType::ApiPartner, &id).gql()?;
        let result = ctx.store().enable_partner(actor, id).await;
        if result.is_ok() {
            ctx.state().partners.forget(id).await;
        }
        answer(ctx, result, |(record, issued)| PartnerCredentials::new(record, issued))
    }

    /// City administrators: disables a partner; its secret and every token it holds stop working.
    async fn disable_partner(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiPartner> {
        let actor = ctx.actor().await?;
        let id: PartnerId = decode(NodeType::ApiPartner, &id).gql()?;
        let record = ctx.store().disable_partner(actor, id).await.gql()?;
        ctx.state().partners.forget(id).await;
        Ok(ApiPartner(record))
    }
}

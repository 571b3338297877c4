//! The mandates (委托) a person gave and holds.

use async_graphql::{Context, Object};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::types::mandate::Mandate;

#[derive(Default)]
pub struct MandateQuery;

#[Object]
impl MandateQuery {
    /// The mandates the logged-in person gave as an owner or holds as a proxy, newest first (at most 200),
    /// revoked ones included.
    async fn my_mandates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Mandate>> {
        let actor = ctx.actor().await?;
        Ok(ctx.store().my_mandates(actor.person).await.gql()?.into_iter().map(Mandate).collect())
    }
}

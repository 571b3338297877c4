//! The API partner registry, for city administrators.

use async_graphql::{Context, Object};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::types::partner::ApiPartner;

#[derive(Default)]
pub struct PartnerQuery;

#[Object]
impl PartnerQuery {
    /// City administrators: the API partners of their cities, oldest first, disabled ones included.
    async fn partners(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiPartner>> {
        let actor = ctx.actor().await?;
        Ok(ctx.store().partners(actor).await.gql()?.into_iter().map(ApiPartner).collect())
    }
}

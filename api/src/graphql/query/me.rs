use async_graphql::{Context, Object, SimpleObject};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::types::person::Person;

#[derive(Default)]
pub struct MeQuery;

/// A member of the demo cast, for `devLogin(as:)`.
#[derive(SimpleObject)]
pub struct DemoPerson {
    handle: &'static str,
    name: &'static str,
    summary: &'static str,
}

#[Object]
impl MeQuery {
    /// The logged-in person; their `roles` and `claims` list what they hold and have asked for.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        let actor = ctx.actor().await?;
        Ok(Person(ctx.store().person(actor.person).await.gql()?))
    }

    /// Demo profile only: who is who in the demo world, with the handle `devLogin` takes. Empty otherwise.
    async fn demo_cast(&self, ctx: &Context<'_>) -> Vec<DemoPerson> {
        if !ctx.state().settings.is_demo() {
            return Vec::new();
        }
        gongzhi_infra::demo::CAST
            .iter()
            .map(|c| DemoPerson { handle: c.handle, name: c.name, summary: c.summary })
            .collect()
    }
}

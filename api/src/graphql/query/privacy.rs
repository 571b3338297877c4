//! Who read a person's data (the access log) and the person's exports (issue 19).

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::PersonId;
use gongzhi_domain::privacy::access::AccessFilter;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, cursor, decode};
use crate::graphql::page::page_args;
use crate::graphql::types::privacy::{DataAccess, DataExport};

#[derive(Default)]
pub struct PrivacyQuery;

fn connection(
    mut accesses: Vec<gongzhi_infra::privacy::LoggedAccess>,
    limit: usize,
    after: bool,
) -> Connection<String, DataAccess> {
    let has_next = accesses.len() > limit;
    accesses.truncate(limit);
    let mut connection = Connection::new(after, has_next);
    connection.edges.extend(accesses.into_iter().map(|a| Edge::new(cursor(a.id), DataAccess(a))));
    connection
}

#[Object]
impl PrivacyQuery {
    /// Who read the logged-in person's data beyond what a neighbour sees, newest first.
    async fn my_data_accesses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, DataAccess>> {
        let actor = ctx.actor().await?;
        let page = page_args(first, after).gql()?;
        let accesses = ctx.store().my_data_accesses(actor, page.after, (page.limit + 1) as u64).await.gql()?;
        Ok(connection(accesses, page.limit, page.after.is_some()))
    }

    /// City administrators: the access log by the person whose data was read, who read it, and the period
    /// `[from, until)`, newest first. A reason is required; this read is logged too.
    #[allow(clippy::too_many_arguments)]
    async fn data_accesses(
        &self,
        ctx: &Context<'_>,
        reason: String,
        person_id: Option<ID>,
        actor_id: Option<ID>,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, DataAccess>> {
        let actor = ctx.actor().await?;
        let page = page_args(first, after).gql()?;
        let filter = AccessFilter {
            subject: person_id.as_ref().map(|id| decode::<PersonId>(NodeType::Person, id)).transpose().gql()?,
            actor: actor_id.as_ref().map(|id| decode::<PersonId>(NodeType::Person, id)).transpose().gql()?,
            from,
            until,
        };
        let accesses =
            ctx.store().data_accesses(actor, &filter, &reason, page.after, (page.limit + 1) as u64).await.gql()?;
        Ok(connection(accesses, page.limit, page.after.is_some()))
    }

    /// The logged-in person's exports of their data, newest first.
    async fn my_data_exports(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DataExport>> {
        let actor = ctx.actor().await?;
        Ok(ctx.store().my_data_exports(actor).await.gql()?.into_iter().map(DataExport).collect())
    }
}

//! Reading the three disclosures, their obligations, and verifying a place's chain. Public (居务公开):
//! anyone, logged in or not, reads what a place has disclosed and checks that nothing was changed.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object};
use gongzhi_domain::ids::{DisclosureId, PlaceId};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, cursor, decode};
use crate::graphql::page::page_args;
use crate::graphql::types::disclosure::{Disclosure, DisclosureChain, DisclosureKind, DisclosureObligation};

#[derive(Default)]
pub struct DisclosureQuery;

#[Object]
impl DisclosureQuery {
    /// A place's published versions (a community's minutes, a compound's 双晒 and committee reports), newest
    /// period first and each period's latest version first; at most 500 (two centuries of quarters).
    async fn disclosures(
        &self,
        ctx: &Context<'_>,
        place_id: ID,
        kind: Option<DisclosureKind>,
    ) -> async_graphql::Result<Vec<Disclosure>> {
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        let versions = ctx.store().disclosures_of(place, kind.map(Into::into)).await.gql()?;
        Ok(versions.into_iter().map(Disclosure).collect())
    }

    /// One version by its id.
    async fn disclosure(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Disclosure> {
        let id: DisclosureId = decode(NodeType::Disclosure, &id).gql()?;
        Ok(Disclosure(ctx.store().disclosure(id).await.gql()?))
    }

    /// Recomputes every hash of the place's chain from what is stored: `intact: false` names the first
    /// version that was changed, removed or reordered.
    async fn verify_disclosure_chain(&self, ctx: &Context<'_>, place_id: ID) -> async_graphql::Result<DisclosureChain> {
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        Ok(DisclosureChain(ctx.store().verify_disclosure_chain(place).await.gql()?))
    }

    /// The disclosures owed at the place and below it (a street sees its communities and compounds), latest
    /// due first, a page at a time: when each was due, whether and when it was published, the letters sent.
    async fn disclosure_obligations(
        &self,
        ctx: &Context<'_>,
        place_id: ID,
        #[graphql(default = false)] missing_only: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, DisclosureObligation>> {
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        let page = page_args(first, after).gql()?;
        let mut owed =
            ctx.store().owed_disclosures(place, missing_only, page.after, (page.limit + 1) as u64).await.gql()?;
        let has_next = owed.len() > page.limit;
        owed.truncate(page.limit);
        let mut connection = Connection::new(page.after.is_some(), has_next);
        connection.edges.extend(owed.into_iter().map(|o| Edge::new(cursor(o.id), DisclosureObligation(o))));
        Ok(connection)
    }
}

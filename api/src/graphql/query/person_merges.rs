//! Likely duplicate person records of a compound's register, for staff to merge (decision 52).

use async_graphql::{Context, ID, Object, SimpleObject};
use gongzhi_domain::ids::PlaceId;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::person::Person;

/// Two people of a compound likely to be one owner: the same name, and no two different phones.
#[derive(SimpleObject)]
pub struct LikelyDuplicate {
    first: Option<Person>,
    second: Option<Person>,
}

#[derive(Default)]
pub struct PersonMergeQuery;

#[Object]
impl PersonMergeQuery {
    /// For community staff: people holding roles in the compound's households who are likely one owner
    /// twice, to merge with `mergePeople`.
    async fn likely_duplicates(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
    ) -> async_graphql::Result<Vec<LikelyDuplicate>> {
        let actor = ctx.actor().await?;
        let compound: PlaceId = decode(NodeType::Place, &compound_id).gql()?;
        let pairs = ctx.store().likely_duplicates(actor, compound).await.gql()?;
        let people = ctx.people()?;
        let mut out = Vec::with_capacity(pairs.len());
        for pair in pairs {
            out.push(LikelyDuplicate {
                first: people.load_one(pair.first).await.gql()?.map(Person),
                second: people.load_one(pair.second).await.gql()?.map(Person),
            });
        }
        Ok(out)
    }
}

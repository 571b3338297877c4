//! A vote's secrecy: whether its ballot roll shows each unit's choice after the close.

use async_graphql::{Context, ID, Object};
use gongzhi_domain::ids::VoteId;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::mutation::votes::{BallotPayload, ballot_payload};

#[derive(Default)]
pub struct VoteSecrecyMutation;

#[Object]
impl VoteSecrecyMutation {
    /// The topic's leads make a vote secret (its roll never shows choices) or open (choices shown after
    /// the close, the default), until the first ballot is cast; then refused with `ballots_cast`.
    async fn set_ballot_secrecy(
        &self,
        ctx: &Context<'_>,
        vote_id: ID,
        secret: bool,
    ) -> async_graphql::Result<BallotPayload> {
        let actor = ctx.actor().await?;
        let id: VoteId = decode(NodeType::Vote, &vote_id).gql()?;
        let result = ctx.store().set_ballot_secrecy(actor, id, secret).await;
        ballot_payload(ctx, id, result, None).await
    }
}

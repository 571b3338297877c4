use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{MandateId, PersonId, PlaceId, TopicId, VoteId};
use gongzhi_domain::vote::VoteKind;
use gongzhi_infra::votes::{CastAs, NewVote, VoteRecord};

use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::enums::{Choice, OwnersMatter, VoteType};
use crate::graphql::types::payload::{OpenVotePayload, answer};
use crate::graphql::types::topic::Refusal;
use crate::graphql::types::vote::Vote;
use crate::topic_messages::ballot_refusal_message;

#[derive(Default)]
pub struct VoteMutation;

#[derive(InputObject)]
pub struct OpenVoteInput {
    topic_id: ID,
    r#type: VoteType,
    /// Owners' votes: which art. 278 matter is decided.
    matter: Option<OwnersMatter>,
    title: String,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    /// Keep counts hidden from everyone until the close.
    #[graphql(default)]
    hide_results: bool,
    /// Meeting votes: who is invited (the quorum's base).
    #[graphql(default)]
    invitee_ids: Vec<ID>,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct CastBallotInput {
    vote_id: ID,
    choice: Choice,
    /// Household votes: which of one's households, if one belongs to several.
    household_id: Option<ID>,
    /// Voting as proxy (委托) for this owner, under a mandate they gave (`grantMandate`) or staff recorded
    /// (`recordPaperMandate`) that covers this vote…
    on_behalf_of: Option<ID>,
    /// …or under this mandate, which names the owner.
    mandate_id: Option<ID>,
    /// Owners' votes: the developer's representative casts the developer's one ballot, for all the units
    /// it holds, rather than their own.
    #[graphql(default)]
    for_developer: bool,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct PaperBallotInput {
    vote_id: ID,
    /// The owner who signed it (or `forDeveloper`).
    owner_id: Option<ID>,
    /// The developer's signed ballot, for all the units it holds.
    #[graphql(default)]
    for_developer: bool,
    choice: Choice,
    /// Where the paper ballot came from (e.g. "纸质票第 12 号，楼长褚某收集").
    note: String,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

/// A ballot's outcome: `refusal` when the vote is not open (`vote_not_open`, `vote_closed`), or a proxy's
/// ballot is refused (`no_mandate`, `mandate_revoked`, `proxy_not_allowed`, `proxy_cap_reached`), or the
/// owner's own ballot stands (`owner_voted`).
#[derive(SimpleObject)]
pub struct BallotPayload {
    ok: bool,
    refusal: Option<Refusal>,
    vote: Option<Vote>,
}

/// The stable code of a refusal under the ballot and mandate rules.
pub(crate) fn refusal_code(refusal: &gongzhi_domain::vote::BallotRefusal) -> &'static str {
    use gongzhi_domain::vote::BallotRefusal as R;
    match refusal {
        R::NotYetOpen { .. } => "vote_not_open",
        R::Closed { .. } => "vote_closed",
        R::Window => "vote_window",
        R::BallotsCast => "ballots_cast",
        R::Mandate(mandate) => mandate.code(),
    }
}

pub(crate) async fn ballot_payload(
    ctx: &Context<'_>,
    id: VoteId,
    result: gongzhi_infra::Result<VoteRecord>,
    own: Option<gongzhi_domain::vote::Choice>,
) -> async_graphql::Result<BallotPayload> {
    match result {
        Ok(vote) => Ok(BallotPayload { ok: true, refusal: None, vote: Some(Vote(vote, own)) }),
        Err(gongzhi_infra::Error::Ballot(refusal)) => {
            let lang = ctx.request()?.lang;
            // Nothing changed: the request's idempotency key stays free for a corrected retry (decision 63).
            ctx.request()?.note_refusal();
            // Whoever was let vote sees the vote refused to them: the developer's representative and a
            // meeting's invitee may not see its topic.
            let vote = ctx.store().vote_for_voter(ctx.actor().await?, id).await.gql()?;
            let code = refusal_code(&refusal);
            let message = ballot_refusal_message(&refusal, lang);
            Ok(BallotPayload {
                ok: false,
                refusal: Some(Refusal { code: code.to_owned(), message }),
                vote: Some(vote.into()),
            })
        }
        Err(other) => Err(ApiError::from(other).into_graphql()),
    }
}

#[Object]
impl VoteMutation {
    /// Opens a vote on a topic under deliberation (the topic's leads); refused with `wrong_stage` when the
    /// topic is not deliberating.
    async fn open_vote(&self, ctx: &Context<'_>, input: OpenVoteInput) -> async_graphql::Result<OpenVotePayload> {
        let actor = ctx.actor().await?;
        let kind = match (input.r#type, input.matter) {
            (VoteType::Meeting, _) => VoteKind::Meeting,
            (VoteType::Household, _) => VoteKind::Household,
            (VoteType::Owners, Some(matter)) => VoteKind::Owners(matter.into()),
            (VoteType::Owners, None) => {
                return Err(ApiError::Invalid(gongzhi_domain::Invalid::Required { field: "matter" }).into_graphql());
            }
        };
        let mut invitees = Vec::with_capacity(input.invitee_ids.len());
        for id in &input.invitee_ids {
            invitees.push(decode::<PersonId>(NodeType::Person, id).gql()?);
        }
        let new = NewVote {
            topic: decode::<TopicId>(NodeType::Topic, &input.topic_id).gql()?,
            kind,
            title: input.title,
            opens_at: input.opens_at,
            closes_at: input.closes_at,
            hide_results: input.hide_results,
            invitees,
        };
        answer(ctx, ctx.store().open_vote(actor, new).await, Vote::from)
    }

    /// Casts or changes one's ballot (or a proxy's, with a mandate). The last ballot before the close counts.
    async fn cast_ballot(&self, ctx: &Context<'_>, input: CastBallotInput) -> async_graphql::Result<BallotPayload> {
        let actor = ctx.actor().await?;
        let id: VoteId = decode(NodeType::Vote, &input.vote_id).gql()?;
        let cast_as = match (input.on_behalf_of, input.mandate_id) {
            (None, None) if input.for_developer => CastAs::ForDeveloper,
            (None, None) => CastAs::Myself {
                household: input
                    .household_id
                    .as_ref()
                    .map(|h| decode::<PlaceId>(NodeType::Place, h))
                    .transpose()
                    .gql()?,
            },
            (owner, mandate) => CastAs::Proxy {
                owner: owner.map(|owner| decode::<PersonId>(NodeType::Person, &owner)).transpose().gql()?,
                mandate: mandate.map(|id| decode::<MandateId>(NodeType::Mandate, &id)).transpose().gql()?,
            },
        };
        // Cast for themselves, the choice is now the caller's own ballot.
        let own = matches!(cast_as, CastAs::Myself { .. }).then_some(input.choice.into());
        let result = ctx.store().cast_ballot(actor, id, input.choice.into(), cast_as).await;
        ballot_payload(ctx, id, result, own).await
    }

    /// Staff enter an owner's paper ballot, with a note of its origin.
    async fn enter_paper_ballot(
        &self,
        ctx: &Context<'_>,
        input: PaperBallotInput,
    ) -> async_graphql::Result<BallotPayload> {
        let actor = ctx.actor().await?;
        let id: VoteId = decode(NodeType::Vote, &input.vote_id).gql()?;
        let cast_as = match (input.owner_id, input.for_developer) {
            (None, true) => CastAs::DeveloperPaper { note: input.note },
            (Some(owner), false) => {
                CastAs::Paper { owner: decode::<PersonId>(NodeType::Person, &owner).gql()?, note: input.note }
            }
            _ => {
                return Err(ApiError::Invalid(gongzhi_domain::Invalid::Required { field: "ownerId or forDeveloper" })
                    .into_graphql());
            }
        };
        let result = ctx.store().cast_ballot(actor, id, input.choice.into(), cast_as).await;
        ballot_payload(ctx, id, result, None).await
    }
}

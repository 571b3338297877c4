//! Proxy mandates (委托): an owner gives one in the app, staff record a signed paper one with its scan,
//! and the owner revokes one until the proxy has voted under it. Refusals under the mandate rules are
//! payloads (`ok: false`, decision 49); bad input and permissions are errors.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::Invalid;
use gongzhi_domain::ids::{MandateId, PersonId, PlaceId, VoteId};
use gongzhi_infra::mandates::{MandateFor, MandateRecord, NewMandate, PaperMandate};

use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::mandate::Mandate;
use crate::graphql::types::topic::Refusal;
use crate::topic_messages::ballot_refusal_message;

#[derive(Default)]
pub struct MandateMutation;

/// What the mandate is for: one owners' vote (`voteId`), or every owners' vote of a compound whose
/// ballots fall between `validFrom` (default now) and `validUntil` (at most 366 days).
#[derive(InputObject)]
pub struct MandateScopeInput {
    vote_id: Option<ID>,
    compound_id: Option<ID>,
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct GrantMandateInput {
    /// Who will vote for the logged-in owner.
    proxy_id: ID,
    scope: MandateScopeInput,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct PaperMandateInput {
    owner_id: ID,
    proxy_id: ID,
    scope: MandateScopeInput,
    /// The upload key of the signed paper's scan, uploaded by the staff member recording it.
    scan_key: String,
    /// Where the paper is kept, who witnessed it.
    note: Option<String>,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

/// A mandate given, recorded or revoked; or `refusal` (`proxy_not_allowed`, `proxy_cap_reached`,
/// `mandate_revoked`, `mandate_used`, `vote_closed`).
#[derive(SimpleObject)]
pub struct MandatePayload {
    ok: bool,
    refusal: Option<Refusal>,
    mandate: Option<Mandate>,
}

fn scope_of(input: MandateScopeInput) -> async_graphql::Result<MandateFor> {
    match (input.vote_id, input.compound_id, input.valid_until) {
        (Some(vote), None, None) if input.valid_from.is_none() => {
            Ok(MandateFor::Vote(decode::<VoteId>(NodeType::Vote, &vote).gql()?))
        }
        (None, Some(compound), Some(until)) => Ok(MandateFor::Period {
            compound: decode::<PlaceId>(NodeType::Place, &compound).gql()?,
            from: input.valid_from,
            until,
        }),
        _ => Err(ApiError::Invalid(Invalid::Required { field: "scope: voteId, or compoundId with validUntil" })
            .into_graphql()),
    }
}

async fn payload(
    ctx: &Context<'_>,
    result: gongzhi_infra::Result<MandateRecord>,
) -> async_graphql::Result<MandatePayload> {
    match result {
        Ok(record) => Ok(MandatePayload { ok: true, refusal: None, mandate: Some(Mandate(record)) }),
        Err(gongzhi_infra::Error::Ballot(refusal)) => {
            let lang = ctx.request()?.lang;
            // Nothing changed: the request's idempotency key stays free for a corrected retry (decision 63).
            ctx.request()?.note_refusal();
            let code = crate::graphql::mutation::votes::refusal_code(&refusal);
            let message = ballot_refusal_message(&refusal, lang);
            Ok(MandatePayload { ok: false, refusal: Some(Refusal { code: code.to_owned(), message }), mandate: None })
        }
        Err(other) => Err(ApiError::from(other).into_graphql()),
    }
}

#[Object]
impl MandateMutation {
    /// An owner gives a proxy a mandate to vote for them (in one owners' vote, or for a period).
    async fn grant_mandate(
        &self,
        ctx: &Context<'_>,
        input: GrantMandateInput,
    ) -> async_graphql::Result<MandatePayload> {
        let actor = ctx.actor().await?;
        let new = NewMandate {
            proxy: decode::<PersonId>(NodeType::Person, &input.proxy_id).gql()?,
            scope: scope_of(input.scope)?,
            paper: None,
        };
        let result = ctx.store().grant_mandate(actor, new).await;
        payload(ctx, result).await
    }

    /// Staff who enter paper ballots record an owner's signed paper mandate, with its scan.
    async fn record_paper_mandate(
        &self,
        ctx: &Context<'_>,
        input: PaperMandateInput,
    ) -> async_graphql::Result<MandatePayload> {
        let actor = ctx.actor().await?;
        let new = NewMandate {
            proxy: decode::<PersonId>(NodeType::Person, &input.proxy_id).gql()?,
            scope: scope_of(input.scope)?,
            paper: Some(PaperMandate {
                owner: decode::<PersonId>(NodeType::Person, &input.owner_id).gql()?,
                scan_key: input.scan_key,
                note: input.note,
            }),
        };
        let result = ctx.store().grant_mandate(actor, new).await;
        payload(ctx, result).await
    }

    /// The owner revokes a mandate (or staff who record paper mandates, at the owner's request). A mandate
    /// for one vote is refused with `mandate_used` once the proxy has voted under it while that vote is
    /// open: vote yourself instead. A standing mandate is revoked at once for every vote to come; a ballot
    /// the proxy already cast stays counted until the owner votes themselves.
    async fn revoke_mandate(&self, ctx: &Context<'_>, mandate_id: ID) -> async_graphql::Result<MandatePayload> {
        let actor = ctx.actor().await?;
        let id: MandateId = decode(NodeType::Mandate, &mandate_id).gql()?;
        let result = ctx.store().revoke_mandate(actor, id).await;
        payload(ctx, result).await
    }
}

//! One owner, one person: staff merge two person records of a compound's register (audited) and undo a
//! merge until either person votes again (decision 52). Refusals are payloads (`both_log_in`,
//! `voted_since`, `already_undone`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::claim::MergeRefusal;
use gongzhi_domain::ids::{PersonId, PlaceId};
use gongzhi_infra::person_merge::PersonMerge as Inner;

use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode, encode};
use crate::graphql::types::person::Person;
use crate::graphql::types::topic::Refusal;
use crate::i18n::Lang;

#[derive(Default)]
pub struct PersonMergeMutation;

/// One person record merged into another.
pub struct PersonMerge(Inner);

#[Object]
impl PersonMerge {
    async fn id(&self) -> ID {
        encode(NodeType::PersonMerge, self.0.id)
    }

    /// The record merged away: it no longer holds anything.
    async fn from(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.from).await.gql()?.map(Person))
    }

    /// The person who now holds what the record held.
    async fn into(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.into).await.gql()?.map(Person))
    }

    async fn merged_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.merged_by).await.gql()?.map(Person))
    }

    async fn reason(&self) -> &str {
        &self.0.reason
    }

    async fn merged_at(&self) -> DateTime<Utc> {
        self.0.merged_at
    }

    async fn undone_at(&self) -> Option<DateTime<Utc>> {
        self.0.undone_at
    }
}

#[derive(InputObject)]
pub struct MergePeopleInput {
    /// The compound whose register both records are in.
    compound_id: ID,
    /// The record merged away (typically the imported one).
    from_id: ID,
    into_id: ID,
    /// Why: how staff know they are one owner (shown in the audit).
    reason: String,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct PersonMergePayload {
    ok: bool,
    refusal: Option<Refusal>,
    merge: Option<PersonMerge>,
}

fn message(refusal: MergeRefusal, lang: Lang) -> String {
    match refusal {
        MergeRefusal::BothLogIn => lang.pick(
            "两条记录都已登录使用，是两个人，不能合并",
            "Both records log in: they are two people and are not merged",
        ),
        MergeRefusal::VotedSince => lang.pick(
            "合并后已有一方投票，不能再撤销合并",
            "One of them has voted since the merge, so it can no longer be undone",
        ),
        MergeRefusal::AlreadyUndone => lang.pick("该合并已撤销", "This merge was already undone"),
    }
}

fn payload(ctx: &Context<'_>, outcome: Result<Inner, MergeRefusal>) -> async_graphql::Result<PersonMergePayload> {
    Ok(match outcome {
        Ok(merge) => PersonMergePayload { ok: true, refusal: None, merge: Some(PersonMerge(merge)) },
        Err(refusal) => {
            // Nothing changed: the request's idempotency key stays free for a corrected retry (decision 63).
            ctx.request()?.note_refusal();
            let message = message(refusal, ctx.request()?.lang);
            PersonMergePayload {
                ok: false,
                refusal: Some(Refusal { code: refusal.code().to_owned(), message }),
                merge: None,
            }
        }
    })
}

#[Object]
impl PersonMergeMutation {
    /// Community staff merge one person record into another: its units, places on open votes' rolls,
    /// ballots and mandates follow. Audited; undone with `undoPersonMerge` until either votes again.
    async fn merge_people(
        &self,
        ctx: &Context<'_>,
        input: MergePeopleInput,
    ) -> async_graphql::Result<PersonMergePayload> {
        let actor = ctx.actor().await?;
        let compound: PlaceId = decode(NodeType::Place, &input.compound_id).gql()?;
        let from: PersonId = decode(NodeType::Person, &input.from_id).gql()?;
        let into: PersonId = decode(NodeType::Person, &input.into_id).gql()?;
        let outcome = ctx.store().merge_people(actor, compound, from, into, &input.reason).await.gql()?;
        payload(ctx, outcome)
    }

    /// Community staff undo a merge, until either person has voted since (`voted_since`).
    async fn undo_person_merge(
        &self,
        ctx: &Context<'_>,
        compound_id: ID,
        merge_id: ID,
    ) -> async_graphql::Result<PersonMergePayload> {
        let actor = ctx.actor().await?;
        let compound: PlaceId = decode(NodeType::Place, &compound_id).gql()?;
        let merge: uuid::Uuid = decode(NodeType::PersonMerge, &merge_id).gql()?;
        let outcome =
            ctx.store().undo_merge(actor, compound, merge).await.map_err(|e| ApiError::from(e).into_graphql())?;
        payload(ctx, outcome)
    }
}

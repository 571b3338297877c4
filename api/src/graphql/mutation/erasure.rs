//! Closing an account (注销, issue 19; decisions 165–169): the person closes their own, typing the
//! confirmation; residents' committee staff (or a city administrator) record a person's request made in
//! writing or in person and carry it out. Refused while an office or proxy mandate is held (`CONFLICT`,
//! `extensions.reason` `HOLDS_OFFICE` with `extensions.office`, or `HOLDS_MANDATE`).

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{ErasureRequestId, PersonId};
use gongzhi_domain::privacy::erasure::PSEUDONYM;
use gongzhi_infra::privacy::{Erased, forget_in_log_file};
use uuid::Uuid;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode, encode};
use crate::graphql::types::erasure::ErasureRequest;
use crate::i18n::Lang;

#[derive(Default)]
pub struct ErasureMutation;

/// What closing the account did.
#[derive(SimpleObject)]
pub struct AccountClosed {
    /// The person's id, which stays on the community's records.
    person_id: ID,
    /// What the person is shown as from now on.
    shown_as: String,
    closed_at: DateTime<Utc>,
    /// The units whose owner the residents' committee keeps on the register by law, now under the pseudonym.
    register_kept: Vec<ID>,
    /// What happened, in the request's language, including what the register keeps.
    notice: String,
}

fn notice(erased: &Erased, lang: Lang) -> String {
    let kept = erased.register_kept.len();
    if kept == 0 {
        lang.pick(
            "账号已注销：您的姓名、手机号和微信身份已删除，您公开发表的内容和投出的票保留为社区记录，显示为“已注销用户”。",
            "The account is closed: your name, phone number and WeChat identity are erased; what you published and \
             the ballots you cast stay as the community's record, shown as 已注销用户.",
        )
    } else {
        lang.pick(
            format!(
                "账号已注销：您的姓名、手机号和微信身份已删除。依法由居委会保存的业主名册仍记载您名下的 {kept} 套房屋的业主身份（显示为“已注销用户”）。"
            ),
            format!(
                "The account is closed: your name, phone number and WeChat identity are erased. The owners' register, \
                 which the residents' committee keeps by law, still records you as owner of {kept} unit(s), shown as 已注销用户."
            ),
        )
    }
}

/// After the commit: the stores outside the database (files, caches, the outbox's log file).
async fn sweep(ctx: &Context<'_>, erased: &Erased) -> async_graphql::Result<()> {
    let state = ctx.state();
    let report = ctx.store().sweep_erased(&erased.traces, state.blobs.as_ref()).await;
    if !report.files_left.is_empty() || report.shared_cache_missed {
        tracing::warn!(files = report.files_left.len(), cache = report.shared_cache_missed, "erasure sweep incomplete");
    }
    if state.settings.outbox.gateway_url.is_none()
        && let Err(err) = forget_in_log_file(state.settings.outbox.log_path.as_ref(), &erased.traces.needles).await
    {
        tracing::warn!(error = %err, "the outbox log file could not be rewritten after an erasure");
    }
    state.responses.clear();
    Ok(())
}

fn closed(ctx: &Context<'_>, erased: &Erased) -> async_graphql::Result<AccountClosed> {
    Ok(AccountClosed {
        person_id: encode(NodeType::Person, erased.person.as_uuid()),
        shown_as: PSEUDONYM.to_owned(),
        closed_at: erased.at,
        register_kept: erased.register_kept.iter().map(|p| encode(NodeType::Place, p.as_uuid())).collect(),
        notice: notice(erased, ctx.request()?.lang),
    })
}

#[Object]
impl ErasureMutation {
    /// Closes the logged-in person's account: type `注销` as `confirm`. Their identifiers are erased from
    /// every store and every session ends; what they published and the ballots they cast stay, under
    /// 已注销用户. Refused while they hold an office or a proxy mandate (hand it over first).
    async fn close_my_account(&self, ctx: &Context<'_>, confirm: String) -> async_graphql::Result<AccountClosed> {
        let actor = ctx.actor().await?;
        let erased = ctx.store().close_my_account(actor, &confirm).await.gql()?;
        sweep(ctx, &erased).await?;
        closed(ctx, &erased)
    }

    /// Records a person's request to be erased, made in writing or in person at the residents' committee.
    /// For the staff of a community where the person has or had a place, or the city's administrator.
    /// `note` is the request's reference (a document number, how it was made), never the person's details.
    async fn record_erasure_request(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<ErasureRequest> {
        let actor = ctx.actor().await?;
        let person = decode::<PersonId>(NodeType::Person, &person_id).gql()?;
        let request = ctx.store().record_erasure_request(actor, person, note.as_deref()).await.gql()?;
        Ok(ErasureRequest(request))
    }

    /// Carries out a recorded request: the same erasure as `closeMyAccount`, refused alike.
    async fn erase_on_request(&self, ctx: &Context<'_>, request_id: ID) -> async_graphql::Result<AccountClosed> {
        let actor = ctx.actor().await?;
        let id = Uuid::parse_str(request_id.as_str()).map_err(|_| gongzhi_infra::Error::NotFound("erasure")).gql()?;
        let erased = ctx.store().erase_on_request(actor, ErasureRequestId::from_uuid(id)).await.gql()?;
        sweep(ctx, &erased).await?;
        closed(ctx, &erased)
    }
}

//! Publishing the three disclosures, correcting them, and questions (质询) and their answers. Each is one
//! transaction; a refusal (a total that does not add up, a second publication of a period, the wrong
//! party answering) changes nothing and carries its reason in `extensions.reason`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use gongzhi_domain::disclosure::{Fen, LineInput, Totals};
use gongzhi_domain::ids::{DisclosureId, DisclosureQuestionId, PlaceId};
use gongzhi_infra::content::Checked;
use gongzhi_infra::disclosures::Draft;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::content_hold::ContentHold;
use crate::graphql::types::disclosure::{Disclosure, DisclosureKind, DisclosureLineCategory, DisclosureQuestion};

#[derive(Default)]
pub struct DisclosureMutation;

/// One line as the publisher writes it.
#[derive(InputObject)]
pub struct DisclosureLineInput {
    /// Stable across corrections (letters, digits, '-', '_'; at most 40); defaults to the line's position.
    key: Option<String>,
    category: DisclosureLineCategory,
    label: String,
    /// Yuan with at most two decimals, as a string ("1234.50"); money lines only.
    amount: Option<String>,
    note: Option<String>,
}

/// What a version says. For MINUTES give no lines: they are the period's meetings and their minutes.
#[derive(InputObject)]
pub struct DisclosureContentInput {
    summary: String,
    #[graphql(default)]
    lines: Vec<DisclosureLineInput>,
    /// Yuan, as a string; must equal the sum of the income lines (PROPERTY_ACCOUNTS).
    total_income: Option<String>,
    /// Yuan, as a string; must equal the sum of the expense lines (PROPERTY_ACCOUNTS, COMMITTEE_FUNDS).
    total_expense: Option<String>,
    /// Storage keys of documents the publisher uploaded (`uploadDocument`, `uploadPhoto`).
    #[graphql(default)]
    attachments: Vec<String>,
}

#[derive(InputObject)]
pub struct PublishDisclosureInput {
    /// The community (MINUTES) or compound (PROPERTY_ACCOUNTS, COMMITTEE_FUNDS).
    place_id: ID,
    kind: DisclosureKind,
    /// The first day of the month (MINUTES) or quarter.
    period_start: NaiveDate,
    content: DisclosureContentInput,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct CorrectDisclosureInput {
    /// The version being corrected: it must be its period's latest.
    disclosure_id: ID,
    /// Why (更正理由); shown with the new version.
    reason: String,
    /// The whole corrected content; lines keep their keys so the change shows line by line.
    content: DisclosureContentInput,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct QuestionDisclosureInput {
    disclosure_id: ID,
    /// The key of the line questioned.
    line: String,
    text: String,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

/// A question as asked: shown at once (`question`), or held back by the content check (`held`, decision
/// 135): pending, seen by its author and the residents' committee only until it is published.
#[derive(SimpleObject)]
pub struct QuestionDisclosurePayload {
    question: Option<DisclosureQuestion>,
    held: Option<ContentHold>,
}

#[derive(InputObject)]
pub struct AnswerDisclosureQuestionInput {
    question_id: ID,
    answer: String,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

fn amount(given: Option<&str>) -> Result<Option<Fen>, gongzhi_infra::Error> {
    Ok(given.map(Fen::parse_yuan).transpose()?)
}

fn draft_of(content: DisclosureContentInput) -> Result<Draft, gongzhi_infra::Error> {
    let mut lines = Vec::with_capacity(content.lines.len());
    for line in content.lines {
        lines.push(LineInput {
            key: line.key,
            category: line.category.into(),
            label: line.label,
            amount: amount(line.amount.as_deref())?,
            note: line.note,
        });
    }
    Ok(Draft {
        summary: content.summary,
        lines,
        totals: Totals {
            income: amount(content.total_income.as_deref())?,
            expense: amount(content.total_expense.as_deref())?,
        },
        attachments: content.attachments,
    })
}

#[Object]
impl DisclosureMutation {
    /// The party that owes it publishes a period's disclosure, once: community staff the minutes, the
    /// property company under contract its 双晒, the owners' committee (or the residents' committee acting
    /// for it) its report. A second publication of the period is refused (`PUBLISHED_IS_IMMUTABLE`): publish
    /// a correction instead.
    async fn publish_disclosure(
        &self,
        ctx: &Context<'_>,
        input: PublishDisclosureInput,
    ) -> async_graphql::Result<Disclosure> {
        let actor = ctx.actor().await?;
        let place: PlaceId = decode(NodeType::Place, &input.place_id).gql()?;
        let draft = draft_of(input.content).gql()?;
        let version =
            ctx.store().publish_disclosure(actor, place, input.kind.into(), input.period_start, draft).await.gql()?;
        Ok(Disclosure(version))
    }

    /// A correction: the next version of the period, with its reason; the version corrected stays as it was.
    async fn correct_disclosure(
        &self,
        ctx: &Context<'_>,
        input: CorrectDisclosureInput,
    ) -> async_graphql::Result<Disclosure> {
        let actor = ctx.actor().await?;
        let of: DisclosureId = decode(NodeType::Disclosure, &input.disclosure_id).gql()?;
        let draft = draft_of(input.content).gql()?;
        Ok(Disclosure(ctx.store().correct_disclosure(actor, of, &input.reason, draft).await.gql()?))
    }

    /// A resident or owner of the place questions a line (质询); the publisher must answer within the
    /// configured days.
    async fn question_disclosure(
        &self,
        ctx: &Context<'_>,
        input: QuestionDisclosureInput,
    ) -> async_graphql::Result<QuestionDisclosurePayload> {
        let actor = ctx.actor().await?;
        let of: DisclosureId = decode(NodeType::Disclosure, &input.disclosure_id).gql()?;
        let rules = ctx.state().settings.disclosures.rules();
        let gate = ctx.state().content.on(ctx.store());
        Ok(match gate.question_disclosure(actor, of, &input.line, &input.text, &rules).await.gql()? {
            Checked::Published(question) => {
                QuestionDisclosurePayload { question: Some(DisclosureQuestion(question)), held: None }
            }
            Checked::Held(hold) => QuestionDisclosurePayload { question: None, held: Some(ContentHold(*hold)) },
        })
    }

    /// The party that published the version answers a question, once; anyone else is refused.
    async fn answer_disclosure_question(
        &self,
        ctx: &Context<'_>,
        input: AnswerDisclosureQuestionInput,
    ) -> async_graphql::Result<DisclosureQuestion> {
        let actor = ctx.actor().await?;
        let id: DisclosureQuestionId = decode(NodeType::DisclosureQuestion, &input.question_id).gql()?;
        Ok(DisclosureQuestion(ctx.store().answer_disclosure_question(actor, id, &input.answer).await.gql()?))
    }
}

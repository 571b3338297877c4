//! Satisfaction surveys as clients see them: the questions, the count and rate, and the aggregate results
//! once they may be shown. No type here can carry a single response (decision 110).

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::decimal;
use gongzhi_domain::accountability::survey::{QuestionKind, Withheld};
use gongzhi_infra::accountability::surveys::Survey as StoredSurvey;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::types::place::Place;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SurveyQuestionKind {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    Rating,
    Single,
    Multiple,
    Text,
}

fn kind_of(kind: &QuestionKind) -> SurveyQuestionKind {
    match kind {
        QuestionKind::Rating => SurveyQuestionKind::Rating,
        QuestionKind::Single { .. } => SurveyQuestionKind::Single,
        QuestionKind::Multiple { .. } => SurveyQuestionKind::Multiple,
        QuestionKind::Text => SurveyQuestionKind::Text,
    }
}

#[derive(SimpleObject)]
pub struct SurveyQuestion {
    /// 1-based, as answers refer to it.
    number: i32,
    prompt: String,
    kind: SurveyQuestionKind,
    /// Choices only; answers name them by 0-based index.
    options: Vec<String>,
}

/// What one question's answers add up to.
#[derive(SimpleObject)]
pub struct SurveyQuestionResult {
    number: i32,
    prompt: String,
    kind: SurveyQuestionKind,
    /// Households that answered this question.
    answered: i32,
    /// Ratings: the mean to two decimals, e.g. "4.20".
    mean: Option<String>,
    /// Ratings: households per score 1–5; choices: households per option.
    distribution: Vec<i32>,
    /// Free texts, sorted (their order says nothing about who wrote them).
    texts: Vec<String>,
}

/// Why a survey's results are not shown.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ResultsWithheld {
    /// Still open: only the count is shown, since each new answer would show as the change between readings.
    StillOpen,
    /// Fewer households answered than the city's threshold (default 5).
    TooFewResponses,
}

pub struct Survey(pub StoredSurvey);

fn int(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

#[Object]
impl Survey {
    async fn id(&self) -> ID {
        encode(NodeType::Survey, self.0.id)
    }

    async fn compound(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.compound).await.gql()?.map(Place))
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    /// `2026Q4` for a quarterly survey; null for an ad hoc one.
    async fn quarter(&self) -> Option<String> {
        self.0.quarter.map(|q| q.code())
    }

    async fn questions(&self) -> Vec<SurveyQuestion> {
        self.0
            .questions
            .as_slice()
            .iter()
            .enumerate()
            .map(|(i, q)| SurveyQuestion {
                number: int(i + 1),
                prompt: q.prompt.clone(),
                kind: kind_of(&q.kind),
                options: q.kind.options().to_vec(),
            })
            .collect()
    }

    async fn opens_at(&self) -> DateTime<Utc> {
        self.0.window.opens_at
    }

    async fn closes_at(&self) -> DateTime<Utc> {
        self.0.window.closes_at
    }

    async fn closed(&self, ctx: &Context<'_>) -> bool {
        self.0.is_closed(ctx.store().clock().now())
    }

    /// Households of the compound when the survey opened.
    async fn households(&self) -> i32 {
        int(self.0.households)
    }

    /// Households that answered: the one figure shown while the survey is open.
    async fn responses(&self) -> i32 {
        int(self.0.responses)
    }

    /// Responses over households as a percentage to one decimal, e.g. "83.3".
    async fn response_rate(&self) -> String {
        decimal(self.0.responses * 100, u64::from(self.0.households), 1)
    }

    /// The fewest households whose answers may be shown, fixed when the survey opened.
    async fn min_responses(&self) -> i32 {
        int(self.0.min_responses)
    }

    /// Whether the viewer's household has answered, while the survey is open (null after the close,
    /// when nothing ties an answer to a household any more, and for those without a household here).
    async fn my_household_answered(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<bool>> {
        let actor = ctx.actor().await?;
        ctx.store().my_household_answered(actor, self.0.id).await.gql()
    }

    /// The aggregate results; null while withheld (see `resultsWithheld`).
    async fn results(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<SurveyQuestionResult>>> {
        let actor = ctx.actor().await?;
        let Ok(results) = ctx.store().survey_results(actor, self.0.id).await.gql()? else { return Ok(None) };
        Ok(Some(
            self.0
                .questions
                .as_slice()
                .iter()
                .zip(results.questions)
                .enumerate()
                .map(|(i, (q, r))| SurveyQuestionResult {
                    number: int(i + 1),
                    prompt: q.prompt.clone(),
                    kind: kind_of(&q.kind),
                    answered: int(r.answered),
                    mean: matches!(q.kind, QuestionKind::Rating).then(|| r.mean()).flatten(),
                    distribution: r.distribution.iter().map(|n| int(*n)).collect(),
                    texts: r.texts.clone(),
                })
                .collect(),
        ))
    }

    /// Why `results` is null, or null when they are shown.
    async fn results_withheld(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ResultsWithheld>> {
        let actor = ctx.actor().await?;
        Ok(match ctx.store().survey_results(actor, self.0.id).await.gql()? {
            Ok(_) => None,
            Err(Withheld::StillOpen) => Some(ResultsWithheld::StillOpen),
            Err(Withheld::TooFew { .. }) => Some(ResultsWithheld::TooFewResponses),
        })
    }
}

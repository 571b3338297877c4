//! Accountability steps: opening, answering and closing surveys; computing a city's quarter; the
//! warning list's due process (notice, appeal, blacklisting); a city's settings.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::credit::CreditWeights;
use gongzhi_domain::accountability::listing::ListingRules;
use gongzhi_domain::accountability::survey::{Answer, Question, QuestionKind};
use gongzhi_domain::accountability::{AccountabilityError, Quarter};
use gongzhi_domain::ids::{ListingId, PlaceId, SurveyId};
use gongzhi_infra::accountability::settings::AccountabilitySettings as Settings;
use gongzhi_infra::accountability::surveys::NewSurvey;

use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::credit::{CompanyListing, QuarterReport};
use crate::graphql::types::payload::{Payload, answer};
use crate::graphql::types::survey::{Survey, SurveyQuestionKind};
use crate::graphql::types::topic::Refusal;

#[derive(Default)]
pub struct AccountabilityMutation;

#[derive(InputObject)]
pub struct SurveyQuestionInput {
    prompt: String,
    kind: SurveyQuestionKind,
    /// SINGLE and MULTIPLE only: 2 to 10 options.
    options: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct OpenSurveyInput {
    compound_id: ID,
    title: String,
    /// `2026Q4` for the quarterly survey; omit for an ad hoc one.
    quarter: Option<String>,
    questions: Vec<SurveyQuestionInput>,
    /// Defaults to now.
    opens_at: Option<DateTime<Utc>>,
    closes_at: DateTime<Utc>,
    /// Retrying with the same key returns the first result and creates nothing more (see docs/api.md).
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

/// One answer: set the one field of the question's kind; a null entry skips the question.
#[derive(InputObject)]
pub struct SurveyAnswerInput {
    /// RATING: 1 to 5.
    rating: Option<i32>,
    /// SINGLE: the option's 0-based index.
    option: Option<i32>,
    /// MULTIPLE: the options' 0-based indexes.
    options: Option<Vec<i32>>,
    /// TEXT.
    text: Option<String>,
}

#[derive(InputObject)]
pub struct AnswerSurveyInput {
    survey_id: ID,
    /// Needed only by someone with more than one household in the compound.
    household_id: Option<ID>,
    /// One per question, in order.
    answers: Vec<Option<SurveyAnswerInput>>,
    /// See `OpenSurveyInput.idempotencyKey`.
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject, SimpleObject)]
#[graphql(input_name = "AccountabilitySettingsInput")]
pub struct AccountabilitySettings {
    #[graphql(skip_input)]
    city_id: Option<ID>,
    /// The fewest households whose survey answers may be shown (default 5).
    survey_min_responses: i32,
    /// Credit weights (defaults 30, 30, 20, 20).
    weight_ratings: i32,
    weight_on_time: i32,
    weight_disclosures: i32,
    weight_surveys: i32,
    /// Hundredths of a point off per reminder letter (default 200) and per warning letter (default 500).
    reminder_deduction_centi: i32,
    warning_deduction_centi: i32,
    /// A quarter's score below this, in hundredths (default 6000), lists the company.
    list_below_score_centi: i32,
    /// This many letters in twelve months list the company (default 3).
    list_at_letters: i32,
    /// Days to appeal a notice of blacklisting (default 15); days on the blacklist (default 365).
    appeal_days: i32,
    blacklist_days: i32,
}

fn settings_out(s: &Settings) -> AccountabilitySettings {
    let int = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    AccountabilitySettings {
        city_id: Some(crate::graphql::ids::encode(NodeType::Place, s.city)),
        survey_min_responses: int(i64::from(s.survey_min_responses)),
        weight_ratings: int(i64::from(s.weights.ratings)),
        weight_on_time: int(i64::from(s.weights.on_time)),
        weight_disclosures: int(i64::from(s.weights.disclosures)),
        weight_surveys: int(i64::from(s.weights.surveys)),
        reminder_deduction_centi: int(i64::from(s.weights.reminder_deduction_centi)),
        warning_deduction_centi: int(i64::from(s.weights.warning_deduction_centi)),
        list_below_score_centi: int(s.rules.score_below_centi),
        list_at_letters: int(i64::from(s.rules.letters_in_year)),
        appeal_days: int(s.rules.appeal_days),
        blacklist_days: int(s.rules.blacklist_days),
    }
}

fn bad(err: AccountabilityError) -> async_graphql::Error {
    ApiError::Accountability(err).into_graphql()
}

fn non_negative(field: &'static str, n: i32) -> async_graphql::Result<u32> {
    u32::try_from(n).map_err(|_| {
        ApiError::Invalid(gongzhi_domain::Invalid::UnknownValue { field, given: n.to_string() }).into_graphql()
    })
}

fn question_of(q: SurveyQuestionInput) -> Question {
    let options = q.options.unwrap_or_default();
    let kind = match q.kind {
        SurveyQuestionKind::Rating => QuestionKind::Rating,
        SurveyQuestionKind::Single => QuestionKind::Single { options },
        SurveyQuestionKind::Multiple => QuestionKind::Multiple { options },
        SurveyQuestionKind::Text => QuestionKind::Text,
    };
    Question { prompt: q.prompt, kind }
}

fn answer_of(number: usize, a: SurveyAnswerInput) -> async_graphql::Result<Answer> {
    let wrong = || bad(AccountabilityError::AnswerKind { question: number });
    let small = |n: i32| u8::try_from(n).map_err(|_| bad(AccountabilityError::NoSuchOption { question: number }));
    match (a.rating, a.option, a.options, a.text) {
        (Some(r), None, None, None) => {
            Ok(Answer::Rating(u8::try_from(r).map_err(|_| bad(AccountabilityError::RatingRange { question: number }))?))
        }
        (None, Some(o), None, None) => Ok(Answer::Single(small(o)?)),
        (None, None, Some(os), None) => Ok(Answer::Multiple(os.into_iter().map(small).collect::<Result<_, _>>()?)),
        (None, None, None, Some(t)) => Ok(Answer::Text(t)),
        _ => Err(wrong()),
    }
}

#[derive(SimpleObject)]
pub struct SurveyPayload {
    pub ok: bool,
    /// Why nothing was done, when `ok` is false: `survey_closed`, `survey_not_open`.
    pub refusal: Option<Refusal>,
    pub survey: Option<Survey>,
}

impl Payload for SurveyPayload {
    type Value = Survey;
    fn done(value: Survey) -> Self {
        Self { ok: true, refusal: None, survey: Some(value) }
    }
    fn refused(refusal: Refusal) -> Self {
        Self { ok: false, refusal: Some(refusal), survey: None }
    }
}

#[derive(SimpleObject)]
pub struct ListingPayload {
    pub ok: bool,
    /// `listing_state`, `appeal_window_open`, `appeal_window_closed`.
    pub refusal: Option<Refusal>,
    pub listing: Option<CompanyListing>,
}

impl Payload for ListingPayload {
    type Value = CompanyListing;
    fn done(value: CompanyListing) -> Self {
        Self { ok: true, refusal: None, listing: Some(value) }
    }
    fn refused(refusal: Refusal) -> Self {
        Self { ok: false, refusal: Some(refusal), listing: None }
    }
}

#[Object]
impl AccountabilityMutation {
    /// The residents' committee or the street opens a satisfaction survey (满意度测评) of a compound; its
    /// residents and owners are told there is a survey to answer.
    async fn open_survey(&self, ctx: &Context<'_>, input: OpenSurveyInput) -> async_graphql::Result<SurveyPayload> {
        let actor = ctx.actor().await?;
        let compound: PlaceId = decode(NodeType::Place, &input.compound_id).gql()?;
        let new = NewSurvey {
            compound,
            title: input.title,
            quarter: input.quarter,
            questions: input.questions.into_iter().map(question_of).collect(),
            opens_at: input.opens_at,
            closes_at: input.closes_at,
        };
        answer(ctx, ctx.store().open_survey(actor, new).await, Survey)
    }

    /// A resident or owner answers for their household: one response per household, replaced by a later
    /// one until the close. Anonymous: nothing returns who answered what.
    async fn answer_survey(&self, ctx: &Context<'_>, input: AnswerSurveyInput) -> async_graphql::Result<SurveyPayload> {
        let actor = ctx.actor().await?;
        let id: SurveyId = decode(NodeType::Survey, &input.survey_id).gql()?;
        let household: Option<PlaceId> =
            input.household_id.as_ref().map(|h| decode(NodeType::Place, h)).transpose().gql()?;
        let answers = input
            .answers
            .into_iter()
            .enumerate()
            .map(|(i, a)| a.map(|a| answer_of(i + 1, a)).transpose())
            .collect::<async_graphql::Result<Vec<_>>>()?;
        answer(ctx, ctx.store().answer_survey(actor, id, household, answers).await, Survey)
    }

    /// Closes a survey before its time; its results show once enough households answered.
    async fn close_survey(&self, ctx: &Context<'_>, survey_id: ID) -> async_graphql::Result<SurveyPayload> {
        let actor = ctx.actor().await?;
        let id: SurveyId = decode(NodeType::Survey, &survey_id).gql()?;
        answer(ctx, ctx.store().close_survey(actor, id).await, Survey)
    }

    /// A city administrator computes a quarter (`2026Q4`) for their city: every company's credit score, the
    /// warning list, and the problem compounds. Computing it again replaces it.
    async fn compute_quarter(
        &self,
        ctx: &Context<'_>,
        city_id: ID,
        quarter: String,
    ) -> async_graphql::Result<QuarterReport> {
        let actor = ctx.actor().await?;
        let city: PlaceId = decode(NodeType::Place, &city_id).gql()?;
        let quarter = Quarter::parse(&quarter).map_err(bad)?;
        let report = ctx.store().compute_quarter(Some(actor), city, quarter).await.gql()?;
        let int = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(QuarterReport {
            quarter: quarter.code(),
            companies: int(report.companies),
            listed: int(report.listed),
            lifted: int(report.lifted),
            compounds: int(report.compounds),
            problem_compounds: int(report.problem_compounds),
        })
    }

    /// A district officer gives a listed company notice that it will be blacklisted, with the reason; the
    /// company may appeal within the city's window.
    async fn give_blacklist_notice(
        &self,
        ctx: &Context<'_>,
        listing_id: ID,
        reason: String,
    ) -> async_graphql::Result<ListingPayload> {
        let actor = ctx.actor().await?;
        let id: ListingId = decode(NodeType::CompanyListing, &listing_id).gql()?;
        answer(ctx, ctx.store().give_blacklist_notice(actor, id, &reason).await, CompanyListing)
    }

    /// The company's project manager appeals (申辩) a notice, inside the window.
    async fn appeal_listing(
        &self,
        ctx: &Context<'_>,
        listing_id: ID,
        appeal: String,
    ) -> async_graphql::Result<ListingPayload> {
        let actor = ctx.actor().await?;
        let id: ListingId = decode(NodeType::CompanyListing, &listing_id).gql()?;
        answer(ctx, ctx.store().appeal_listing(actor, id, &appeal).await, CompanyListing)
    }

    /// After the appeal window, a district officer blacklists the company, answering its appeal if it made
    /// one. A blacklisted company cannot be given a new compound's contract.
    async fn blacklist_company(
        &self,
        ctx: &Context<'_>,
        listing_id: ID,
        answer_to_appeal: Option<String>,
    ) -> async_graphql::Result<ListingPayload> {
        let actor = ctx.actor().await?;
        let id: ListingId = decode(NodeType::CompanyListing, &listing_id).gql()?;
        answer(ctx, ctx.store().blacklist_company(actor, id, answer_to_appeal.as_deref()).await, CompanyListing)
    }

    /// A city administrator sets the city's survey threshold, credit weights and listing rules.
    async fn set_accountability_settings(
        &self,
        ctx: &Context<'_>,
        city_id: ID,
        input: AccountabilitySettings,
    ) -> async_graphql::Result<AccountabilitySettings> {
        let actor = ctx.actor().await?;
        let city: PlaceId = decode(NodeType::Place, &city_id).gql()?;
        let settings = Settings {
            city,
            survey_min_responses: non_negative("surveyMinResponses", input.survey_min_responses)?,
            weights: CreditWeights {
                ratings: non_negative("weightRatings", input.weight_ratings)?,
                on_time: non_negative("weightOnTime", input.weight_on_time)?,
                disclosures: non_negative("weightDisclosures", input.weight_disclosures)?,
                surveys: non_negative("weightSurveys", input.weight_surveys)?,
                reminder_deduction_centi: non_negative("reminderDeductionCenti", input.reminder_deduction_centi)?,
                warning_deduction_centi: non_negative("warningDeductionCenti", input.warning_deduction_centi)?,
            },
            rules: ListingRules {
                score_below_centi: i64::from(non_negative("listBelowScoreCenti", input.list_below_score_centi)?),
                letters_in_year: non_negative("listAtLetters", input.list_at_letters)?,
                appeal_days: i64::from(non_negative("appealDays", input.appeal_days)?),
                blacklist_days: i64::from(non_negative("blacklistDays", input.blacklist_days)?),
                good_quarters_to_lift: ListingRules::default().good_quarters_to_lift,
            },
        };
        let saved = ctx.store().set_accountability_settings(actor, settings).await.gql()?;
        Ok(settings_out(&saved))
    }
}

//! Satisfaction surveys (decision 110). The storage keeps no one's identity with an answer: a response is
//! its answers and `link`, SHA-256 over the survey's own key and the household, so that the household's
//! second answer replaces its first while the survey is open. Closing erases the key: from then on the
//! database itself cannot say which household answered what. The log counts answers with no actor.

use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::survey::{self, Answer, Answers, Question, Questions, Results, Window, Withheld};
use gongzhi_domain::accountability::{AccountabilityError, Quarter};
use gongzhi_domain::ids::{PlaceId, SurveyId};
use gongzhi_domain::person::bounded_text;
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::role::Role;
use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, PaginatorTrait, QueryOrder};
use sha2::{Digest, Sha256};
use tracing::instrument;

use crate::entities::{place, survey as survey_row, survey_response};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::places::{context_of, find_kind};
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

/// A survey as the rest of the system sees it: never its responses one by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub id: SurveyId,
    pub compound: PlaceId,
    pub title: String,
    pub quarter: Option<Quarter>,
    pub questions: Questions,
    pub window: Window,
    /// Households of the compound when the survey opened: the response rate's denominator.
    pub households: u32,
    pub min_responses: u32,
    pub responses: u64,
}

impl Survey {
    pub fn is_closed(&self, now: DateTime<Utc>) -> bool {
        self.window.is_closed(now)
    }
}

/// What staff open.
#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub compound: PlaceId,
    pub title: String,
    /// `2026Q4` for the quarterly survey; `None` for an ad hoc one.
    pub quarter: Option<String>,
    pub questions: Vec<Question>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
}

fn survey_of(row: survey_row::Model, responses: u64) -> Result<Survey> {
    let questions: Vec<Question> =
        serde_json::from_str(&row.questions).map_err(|_| corrupt("survey questions", row.id))?;
    Ok(Survey {
        id: SurveyId::from_uuid(row.id),
        compound: PlaceId::from_uuid(row.compound_id),
        title: row.title,
        quarter: row.quarter.as_deref().map(Quarter::parse).transpose()?,
        questions: Questions::parse(questions)?,
        window: Window { opens_at: row.opens_at, closes_at: row.closes_at, closed_at: row.closed_at },
        households: u32::try_from(row.households).map_err(|_| corrupt("survey households", row.id))?,
        min_responses: u32::try_from(row.min_responses).map_err(|_| corrupt("survey threshold", row.id))?,
        responses,
    })
}

async fn count_responses(db: &impl ConnectionTrait, survey: Uuid) -> Result<u64> {
    Ok(survey_response::Entity::find().filter(survey_response::Column::SurveyId.eq(survey)).count(db).await?)
}

async fn find_survey(db: &impl ConnectionTrait, id: SurveyId) -> Result<survey_row::Model> {
    survey_row::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("survey"))
}

/// The household's link under the survey's key.
pub(crate) fn link_of(key: &str, household: PlaceId) -> String {
    let mut digest = Sha256::new();
    digest.update(key.as_bytes());
    digest.update(household.as_uuid().as_bytes());
    hex::encode(digest.finalize())
}

/// The household the actor answers for: the one named, or their only one in the compound.
fn household_of(actor: &Actor, compound: PlaceId, named: Option<PlaceId>) -> Result<PlaceId> {
    let mut households: Vec<PlaceId> = actor
        .grants
        .iter()
        .filter(|g| matches!(g.role, Role::Resident | Role::Owner))
        .filter(|g| g.place.kind() == PlaceKind::Household && g.place.is_within(compound))
        .map(|g| g.place.id())
        .collect();
    households.sort();
    households.dedup();
    match named {
        Some(named) if households.contains(&named) => Ok(named),
        Some(_) => Err(AccountabilityError::NoHousehold.into()),
        None => match households.as_slice() {
            [only] => Ok(*only),
            [] => Err(AccountabilityError::NoHousehold.into()),
            _ => Err(gongzhi_domain::Invalid::Required { field: "householdId" }.into()),
        },
    }
}

impl Store {
    /// The residents' committee or the street opens a survey of a compound; its households are told.
    #[instrument(skip_all)]
    pub async fn open_survey(&self, actor: &Actor, input: NewSurvey) -> Result<Survey> {
        self.open(actor, input, true).await
    }

    /// As `open_survey`, for the demo's seed: the fact is logged, but nobody is told of a survey the world
    /// was loaded with (the demo world starts with an empty outbox, as every test expects).
    pub(crate) async fn open_survey_untold(&self, actor: &Actor, input: NewSurvey) -> Result<Survey> {
        self.open(actor, input, false).await
    }

    async fn open(&self, actor: &Actor, input: NewSurvey, tell: bool) -> Result<Survey> {
        let txn = self.write().await?;
        let compound = find_kind(&txn, input.compound, PlaceKind::Compound).await?;
        require(actor, Action::ManageSurveys, &context_of(&txn, &compound).await?)?;
        let now = self.clock.now();
        let title = bounded_text("title", &input.title, 100)?;
        let quarter = input.quarter.as_deref().map(Quarter::parse).transpose()?;
        let questions = Questions::parse(input.questions)?;
        let window = Window::new(input.opens_at.unwrap_or(now), input.closes_at, now)?;
        let households = place::Entity::find()
            .filter(place::Column::CompoundId.eq(compound.id))
            .filter(place::Column::Kind.eq(PlaceKind::Household.as_str()))
            .count(&txn)
            .await?;
        let city = super::city_of(&txn, input.compound).await?;
        let min_responses = super::settings::settings_of(&txn, city).await?.survey_min_responses;
        let mut key = [0_u8; 32];
        rand::rng().fill_bytes(&mut key);
        let row = survey_row::ActiveModel {
            id: Set(new_id()),
            compound_id: Set(compound.id),
            title: Set(title.clone()),
            quarter: Set(quarter.map(Quarter::code)),
            questions: Set(serde_json::to_string(&questions).map_err(super::json_fault)?),
            opened_by: Set(actor.person.as_uuid()),
            opens_at: Set(window.opens_at),
            closes_at: Set(window.closes_at),
            closed_at: Set(None),
            closed_by: Set(None),
            households: Set(i32::try_from(households).unwrap_or(i32::MAX)),
            min_responses: Set(i32::try_from(min_responses).unwrap_or(i32::MAX)),
            link_key: Set(Some(hex::encode(key))),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let event = WireEvent::SurveyOpened {
            survey: row.id,
            quarter: row.quarter.clone(),
            closes_at: row.closes_at,
            questions: questions.len(),
            households: u32::try_from(households).unwrap_or(u32::MAX),
        };
        let fact = NewEvent::new(event, now, Audience::Public).actor(Some(actor.person)).place(input.compound).text(
            "title",
            Audience::Public,
            &title,
        );
        if tell {
            crate::event_log::record(&txn, fact).await?;
        } else {
            txn.record(fact);
        }
        txn.commit().await?;
        survey_of(row, 0)
    }

    /// A resident or owner answers for their household; a second answer replaces the first until the close.
    #[instrument(skip_all)]
    pub async fn answer_survey(
        &self,
        actor: &Actor,
        id: SurveyId,
        household: Option<PlaceId>,
        answers: Vec<Option<Answer>>,
    ) -> Result<Survey> {
        let txn = self.write().await?;
        let row = find_survey(&txn, id).await?;
        let compound = crate::places::find_row(&txn, PlaceId::from_uuid(row.compound_id)).await?;
        require(actor, Action::AnswerSurvey, &context_of(&txn, &compound).await?)?;
        let household = household_of(actor, PlaceId::from_uuid(row.compound_id), household)?;
        let survey = survey_of(row.clone(), 0)?;
        let now = self.clock.now();
        survey.window.check_answering(now)?;
        let answers: Answers = survey.questions.check(answers)?;
        let key = row.link_key.as_deref().ok_or(AccountabilityError::SurveyClosed)?;
        let link = link_of(key, household);
        let changed = survey_response::Entity::find_by_id((row.id, link.clone())).one(&txn).await?.is_some();
        let response = survey_response::ActiveModel {
            survey_id: Set(row.id),
            link: Set(link),
            answers: Set(serde_json::to_string(&answers).map_err(super::json_fault)?),
        };
        survey_response::Entity::insert(response)
            .on_conflict(
                OnConflict::columns([survey_response::Column::SurveyId, survey_response::Column::Link])
                    .update_column(survey_response::Column::Answers)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        let responses = count_responses(&txn, row.id).await?;
        let event = WireEvent::SurveyAnswered { survey: row.id, responses, changed };
        // No actor: the log says that a household answered, never which.
        let fact = NewEvent::new(event, now, Audience::Public).place(survey.compound);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(Survey { responses, ..survey })
    }

    /// Closes a survey before its time; either way the close erases the key that links answers to
    /// households (a survey past its time is closed by `close_due_surveys`).
    #[instrument(skip_all)]
    pub async fn close_survey(&self, actor: &Actor, id: SurveyId) -> Result<Survey> {
        let txn = self.write().await?;
        let row = find_survey(&txn, id).await?;
        let compound = crate::places::find_row(&txn, PlaceId::from_uuid(row.compound_id)).await?;
        require(actor, Action::ManageSurveys, &context_of(&txn, &compound).await?)?;
        let now = self.clock.now();
        let survey = survey_of(row.clone(), 0)?;
        let window = survey.window.close(now)?;
        let closed = seal(&txn, row, Some(actor.person.as_uuid()), now).await?;
        txn.commit().await?;
        Ok(Survey { window, ..closed })
    }

    /// The scheduler's step: surveys past their closing time lose their link key and log their close.
    pub async fn close_due_surveys(&self) -> Result<usize> {
        let now = self.clock.now();
        let due = survey_row::Entity::find()
            .filter(survey_row::Column::LinkKey.is_not_null())
            .filter(survey_row::Column::ClosesAt.lte(now))
            .all(&self.db)
            .await?;
        let count = due.len();
        for row in due {
            let txn = self.write().await?;
            // Re-read under the write: another instance may have sealed it.
            let row = find_survey(&txn, SurveyId::from_uuid(row.id)).await?;
            if row.link_key.is_some() {
                seal(&txn, row, None, now).await?;
            }
            txn.commit().await?;
        }
        Ok(count)
    }

    /// A survey, with its count, for whoever may see the compound's surveys.
    pub async fn survey(&self, actor: &Actor, id: SurveyId) -> Result<Survey> {
        let row = find_survey(&self.db, id).await?;
        let compound = crate::places::find_row(&self.db, PlaceId::from_uuid(row.compound_id)).await?;
        require(actor, Action::ViewSurveys, &context_of(&self.db, &compound).await?)?;
        let responses = count_responses(&self.db, row.id).await?;
        survey_of(row, responses)
    }

    /// A compound's surveys, newest first.
    pub async fn surveys_of(&self, actor: &Actor, compound: PlaceId) -> Result<Vec<Survey>> {
        let row = find_kind(&self.db, compound, PlaceKind::Compound).await?;
        require(actor, Action::ViewSurveys, &context_of(&self.db, &row).await?)?;
        let rows = survey_row::Entity::find()
            .filter(survey_row::Column::CompoundId.eq(compound.as_uuid()))
            .order_by_desc(survey_row::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut surveys = Vec::with_capacity(rows.len());
        for row in rows {
            let responses = count_responses(&self.db, row.id).await?;
            surveys.push(survey_of(row, responses)?);
        }
        Ok(surveys)
    }

    /// Whether the actor's household has answered: only while the key exists, and only for their own.
    pub async fn my_household_answered(&self, actor: &Actor, id: SurveyId) -> Result<Option<bool>> {
        let row = find_survey(&self.db, id).await?;
        let Some(key) = row.link_key.as_deref() else { return Ok(None) };
        let Ok(household) = household_of(actor, PlaceId::from_uuid(row.compound_id), None) else { return Ok(None) };
        let link = link_of(key, household);
        Ok(Some(survey_response::Entity::find_by_id((row.id, link)).one(&self.db).await?.is_some()))
    }

    /// The aggregate results, or why they are withheld (decision 110: closed, and at least the threshold).
    pub async fn survey_results(&self, actor: &Actor, id: SurveyId) -> Result<std::result::Result<Results, Withheld>> {
        let survey = self.survey(actor, id).await?;
        let now = self.clock.now();
        let responses = survey_responses(&self.db, id).await?;
        Ok(survey::results(&survey.questions, &responses, survey.is_closed(now), survey.min_responses))
    }
}

/// Every response's answers, for aggregation inside infra only.
pub(crate) async fn survey_responses(db: &impl ConnectionTrait, id: SurveyId) -> Result<Vec<Answers>> {
    let rows =
        survey_response::Entity::find().filter(survey_response::Column::SurveyId.eq(id.as_uuid())).all(db).await?;
    rows.into_iter()
        .map(|r| serde_json::from_str(&r.answers).map_err(|_| Error::from(corrupt("survey answers", r.survey_id))))
        .collect()
}

/// Erases the link key and logs the close.
async fn seal(
    txn: &crate::topics::write::TopicWrite,
    row: survey_row::Model,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Survey> {
    let responses = count_responses(txn, row.id).await?;
    let mut active: survey_row::ActiveModel = row.clone().into();
    active.link_key = Set(None);
    if by.is_some() {
        active.closed_at = Set(Some(now));
        active.closed_by = Set(by);
    }
    let row = active.update(txn).await?;
    let survey = survey_of(row, responses)?;
    // The satisfaction the results show, when they may be shown at all (decision 159): the statistics
    // count it from the log, like everything else.
    let answers = survey_responses(txn, survey.id).await?;
    let shown = survey::results(&survey.questions, &answers, true, survey.min_responses).ok();
    let (rating_score, ratings) = shown.as_ref().map(survey::satisfaction).unzip();
    let event = WireEvent::SurveyClosed {
        survey: survey.id.as_uuid(),
        responses,
        households: survey.households,
        ratings,
        rating_score,
    };
    let fact = NewEvent::new(event, now, Audience::Public)
        .actor(by.map(gongzhi_domain::ids::PersonId::from_uuid))
        .place(survey.compound);
    crate::event_log::record(txn, fact).await?;
    Ok(survey)
}

//! 反馈/评价: publishing the outcome (which opens rating), residents' satisfaction ratings (1–5, one per
//! resident, changeable until rating closes), explanations staff owe dissatisfied residents, and requests
//! to reopen a topic, which staff grant or decline with a reason.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, TopicId};
use gongzhi_domain::person::bounded_text;
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::topic::{OutcomeSummary, Phase, Reason, TopicError, Transition};
use gongzhi_domain::{Denied, Invalid};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use tracing::instrument;

use super::{TopicRecord, authorize_lead, events, load_visible, record_of, save};
use crate::entities::{rating, topic_request};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::{Error, Result, Store, new_id};

/// The satisfaction of a topic's residents so far: how many rated each score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatingSummary {
    /// `by_score[0]` counts the 1s, `by_score[4]` the 5s.
    pub by_score: [u64; 5],
}

impl RatingSummary {
    pub fn count(&self) -> u64 {
        self.by_score.iter().sum()
    }

    pub fn total(&self) -> u64 {
        self.by_score.iter().zip(1u64..).map(|(n, score)| n * score).sum()
    }
}

/// A request a resident made about a topic: an explanation, or a reopening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRequest {
    pub id: uuid::Uuid,
    pub topic: TopicId,
    pub person: PersonId,
    /// `explanation` or `reopen`.
    pub kind: String,
    pub text: String,
    /// `pending`, `answered` (explanations), `granted` or `declined` (reopening).
    pub status: String,
    pub answer: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub(super) fn request_of(row: topic_request::Model) -> TopicRequest {
    TopicRequest {
        id: row.id,
        topic: TopicId::from_uuid(row.topic_id),
        person: PersonId::from_uuid(row.person_id),
        kind: row.kind,
        text: row.text,
        status: row.status,
        answer: row.answer,
        decided_at: row.decided_at,
        created_at: row.created_at,
    }
}

/// Scores at or below this make a resident dissatisfied, owed an explanation on request.
const DISSATISFIED: i16 = 2;

impl Store {
    /// Publishes the outcome where residents see it (居务公开) and opens rating, in one step.
    #[instrument(skip_all)]
    pub async fn publish_outcome(&self, actor: &Actor, id: TopicId, summary: &str) -> Result<TopicRecord> {
        let summary = OutcomeSummary::parse(summary)?;
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let Transition { topic, event } = loaded.topic().clone().publish(actor.person, summary, now)?;
        let row = save(&txn, &loaded.row, &topic, &event, &self.deadlines, now).await?;
        let Transition { topic, event } = topic.open_rating(Some(actor.person), &self.deadlines, now)?;
        let row = save(&txn, &row, &topic, &event, &self.deadlines, now).await?;
        txn.commit().await?;
        Ok(record_of(&row, topic))
    }

    /// Rates satisfaction 1–5 while rating is open; a second rating replaces the first.
    #[instrument(skip_all)]
    pub async fn rate_topic(&self, actor: &Actor, id: TopicId, score: i16, comment: Option<&str>) -> Result<()> {
        if !(1..=5).contains(&score) {
            return Err(Invalid::UnknownValue { field: "score", given: score.to_string() }.into());
        }
        let comment =
            comment.map(str::trim).filter(|c| !c.is_empty()).map(|c| bounded_text("comment", c, 500)).transpose()?;
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        require(actor, Action::RateTopic, &loaded.ctx)?;
        let now = self.clock.now();
        match loaded.topic().state.phase() {
            Some(Phase::RatingOpen { closes_at }) if now < closes_at => {}
            _ => return Err(TopicError::WrongStage { action: "rate", state: loaded.topic().state.code() }.into()),
        }
        rating::Entity::insert(rating::ActiveModel {
            topic_id: Set(id.as_uuid()),
            person_id: Set(actor.person.as_uuid()),
            score: Set(score),
            comment: Set(comment.clone()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([rating::Column::TopicId, rating::Column::PersonId])
                .update_columns([rating::Column::Score, rating::Column::Comment, rating::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
        let mut fact =
            NewEvent::new(WireEvent::RatingGiven { score }, now, Audience::Private).actor(Some(actor.person)).topic(id);
        if let Some(comment) = &comment {
            fact = fact.text("comment", Audience::Private, comment);
        }
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn my_rating(&self, person: PersonId, topic: TopicId) -> Result<Option<i16>> {
        let row = rating::Entity::find_by_id((topic.as_uuid(), person.as_uuid())).one(&self.db).await?;
        Ok(row.map(|r| r.score))
    }

    /// A dissatisfied resident (who rated 1 or 2) asks why; staff must answer.
    #[instrument(skip_all)]
    pub async fn request_explanation(&self, actor: &Actor, id: TopicId, question: &str) -> Result<TopicRequest> {
        let question = bounded_text("question", question, 500)?;
        let txn = self.write().await?;
        load_visible(&txn, actor, id).await?;
        let rated = rating::Entity::find_by_id((id.as_uuid(), actor.person.as_uuid())).one(&txn).await?;
        if rated.is_none_or(|r| r.score > DISSATISFIED) {
            return Err(Denied::Forbidden.into());
        }
        let row = insert_request(&txn, id, actor.person, "explanation", question, self.clock.now()).await?;
        let fact = NewEvent::new(WireEvent::ExplanationAsked { request: row.id }, row.created_at, Audience::Private)
            .actor(Some(actor.person))
            .topic(id)
            .text("question", Audience::Private, &row.text);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(request_of(row))
    }

    /// Staff answer an explanation request; the resident reads the answer.
    #[instrument(skip_all)]
    pub async fn answer_explanation(&self, actor: &Actor, request: uuid::Uuid, answer: &str) -> Result<TopicRequest> {
        let answer = bounded_text("answer", answer, 2000)?;
        let txn = self.write().await?;
        let row = find_request(&txn, request, "explanation").await?;
        let loaded = load_visible(&txn, actor, TopicId::from_uuid(row.topic_id)).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let row = decide(&txn, row, "answered", actor.person, Some(answer.clone()), now).await?;
        let asked_by = PersonId::from_uuid(row.person_id);
        // The fact tells the asker (`outbox::facts`).
        let event = WireEvent::ExplanationAnswered { request: row.id, asked_by: asked_by.as_uuid() };
        let fact = NewEvent::new(event, now, Audience::Private)
            .actor(Some(actor.person))
            .topic(TopicId::from_uuid(row.topic_id))
            .text("answer", Audience::Private, &answer);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(request_of(row))
    }

    /// A resident who is not satisfied asks for the topic to be taken up again.
    #[instrument(skip_all)]
    pub async fn request_reopen(&self, actor: &Actor, id: TopicId, reason: &str) -> Result<TopicRequest> {
        let reason = Reason::parse(reason)?;
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        require(actor, Action::RateTopic, &loaded.ctx)?;
        let now = self.clock.now();
        let event = loaded.topic().request_reopen(actor.person, reason.clone(), now)?;
        events::append(&txn, &event).await?;
        let row = insert_request(&txn, id, actor.person, "reopen", reason.as_str().to_owned(), now).await?;
        txn.commit().await?;
        Ok(request_of(row))
    }

    /// Staff grant a reopening (the topic returns to deliberation) or decline it, with a reason either way.
    #[instrument(skip_all)]
    pub async fn decide_reopen(
        &self,
        actor: &Actor,
        request: uuid::Uuid,
        grant: bool,
        reason: &str,
    ) -> Result<(TopicRequest, TopicRecord)> {
        let reason = Reason::parse(reason)?;
        let txn = self.write().await?;
        let row = find_request(&txn, request, "reopen").await?;
        let loaded = load_visible(&txn, actor, TopicId::from_uuid(row.topic_id)).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let requested_by = PersonId::from_uuid(row.person_id);
        let record = if grant {
            let Transition { topic, event } =
                loaded.topic().clone().reopen(actor.person, requested_by, reason.clone(), now)?;
            let saved = save(&txn, &loaded.row, &topic, &event, &self.deadlines, now).await?;
            record_of(&saved, topic)
        } else {
            let event = loaded.topic().decline_reopen(actor.person, requested_by, reason.clone(), now)?;
            events::append(&txn, &event).await?;
            record_of(&loaded.row, loaded.topic().clone())
        };
        let status = if grant { "granted" } else { "declined" };
        let row = decide(&txn, row, status, actor.person, Some(reason.as_str().to_owned()), now).await?;
        txn.commit().await?;
        Ok((request_of(row), record))
    }
}

async fn insert_request(
    db: &impl sea_orm::ConnectionTrait,
    topic: TopicId,
    person: PersonId,
    kind: &str,
    text: String,
    now: DateTime<Utc>,
) -> Result<topic_request::Model> {
    Ok(topic_request::ActiveModel {
        id: Set(new_id()),
        topic_id: Set(topic.as_uuid()),
        person_id: Set(person.as_uuid()),
        kind: Set(kind.to_owned()),
        text: Set(text),
        status: Set("pending".to_owned()),
        decided_by: Set(None),
        decided_at: Set(None),
        answer: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?)
}

async fn find_request(db: &impl sea_orm::ConnectionTrait, id: uuid::Uuid, kind: &str) -> Result<topic_request::Model> {
    topic_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.kind == kind)
        .ok_or(Error::NotFound("request"))
}

/// Decides a pending request once: a second decision finds it no longer pending.
async fn decide(
    db: &impl sea_orm::ConnectionTrait,
    row: topic_request::Model,
    status: &str,
    by: PersonId,
    answer: Option<String>,
    now: DateTime<Utc>,
) -> Result<topic_request::Model> {
    if row.status != "pending" {
        return Err(gongzhi_domain::Conflict::RequestDecided { status: row.status }.into());
    }
    let updated = topic_request::Entity::update_many()
        .col_expr(topic_request::Column::Status, Expr::value(status))
        .col_expr(topic_request::Column::DecidedBy, Expr::value(Some(by.as_uuid())))
        .col_expr(topic_request::Column::DecidedAt, Expr::value(Some(now)))
        .col_expr(topic_request::Column::Answer, Expr::value(answer))
        .filter(topic_request::Column::Id.eq(row.id))
        .filter(topic_request::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(gongzhi_domain::Conflict::TopicChanged.into());
    }
    topic_request::Entity::find_by_id(row.id).one(db).await?.ok_or(Error::NotFound("request"))
}

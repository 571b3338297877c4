//! 质询: residents question a line of a version; the party that published it answers (seed 002: 社会力量
//! 参与"双晒"监督). Both are public on the disclosure; the asker is told of the answer (the fact's notice,
//! `outbox::disclosure_notices`).

use chrono::{DateTime, Utc};
use gongzhi_domain::disclosure::{DisclosureRules, check_answer, check_question};
use gongzhi_domain::ids::{DisclosureId, DisclosureQuestionId, PersonId};
use gongzhi_domain::policy::{Action, Actor, require};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use tracing::instrument;

use super::row::version_of;
use crate::entities::{disclosure, disclosure_question};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::{Error, Result, Store, new_id};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: DisclosureQuestionId,
    pub disclosure: DisclosureId,
    pub line: String,
    pub asked_by: PersonId,
    pub text: String,
    pub asked_at: DateTime<Utc>,
    pub answer_due_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_by: Option<PersonId>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl Question {
    /// Unanswered past its deadline, or answered after it.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.answered_at.unwrap_or(now) > self.answer_due_at
    }
}

fn question_of(row: disclosure_question::Model) -> Question {
    Question {
        id: DisclosureQuestionId::from_uuid(row.id),
        disclosure: DisclosureId::from_uuid(row.disclosure_id),
        line: row.line_key,
        asked_by: PersonId::from_uuid(row.asked_by),
        text: row.text,
        asked_at: row.asked_at,
        answer_due_at: row.answer_due_at,
        answer: row.answer,
        answered_by: row.answered_by.map(PersonId::from_uuid),
        answered_at: row.answered_at,
    }
}

impl Store {
    /// A resident of the place questions a line of the version.
    #[instrument(skip_all, err)]
    pub async fn question_disclosure(
        &self,
        actor: &Actor,
        of: DisclosureId,
        line: &str,
        text: &str,
        rules: &DisclosureRules,
    ) -> Result<Question> {
        let txn = self.write().await?;
        let row = disclosure::Entity::find_by_id(of.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("disclosure"))?;
        let version = version_of(row)?;
        let place = crate::places::find_row(&txn, version.place).await?;
        let ctx = crate::places::context_of(&txn, &place).await?;
        require(actor, Action::QuestionDisclosure, &ctx)?;
        let text = check_question(&version.body, line, text)?;
        let now = self.clock.now();
        let row = disclosure_question::ActiveModel {
            id: Set(new_id()),
            disclosure_id: Set(of.as_uuid()),
            line_key: Set(line.to_owned()),
            asked_by: Set(actor.person.as_uuid()),
            text: Set(text.clone()),
            asked_at: Set(now),
            answer_due_at: Set(rules.answer_due(now)),
            answer: Set(None),
            answered_by: Set(None),
            answered_at: Set(None),
            reminded_at: Set(None),
        }
        .insert(&txn)
        .await?;
        let fact = NewEvent::new(
            WireEvent::DisclosureQuestioned {
                disclosure: of.as_uuid(),
                question: row.id,
                line: row.line_key.clone(),
                answer_due_at: row.answer_due_at,
            },
            now,
            Audience::Public,
        )
        .actor(Some(actor.person))
        .place(version.place)
        .text("text", Audience::Public, &text);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(question_of(row))
    }

    /// The party that published the version answers, once. Anyone else is refused by the policy: a
    /// resident, or a property company answering questions on the owners' committee's accounts.
    #[instrument(skip_all, err)]
    pub async fn answer_disclosure_question(
        &self,
        actor: &Actor,
        question: DisclosureQuestionId,
        answer: &str,
    ) -> Result<Question> {
        let txn = self.write().await?;
        let row = disclosure_question::Entity::find_by_id(question.as_uuid())
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("question"))?;
        let version =
            disclosure::Entity::find_by_id(row.disclosure_id).one(&txn).await?.ok_or(Error::NotFound("disclosure"))?;
        let version = version_of(version)?;
        let place = crate::places::find_row(&txn, version.place).await?;
        let ctx = crate::places::context_of(&txn, &place).await?;
        require(actor, Action::PublishDisclosure(version.kind), &ctx)?;
        let answer = check_answer(row.answered_at, answer)?;
        let now = self.clock.now();
        // Guarded: of two answers racing, one lands.
        let landed = disclosure_question::Entity::update_many()
            .col_expr(disclosure_question::Column::Answer, Expr::value(answer.clone()))
            .col_expr(disclosure_question::Column::AnsweredBy, Expr::value(actor.person.as_uuid()))
            .col_expr(disclosure_question::Column::AnsweredAt, Expr::value(now))
            .filter(disclosure_question::Column::Id.eq(row.id))
            .filter(disclosure_question::Column::AnsweredAt.is_null())
            .exec(&txn)
            .await?;
        if landed.rows_affected != 1 {
            return Err(gongzhi_domain::disclosure::DisclosureError::AlreadyAnswered.into());
        }
        let fact = NewEvent::new(
            WireEvent::DisclosureAnswered { disclosure: row.disclosure_id, question: row.id, asked_by: row.asked_by },
            now,
            Audience::Public,
        )
        .actor(Some(actor.person))
        .place(version.place)
        .text("answer", Audience::Public, &answer);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(Question {
            answer: Some(answer),
            answered_by: Some(actor.person),
            answered_at: Some(now),
            ..question_of(row)
        })
    }

    /// One question by its id; public like the disclosure it is on.
    pub async fn disclosure_question(&self, id: DisclosureQuestionId) -> Result<Question> {
        let row = disclosure_question::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("disclosure question"))?;
        Ok(question_of(row))
    }

    /// The questions on a version, oldest first.
    pub async fn disclosure_questions(&self, of: DisclosureId) -> Result<Vec<Question>> {
        let rows = disclosure_question::Entity::find()
            .filter(disclosure_question::Column::DisclosureId.eq(of.as_uuid()))
            .order_by_asc(disclosure_question::Column::AskedAt)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(question_of).collect())
    }

    /// Reminds the publisher of each question unanswered past its deadline (质询 must be answered in time,
    /// seed 002), once: the reminder is claimed by setting `reminded_at` where it is still empty and the
    /// question still unanswered, in the same transaction as its fact, so two schedulers send it once and
    /// an answer that lands first stops it. The number sent.
    #[instrument(skip_all, err)]
    pub async fn remind_overdue_questions(&self, now: DateTime<Utc>) -> Result<u32> {
        let overdue = disclosure_question::Entity::find()
            .filter(disclosure_question::Column::AnsweredAt.is_null())
            .filter(disclosure_question::Column::RemindedAt.is_null())
            .filter(disclosure_question::Column::AnswerDueAt.lt(now))
            .order_by_asc(disclosure_question::Column::AnswerDueAt)
            .limit(REMINDER_BATCH)
            .all(&self.db)
            .await?;
        let mut sent = 0;
        for row in overdue {
            let txn = self.write().await?;
            let claimed = disclosure_question::Entity::update_many()
                .col_expr(disclosure_question::Column::RemindedAt, Expr::value(now))
                .filter(disclosure_question::Column::Id.eq(row.id))
                .filter(disclosure_question::Column::AnsweredAt.is_null())
                .filter(disclosure_question::Column::RemindedAt.is_null())
                .exec(&txn)
                .await?;
            if claimed.rows_affected == 0 {
                continue;
            }
            let version = disclosure::Entity::find_by_id(row.disclosure_id)
                .one(&txn)
                .await?
                .ok_or(Error::NotFound("disclosure"))?;
            let fact = NewEvent::new(
                WireEvent::DisclosureQuestionReminded {
                    disclosure: row.disclosure_id,
                    question: row.id,
                    answer_due_at: row.answer_due_at,
                },
                now,
                Audience::Public,
            )
            .place(gongzhi_domain::ids::PlaceId::from_uuid(version.place_id));
            crate::event_log::record(&txn, fact).await?;
            txn.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }
}

const REMINDER_BATCH: u64 = 500;

//! The scheduler's rules, run on the injected clock: letters for overdue tasks and escalation after an
//! unheeded warning, default confirmation of service requests whose submitter stayed silent, and closing
//! ratings that have run their time. Each topic or task is handled in its own transaction, so one
//! failure does not hold back the rest.

use chrono::Duration;
use gongzhi_domain::task::{Letter, Supervision};
use gongzhi_domain::topic::{EventKind, Reason, TimelineEvent, Transition};
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use tracing::{instrument, warn};

use super::implementation::{save_task, task_of};
use super::{events, row, save};
use crate::entities::{place, task, topic, vote};
use crate::rows::ancestry_of;
use crate::{Error, Result, Store};

/// What one round of supervision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SupervisionReport {
    pub reminders: u32,
    pub warnings: u32,
    pub escalations: u32,
    pub confirmed_by_default: u32,
    pub closed: u32,
    /// Votes whose non-voters were told it closes within a day.
    pub closing_notices: u32,
}

/// How long before a vote closes its non-voters are reminded.
const CLOSING_NOTICE: Duration = Duration::hours(24);

/// Rows handled per round; the next round picks up the rest.
const BATCH: u64 = 500;

impl Store {
    /// Runs every rule once, at the clock's now. `grace` is the time from a due date to the warning, and
    /// from the warning to escalation.
    #[instrument(skip_all)]
    pub async fn supervise(&self, grace: Duration) -> Result<SupervisionReport> {
        let now = self.clock.now();
        let mut report = SupervisionReport::default();
        let due = task::Entity::find()
            .filter(task::Column::State.eq("open"))
            .filter(task::Column::DueAt.lte(now))
            .order_by_asc(task::Column::DueAt)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        for row in due {
            match self.supervise_task(row, grace).await {
                Ok(Some(Supervision::Send(Letter::Reminder))) => report.reminders += 1,
                Ok(Some(Supervision::Send(Letter::Warning))) => report.warnings += 1,
                Ok(Some(Supervision::Escalate)) => report.escalations += 1,
                Ok(None) => {}
                Err(err) => warn!(error = %err, "supervising a task failed; retried next round"),
            }
        }
        let waiting = topic::Entity::find()
            .filter(topic::Column::DueAt.lte(now))
            .filter(topic::Column::DueKind.is_in(["service_confirmation", "rating_close"]))
            .limit(BATCH)
            .all(&self.db)
            .await?;
        for row in waiting {
            let kind = row.due_kind.clone().unwrap_or_default();
            match self.lapse(row).await {
                Ok(()) if kind == "service_confirmation" => report.confirmed_by_default += 1,
                Ok(()) => report.closed += 1,
                Err(err) => warn!(error = %err, "applying a lapsed deadline failed; retried next round"),
            }
        }
        let closing = vote::Entity::find()
            .filter(vote::Column::ClosingNoticeAt.is_null())
            .filter(vote::Column::ClosesAt.gt(now))
            .filter(vote::Column::ClosesAt.lte(now + CLOSING_NOTICE))
            .filter(vote::Column::OpensAt.lte(now))
            .limit(BATCH)
            .all(&self.db)
            .await?;
        for row in closing {
            match self.remind_non_voters(row).await {
                Ok(()) => report.closing_notices += 1,
                Err(err) => warn!(error = %err, "reminding a vote's non-voters failed; retried next round"),
            }
        }
        let closed = vote::Entity::find()
            .filter(vote::Column::ClosedLoggedAt.is_null())
            .filter(vote::Column::ClosesAt.lte(now))
            .limit(BATCH)
            .all(&self.db)
            .await?;
        for row in closed {
            if let Err(err) = self.log_close(row).await {
                warn!(error = %err, "logging a vote's close failed; retried next round");
            }
        }
        Ok(report)
    }

    /// Once per vote, after it closed: the fact with its verdict, for the log's consumers.
    async fn log_close(&self, row: vote::Model) -> Result<()> {
        let vote = crate::votes::vote_of(&row)?;
        let verdict = match self.vote_result(&vote).await? {
            Some(crate::votes::VoteResult::Owners(outcome)) => outcome.verdict,
            Some(crate::votes::VoteResult::Household(outcome)) => outcome.verdict,
            Some(crate::votes::VoteResult::Meeting(outcome)) => outcome.verdict,
            None => return Ok(()),
        };
        let now = self.clock.now();
        let txn = self.write().await?;
        // Claimed first, guarded: two schedulers on one database log it once.
        let claimed = vote::Entity::update_many()
            .col_expr(vote::Column::ClosedLoggedAt, sea_orm::sea_query::Expr::value(now))
            .filter(vote::Column::Id.eq(row.id))
            .filter(vote::Column::ClosedLoggedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 1 {
            let event = crate::event_log::wire::WireEvent::VoteClosed {
                vote: row.id,
                closed_at: row.closes_at,
                verdict: verdict.as_str().to_owned(),
            };
            let fact = crate::event_log::NewEvent::new(event, now, crate::event_log::Audience::Public)
                .topic(gongzhi_domain::ids::TopicId::from_uuid(row.topic_id))
                .vote(vote.id)
                .place(vote.compound);
            crate::event_log::record(&txn, fact).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Once per vote: everyone on the roll who has not voted hears that it closes soon.
    async fn remind_non_voters(&self, row: vote::Model) -> Result<()> {
        let now = self.clock.now();
        let txn = self.write().await?;
        // Claimed first, guarded: two schedulers on one database remind once.
        let claimed = vote::Entity::update_many()
            .col_expr(vote::Column::ClosingNoticeAt, sea_orm::sea_query::Expr::value(now))
            .filter(vote::Column::Id.eq(row.id))
            .filter(vote::Column::ClosingNoticeAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 1 {
            // The fact tells the roll's non-voters (`outbox::facts`).
            let event =
                crate::event_log::wire::WireEvent::VoteClosingNoticed { vote: row.id, closes_at: row.closes_at };
            let fact = crate::event_log::NewEvent::new(event, now, crate::event_log::Audience::Participants)
                .topic(gongzhi_domain::ids::TopicId::from_uuid(row.topic_id))
                .vote(gongzhi_domain::ids::VoteId::from_uuid(row.id));
            crate::event_log::record(&txn, fact).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    async fn supervise_task(&self, row: task::Model, grace: Duration) -> Result<Option<Supervision>> {
        let now = self.clock.now();
        let task = task_of(&row)?;
        let Some(step) = task.supervise(now, grace) else { return Ok(None) };
        let txn = self.write().await?;
        match step {
            Supervision::Send(letter) => {
                let sent = task.clone().record_letter(letter, now);
                save_task(&txn, &row, &sent).await?;
                let event = TimelineEvent {
                    topic: task.topic,
                    actor: None,
                    at: now,
                    note: None,
                    kind: EventKind::TaskLetter { task: task.id, letter },
                };
                events::append(&txn, &event).await?;
            }
            Supervision::Escalate => {
                let topic_row =
                    topic::Entity::find_by_id(task.topic.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("topic"))?;
                let place =
                    place::Entity::find_by_id(topic_row.place_id).one(&txn).await?.ok_or(Error::NotFound("place"))?;
                let current = row::topic_of(&topic_row, ancestry_of(&place)?)?;
                let reason = Reason::parse(&format!("任务“{}”在警示函后仍未完成", task.title))?;
                match current.escalate_by_rule(reason, now) {
                    Ok(Transition { topic, event }) => {
                        save(&txn, &topic_row, &topic, &event, &self.deadlines, now).await?;
                    }
                    // Already at the highest level: the letters stand, and staff decide from here.
                    Err(gongzhi_domain::topic::TopicError::EscalationLimit { .. }) => {}
                    Err(other) => return Err(other.into()),
                }
                // Restart the clock so the next level gets its own grace period.
                let rearmed = gongzhi_domain::task::Task { warning_at: Some(now), ..task };
                save_task(&txn, &row, &rearmed).await?;
            }
        }
        txn.commit().await?;
        Ok(Some(step))
    }

    async fn lapse(&self, row: topic::Model) -> Result<()> {
        let now = self.clock.now();
        let txn = self.write().await?;
        let place = place::Entity::find_by_id(row.place_id).one(&txn).await?.ok_or(Error::NotFound("place"))?;
        let current = row::topic_of(&row, ancestry_of(&place)?)?;
        let Transition { topic, event } = match row.due_kind.as_deref() {
            Some("service_confirmation") => current.confirm_service_by_default(&self.deadlines, now)?,
            _ => current.close(None, now)?,
        };
        save(&txn, &row, &topic, &event, &self.deadlines, now).await?;
        txn.commit().await?;
        Ok(())
    }
}

//! 反馈/评价: the outcome is published where residents see it (居务公开), residents rate their
//! satisfaction for a while, and the topic closes. A resident who is not satisfied may ask for the topic
//! to be reopened; staff grant or decline, and a granted request sends the topic back to deliberation.

use chrono::{DateTime, Utc};

use crate::ids::PersonId;
use crate::topic::topic::wrong_stage;
use crate::topic::{Deadlines, EventKind, OutcomeSummary, Phase, Reason, TimelineEvent, Topic, TopicError, Transition};

/// The phases from which a topic can be reopened: its outcome has been published.
fn reopenable(phase: Phase) -> bool {
    matches!(phase, Phase::Published { .. } | Phase::RatingOpen { .. } | Phase::Closed { .. })
}

impl Topic {
    /// Publishes the outcome and how it was implemented; due within the publication deadline after
    /// completion, and allowed after it too.
    pub fn publish(
        mut self,
        by: PersonId,
        summary: OutcomeSummary,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let completed = |phase| matches!(phase, Phase::Completed { .. });
        self.set_phase("publish", completed, Phase::Published { at: now })?;
        Ok(self.record(Some(by), now, None, EventKind::Published { summary }))
    }

    /// Opens satisfaction rating for the configured time. Staff or the scheduler (`by` = `None`) open it.
    pub fn open_rating(
        mut self,
        by: Option<PersonId>,
        deadlines: &Deadlines,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let closes_at = now + deadlines.rating();
        let published = |phase| matches!(phase, Phase::Published { .. });
        self.set_phase("open rating on", published, Phase::RatingOpen { closes_at })?;
        Ok(self.record(by, now, None, EventKind::RatingOpened { closes_at }))
    }

    /// Closes the topic once its rating has run its time, from `closes_at` on (the rating is open
    /// strictly before it, like a solicitation round).
    pub fn close(mut self, by: Option<PersonId>, now: DateTime<Utc>) -> Result<Transition, TopicError> {
        match self.state.phase() {
            Some(Phase::RatingOpen { closes_at }) if now < closes_at => {
                return Err(TopicError::RatingStillOpen { closes_at });
            }
            Some(Phase::RatingOpen { .. }) => {}
            _ => return Err(wrong_stage("close", &self.state)),
        }
        let rating = |phase| matches!(phase, Phase::RatingOpen { .. });
        self.set_phase("close", rating, Phase::Closed { at: now })?;
        Ok(self.record(by, now, None, EventKind::Closed))
    }

    fn check_reopenable(&self, action: &'static str) -> Result<(), TopicError> {
        match self.state.phase() {
            Some(phase) if reopenable(phase) => Ok(()),
            _ => Err(wrong_stage(action, &self.state)),
        }
    }

    /// A resident asks for the published outcome to be taken up again. The topic does not change; the
    /// request waits on the timeline for staff to grant ([`Topic::reopen`]) or decline it.
    pub fn request_reopen(
        &self,
        by: PersonId,
        reason: Reason,
        now: DateTime<Utc>,
    ) -> Result<TimelineEvent, TopicError> {
        self.check_reopenable("request reopening of")?;
        Ok(self.event(Some(by), now, None, EventKind::ReopenRequested { reason }))
    }

    /// Staff decline a resident's reopen request, telling them why.
    pub fn decline_reopen(
        &self,
        by: PersonId,
        requested_by: PersonId,
        reason: Reason,
        now: DateTime<Utc>,
    ) -> Result<TimelineEvent, TopicError> {
        self.check_reopenable("decline reopening of")?;
        Ok(self.event(Some(by), now, None, EventKind::ReopenDeclined { requested_by, reason }))
    }

    /// Staff grant a resident's reopen request: the topic goes back to deliberation under its plan, which
    /// staff may then revise. Storage checks that `requested_by` has an undecided request on the timeline.
    pub fn reopen(
        mut self,
        by: PersonId,
        requested_by: PersonId,
        reason: Reason,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        self.set_phase("reopen", reopenable, Phase::Deliberating { since: now })?;
        Ok(self.record(Some(by), now, None, EventKind::Reopened { requested_by, reason }))
    }
}

//! 议题协商: an accepted topic is deliberated under its plan (meetings, online opinions, votes), reaches a
//! resolution with minutes, may be sent back for reconsideration (复议), and, if it is a major matter, is
//! announced in writing before implementation.
//!
//! Meetings, opinions and votes are records of their own; the topic only guards that they happen while
//! it is deliberating ([`Topic::check_deliberating`]) and records meetings and votes on its timeline.

use chrono::{DateTime, Utc};

use crate::ids::{MeetingId, PersonId, VoteId};
use crate::topic::topic::wrong_stage;
use crate::topic::{
    AnnouncementText, DeliberationPlan, EventKind, Phase, Reason, Resolution, TimelineEvent, Topic, TopicError,
    TopicState, Transition,
};

impl Topic {
    /// Moves an accepted topic to `phase` when `allowed` accepts its current phase.
    pub(super) fn set_phase(
        &mut self,
        action: &'static str,
        allowed: impl Fn(Phase) -> bool,
        phase: Phase,
    ) -> Result<(), TopicError> {
        match &mut self.state {
            TopicState::Accepted(deliberation) if allowed(deliberation.phase) => {
                deliberation.phase = phase;
                Ok(())
            }
            other => Err(wrong_stage(action, other)),
        }
    }

    /// Refuses unless the topic is deliberating: storage calls it before recording a meeting, an opinion
    /// or a vote on the topic.
    pub fn check_deliberating(&self) -> Result<(), TopicError> {
        match self.state.phase() {
            Some(Phase::Deliberating { .. }) => Ok(()),
            _ => Err(wrong_stage("deliberate on", &self.state)),
        }
    }

    /// Replaces the plan (new dates, another form, more invitees, the major flag) while deliberating.
    pub fn revise_plan(
        mut self,
        by: PersonId,
        plan: DeliberationPlan,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        match &mut self.state {
            TopicState::Accepted(deliberation) if matches!(deliberation.phase, Phase::Deliberating { .. }) => {
                deliberation.plan = plan.clone();
            }
            other => return Err(wrong_stage("revise the plan of", other)),
        }
        Ok(self.record(Some(by), now, None, EventKind::PlanRevised { plan }))
    }

    /// The timeline entry for a meeting scheduled on the topic.
    pub fn record_meeting(
        &self,
        by: PersonId,
        meeting: MeetingId,
        now: DateTime<Utc>,
    ) -> Result<TimelineEvent, TopicError> {
        self.check_deliberating()?;
        Ok(self.event(Some(by), now, None, EventKind::MeetingScheduled { meeting }))
    }

    /// The timeline entry for a vote opened on the topic.
    pub fn record_vote(&self, by: PersonId, vote: VoteId, now: DateTime<Utc>) -> Result<TimelineEvent, TopicError> {
        self.check_deliberating()?;
        Ok(self.event(Some(by), now, None, EventKind::VoteOpened { vote }))
    }

    /// 决议: deliberation has reached its outcome.
    pub fn resolve(
        mut self,
        by: PersonId,
        resolution: Resolution,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let deliberating = |phase| matches!(phase, Phase::Deliberating { .. });
        self.set_phase("resolve", deliberating, Phase::Resolved { at: now })?;
        Ok(self.record(Some(by), now, None, EventKind::Resolved { resolution }))
    }

    /// 复议: a resolution not yet implemented goes back to deliberation, e.g. on new facts. Once
    /// implementation has started, the way back is escalation or, after publication, a reopening.
    pub fn reconsider(mut self, by: PersonId, reason: Reason, now: DateTime<Utc>) -> Result<Transition, TopicError> {
        let resolved = |phase| matches!(phase, Phase::Resolved { .. } | Phase::Announced { .. });
        self.set_phase("reconsider", resolved, Phase::Deliberating { since: now })?;
        Ok(self.record(Some(by), now, None, EventKind::Reconsidered { reason }))
    }

    /// Records the written announcement of the resolution to all residents. Required before
    /// implementing a major matter; allowed for any resolution.
    pub fn announce(
        mut self,
        by: PersonId,
        text: AnnouncementText,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let resolved = |phase| matches!(phase, Phase::Resolved { .. });
        self.set_phase("announce", resolved, Phase::Announced { at: now })?;
        Ok(self.record(Some(by), now, None, EventKind::Announced { text }))
    }
}

//! 议题梳理: the triager of the topic's level (the residents' committee, or the street once escalated)
//! classifies it and decides once: accept with a deliberation plan, merge into another topic, route to
//! the property company, reject with a reason, or escalate to the street (see `escalation.rs`). Every
//! decision ends co-signing and withdrawal; a second decision is refused as a wrong stage.

use chrono::{DateTime, Utc};

use crate::ids::{CompanyId, PersonId, TopicId};
use crate::topic::topic::wrong_stage;
use crate::topic::{
    Category, Deliberation, DeliberationPlan, EventKind, Note, Phase, Reason, ServiceRequest, ServiceStatus,
    TimelineEvent, Topic, TopicError, TopicState, Transition,
};

/// The result of merging a duplicate: the duplicate in its final state, an event for each timeline, and
/// the co-signatures storage must carry over.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Merge {
    pub merged: Topic,
    /// For the duplicate's timeline.
    pub event: TimelineEvent,
    /// For the target's timeline.
    pub target_event: TimelineEvent,
    pub carry_over: CoSignCarryOver,
}

/// What storage does with co-signatures on a merge. Add to `into` a co-signature for each co-signer of
/// `from` and for `from`'s submitter (their support was for the same matter), skipping `into`'s own
/// submitter (who cannot co-sign their own topic) and anyone already co-signing `into`. The duplicate's
/// own co-signatures stay where they are, as its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoSignCarryOver {
    pub from: TopicId,
    pub into: TopicId,
    pub also: PersonId,
    pub except: PersonId,
}

impl Topic {
    fn check_awaiting_triage(&self, action: &'static str) -> Result<(), TopicError> {
        match self.state {
            TopicState::AwaitingTriage { .. } => Ok(()),
            ref other => Err(wrong_stage(action, other)),
        }
    }

    /// Files the topic under another entry of its community's catalogue. Not a decision: the topic still
    /// awaits triage.
    pub fn reclassify(
        mut self,
        by: PersonId,
        category: &Category,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        self.check_awaiting_triage("reclassify")?;
        if category.id == self.category {
            return Err(TopicError::SameCategory);
        }
        category.check_usable_at(&self.place)?;
        let from = std::mem::replace(&mut self.category, category.id);
        Ok(self.record(Some(by), now, None, EventKind::Reclassified { from, to: category.id }))
    }

    /// Accepts the topic as a formal topic for deliberation, under `plan`. The triager's level goes on
    /// leading it: a topic the street accepts is deliberated under the street.
    pub fn accept(
        mut self,
        by: PersonId,
        plan: DeliberationPlan,
        note: Option<Note>,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        self.check_awaiting_triage("accept")?;
        let phase = Phase::Deliberating { since: now };
        self.state = TopicState::Accepted(Deliberation { plan: plan.clone(), phase });
        Ok(self.record(Some(by), now, note, EventKind::Accepted { plan }))
    }

    /// Folds this topic, a duplicate, into `target`. The target must be another topic that still takes
    /// support (awaiting triage, or accepted and still deliberating) and lie within the triager's
    /// jurisdiction (the community, or the street for a topic the street triages). Storage must hold
    /// both rows locked while it writes the result.
    pub fn merge_into(
        mut self,
        target: &Topic,
        by: PersonId,
        note: Option<Note>,
        now: DateTime<Utc>,
    ) -> Result<Merge, TopicError> {
        self.check_awaiting_triage("merge")?;
        if target.id == self.id {
            return Err(TopicError::SelfMerge);
        }
        let open = match &target.state {
            TopicState::AwaitingTriage { .. } => true,
            TopicState::Accepted(deliberation) => matches!(deliberation.phase, Phase::Deliberating { .. }),
            _ => false,
        };
        if !open {
            return Err(TopicError::MergeTargetClosed { state: target.state.code() });
        }
        if !self.jurisdiction().is_some_and(|place| target.place.is_within(place)) {
            return Err(TopicError::MergeTargetElsewhere);
        }
        self.state = TopicState::Merged { at: now, into: target.id };
        let carry_over =
            CoSignCarryOver { from: self.id, into: target.id, also: self.submitter, except: target.submitter };
        let target_event = target.event(Some(by), now, note.clone(), EventKind::MergedIn { from: self.id });
        let Transition { topic: merged, event } =
            self.record(Some(by), now, note, EventKind::Merged { into: target.id });
        Ok(Merge { merged, event, target_event, carry_over })
    }

    /// 一口受理: hands a simple request to the property company holding the compound's contract, which
    /// storage reads from the compound's facts (`None` when there is none).
    pub fn route(
        mut self,
        by: PersonId,
        company: Option<CompanyId>,
        note: Option<Note>,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        self.check_awaiting_triage("route")?;
        let company = company.ok_or(TopicError::NoPropertyCompany)?;
        self.state = TopicState::Routed(ServiceRequest { company, routed_at: now, status: ServiceStatus::Routed });
        Ok(self.record(Some(by), now, note, EventKind::Routed { company }))
    }

    /// A request routed to a company whose contract has since ended would wait for nobody: the old company
    /// may no longer act (`RoutedElsewhere`) and the new one was never asked. The triager hands it to the
    /// company holding the contract now, afresh: its acknowledgement and deadline start again, since the
    /// old company's promise left with its contract. A job already reported done stays with its report.
    pub fn reroute(
        mut self,
        by: PersonId,
        company: Option<CompanyId>,
        note: Option<Note>,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let from = match &self.state {
            TopicState::Routed(request)
                if matches!(request.status, ServiceStatus::Routed | ServiceStatus::Acknowledged { .. }) =>
            {
                request.company
            }
            other => return Err(wrong_stage("reroute", other)),
        };
        let to = company.ok_or(TopicError::NoPropertyCompany)?;
        if to == from {
            return Err(TopicError::StillUnderContract);
        }
        self.state = TopicState::Routed(ServiceRequest { company: to, routed_at: now, status: ServiceStatus::Routed });
        Ok(self.record(Some(by), now, note, EventKind::Rerouted { from, to }))
    }

    /// Refuses the topic; the submitter and every resident read the reason.
    pub fn reject(mut self, by: PersonId, reason: Reason, now: DateTime<Utc>) -> Result<Transition, TopicError> {
        self.check_awaiting_triage("reject")?;
        self.state = TopicState::Rejected { at: now, reason: reason.clone() };
        Ok(self.record(Some(by), now, None, EventKind::Rejected { reason }))
    }
}

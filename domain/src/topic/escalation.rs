//! Escalation by level (一般问题不出社区、复杂问题不出街道、重大问题不出区县). The topic keeps its state; its
//! [`EscalationLevel`] rises by one.
//!
//! Decisions:
//! - at triage, the community may hand a topic to the street (topics spanning several communities are
//!   led by the street); the street then triages it like the community would, with its own deadline,
//!   but cannot pass it on to the district unexamined;
//! - while deliberating or implementing, a dispute the level cannot settle goes one level up, to the
//!   district at most. The brief names implementation; deliberation is included because a deliberation
//!   that deadlocks is exactly the dispute three-level mediation (seed 003) is for;
//! - a reason is always required: the level above must know why it is receiving the topic.

use chrono::{DateTime, Utc};

use crate::ids::PersonId;
use crate::topic::topic::wrong_stage;
use crate::topic::{EscalationLevel, EventKind, Phase, Reason, Topic, TopicError, TopicState, Transition};

impl Topic {
    pub fn escalate(self, by: PersonId, reason: Reason, now: DateTime<Utc>) -> Result<Transition, TopicError> {
        self.escalate_as(Some(by), reason, now)
    }

    /// Escalation by rule (一般问题不出社区、复杂问题不出街道): the scheduler hands up a topic whose task stayed
    /// undone after a warning letter and its grace period. No person takes this step.
    pub fn escalate_by_rule(self, reason: Reason, now: DateTime<Utc>) -> Result<Transition, TopicError> {
        self.escalate_as(None, reason, now)
    }

    fn escalate_as(
        mut self,
        by: Option<PersonId>,
        reason: Reason,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let from = self.level;
        let limit = TopicError::EscalationLimit { level: from };
        let to = match &self.state {
            TopicState::AwaitingTriage { .. } => {
                if from != EscalationLevel::Community {
                    return Err(limit);
                }
                self.state = TopicState::AwaitingTriage { since: now };
                EscalationLevel::Street
            }
            TopicState::Accepted(deliberation)
                if matches!(deliberation.phase, Phase::Deliberating { .. } | Phase::Implementing { .. }) =>
            {
                from.next().ok_or(limit)?
            }
            other => return Err(wrong_stage("escalate", other)),
        };
        self.level = to;
        Ok(self.record(by, now, None, EventKind::Escalated { from, to, reason }))
    }
}

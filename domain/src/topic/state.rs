//! Where a topic stands, with exactly the data the rules still need in that state. Everything else a
//! step produced (the plan's history, the resolution, the announcement) is in the timeline event that
//! recorded it.
//!
//! After triage a topic takes one of two paths that never meet again: a simple request routed to the
//! property company follows the small [`ServiceRequest`] lifecycle, and an accepted topic follows the
//! [`Phase`]s of deliberation, implementation and feedback under its [`DeliberationPlan`].

use chrono::{DateTime, Utc};

use crate::ids::{CompanyId, TopicId};
use crate::topic::{DeliberationPlan, Reason, Stage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicState {
    /// 待梳理: waiting for the triager of the topic's level. `since` is the submission, or the escalation
    /// to the street, and starts the triage deadline.
    AwaitingTriage { since: DateTime<Utc> },
    /// The submitter took it back before triage decided.
    Withdrawn { at: DateTime<Utc> },
    /// Refused at triage; the submitter reads the reason.
    Rejected { at: DateTime<Utc>, reason: Reason },
    /// A duplicate, folded into another topic with its co-signers.
    Merged { at: DateTime<Utc>, into: TopicId },
    /// 一口受理: handed to the property company as a service request.
    Routed(ServiceRequest),
    /// A formal topic for deliberation.
    Accepted(Deliberation),
}

/// A simple request the property company handles without deliberation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRequest {
    /// The company holding the compound's contract when the request was routed.
    pub company: CompanyId,
    pub routed_at: DateTime<Utc>,
    pub status: ServiceStatus,
}

/// Decision: a dispute sends the request back to `Acknowledged` (the company already knows it and
/// must do the work again), not to `Routed`. Done may be reported straight from `Routed` for jobs
/// finished on the spot. A submitter who neither confirms nor disputes within the confirmation window
/// is taken to be satisfied, and the scheduler confirms by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceStatus {
    Routed,
    Acknowledged { at: DateTime<Utc> },
    Done { at: DateTime<Utc> },
    Confirmed { at: DateTime<Utc>, by_default: bool },
}

/// An accepted topic: its plan (kept through every later phase, revised only while deliberating) and
/// where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deliberation {
    pub plan: DeliberationPlan,
    pub phase: Phase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// 协商: meetings, opinions and votes happen here. `since` is the acceptance, the reconsideration or
    /// the reopening that began this round of deliberation.
    Deliberating {
        since: DateTime<Utc>,
    },
    /// 决议: a resolution with minutes exists.
    Resolved {
        at: DateTime<Utc>,
    },
    /// A major matter's resolution was announced in writing to all residents.
    Announced {
        at: DateTime<Utc>,
    },
    /// 落实: tasks exist and are being carried out.
    Implementing {
        since: DateTime<Utc>,
    },
    /// Every task was accepted; the outcome must be published within the publication deadline.
    Completed {
        at: DateTime<Utc>,
    },
    /// 居务公开: the outcome and its implementation are published.
    Published {
        at: DateTime<Utc>,
    },
    /// Residents rate their satisfaction until `closes_at`.
    RatingOpen {
        closes_at: DateTime<Utc>,
    },
    Closed {
        at: DateTime<Utc>,
    },
}

impl TopicState {
    /// Every value of [`TopicState::code`], for a storage CHECK constraint and exhaustive tests.
    pub const CODES: [&'static str; 16] = [
        "awaiting_triage",
        "withdrawn",
        "rejected",
        "merged",
        "service_routed",
        "service_acknowledged",
        "service_done",
        "service_confirmed",
        "deliberating",
        "resolved",
        "announced",
        "implementing",
        "completed",
        "published",
        "rating_open",
        "closed",
    ];

    /// The fine-grained state as a stable snake_case code: storage's status column, and what
    /// [`TopicError::WrongStage`](crate::topic::TopicError::WrongStage) names.
    pub const fn code(&self) -> &'static str {
        match self {
            TopicState::AwaitingTriage { .. } => "awaiting_triage",
            TopicState::Withdrawn { .. } => "withdrawn",
            TopicState::Rejected { .. } => "rejected",
            TopicState::Merged { .. } => "merged",
            TopicState::Routed(request) => match request.status {
                ServiceStatus::Routed => "service_routed",
                ServiceStatus::Acknowledged { .. } => "service_acknowledged",
                ServiceStatus::Done { .. } => "service_done",
                ServiceStatus::Confirmed { .. } => "service_confirmed",
            },
            TopicState::Accepted(deliberation) => deliberation.phase.code(),
        }
    }

    /// The coarse stage for feeds and counts.
    pub const fn stage(&self) -> Stage {
        match self {
            TopicState::AwaitingTriage { .. } => Stage::Collecting,
            TopicState::Withdrawn { .. } => Stage::Withdrawn,
            TopicState::Rejected { .. } => Stage::Rejected,
            TopicState::Merged { .. } => Stage::Merged,
            TopicState::Routed(_) => Stage::Service,
            TopicState::Accepted(deliberation) => match deliberation.phase {
                Phase::Deliberating { .. } | Phase::Resolved { .. } | Phase::Announced { .. } => Stage::Deliberating,
                Phase::Implementing { .. } | Phase::Completed { .. } => Stage::Implementing,
                Phase::Published { .. } | Phase::RatingOpen { .. } => Stage::Feedback,
                Phase::Closed { .. } => Stage::Closed,
            },
        }
    }

    /// Nothing more is expected of anyone: withdrawn, rejected, merged, a confirmed service request, or a
    /// closed topic. Only a closed topic can still be reopened.
    pub const fn is_finished(&self) -> bool {
        match self {
            TopicState::AwaitingTriage { .. } => false,
            TopicState::Withdrawn { .. } | TopicState::Rejected { .. } | TopicState::Merged { .. } => true,
            TopicState::Routed(request) => matches!(request.status, ServiceStatus::Confirmed { .. }),
            TopicState::Accepted(deliberation) => matches!(deliberation.phase, Phase::Closed { .. }),
        }
    }

    pub const fn phase(&self) -> Option<Phase> {
        match self {
            TopicState::Accepted(deliberation) => Some(deliberation.phase),
            _ => None,
        }
    }

    pub const fn plan(&self) -> Option<&DeliberationPlan> {
        match self {
            TopicState::Accepted(deliberation) => Some(&deliberation.plan),
            _ => None,
        }
    }
}

impl Phase {
    pub const fn code(&self) -> &'static str {
        match self {
            Phase::Deliberating { .. } => "deliberating",
            Phase::Resolved { .. } => "resolved",
            Phase::Announced { .. } => "announced",
            Phase::Implementing { .. } => "implementing",
            Phase::Completed { .. } => "completed",
            Phase::Published { .. } => "published",
            Phase::RatingOpen { .. } => "rating_open",
            Phase::Closed { .. } => "closed",
        }
    }
}

//! The co-governance pipeline's topic lifecycle (DOMAIN.md, "The pipeline"):
//! 议题征集 collect → 议题梳理 triage → 议题协商 deliberate → 议题落实 implement → 反馈/评价 feedback.
//!
//! A [`Topic`] is a state machine. Every step is a method that consumes the topic and returns a
//! [`Transition`] (the topic in its new state and the [`TimelineEvent`] that records who, when and why) or
//! a [`TopicError`] naming the rule broken. Steps that change nothing but the timeline (co-signing, a
//! staff note, a reopen request) borrow the topic and return just the event. Time is always a parameter.
//! Who may take a step is not decided here but by [`crate::policy`]; the only person checks here are the
//! ones that are part of the step itself (only the submitter withdraws, confirms or disputes; nobody
//! co-signs their own topic).
//!
//! ```text
//!                     submit
//!                       │
//!                       ▼                    withdraw (submitter)
//!   ┌──────────▶ awaiting_triage ────────────────────────────────▶ withdrawn
//!   │ escalate    (community,  │ reject ────────────────────────▶ rejected
//!   └─ to street  then street) │ merge_into ────────────────────▶ merged
//!                              │ route ─────────▶ service_routed ─▶ … ─▶ service_confirmed
//!                              │                  (service_request.rs)
//!                              │ accept (plan)
//!                              ▼
//!   ┌──────────────────▶ deliberating ◀─────────── reconsider ───────────┬──────────────┐
//!   │                          │ resolve                                 │              │
//!   │                          ▼                                         │              │
//!   │                       resolved ────────────────────────────────────┘              │
//!   │                          │  └── announce ──▶ announced ───────────────────────────┘
//!   │   start_implementation   │                      │ start_implementation
//!   │   (not a major matter)   ▼                      │
//!   │                     implementing ◀──────────────┘
//!   │                          │ complete (every task accepted)
//!   │                          ▼
//!   │                      completed ── publish ──▶ published ── open_rating ──▶ rating_open
//!   │                                                                               │ close (from closes_at)
//!   │                                                                               ▼
//!   └────────────── reopen (staff grant a resident's request) ◀──────────────────── closed
//!                   (also from published and rating_open)
//! ```
//!
//! Escalation (`escalation.rs`) raises the topic's [`EscalationLevel`] from awaiting_triage (to the
//! street), deliberating or implementing (up to the district) without changing its state. [`Stage`] is the
//! coarse view for feeds and counts.

mod catalogue;
mod collect;
mod deadline;
mod deliberation;
mod error;
mod escalation;
mod feedback;
mod implementation;
mod level;
mod location;
mod party_roles;
mod photos;
mod plan;
mod resolution;
mod round;
mod service_request;
mod stage;
mod state;
pub(crate) mod text;
mod timeline;
mod triage;
// The file holding the `Topic` type is named for it, like every other file here.
#[allow(clippy::module_inception)]
mod topic;

pub use catalogue::{Category, CategoryCode, STANDARD_CATALOGUE};
pub use collect::{Placement, TopicDraft};
pub use deadline::{Deadline, DeadlineDays, DeadlineKind, Deadlines};
pub use error::TopicError;
pub use implementation::TaskProgress;
pub use level::EscalationLevel;
pub use location::{Datum, Location};
pub use photos::{PhotoKey, Photos};
pub use plan::{DeliberationForm, DeliberationPlan, Invitee, Party, PlanDraft};
pub use resolution::Resolution;
pub use round::SolicitationRound;
pub use stage::Stage;
pub use state::{Deliberation, Phase, ServiceRequest, ServiceStatus, TopicState};
pub use text::{
    AnnouncementText, CategoryName, InviteeName, Minutes, Note, OutcomeSummary, Reason, ResolutionText, RoundTheme,
    TopicDescription, TopicTitle,
};
pub use timeline::{EventKind, TimelineEvent, Visibility};
pub use topic::{Topic, Transition};
pub use triage::{CoSignCarryOver, Merge};

#[cfg(test)]
mod collect_tests;
#[cfg(test)]
mod deliberation_tests;
#[cfg(test)]
mod feedback_tests;
#[cfg(test)]
mod service_tests;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod timeline_tests;
#[cfg(test)]
mod triage_tests;

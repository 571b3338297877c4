//! A topic's timeline: every step as an event with who, when and why. It is the topic's audit trail, and
//! its public part is what every resident of the place sees.
//!
//! Storage keeps an event as columns for who, when, the optional note, [`EventKind::kind_code`] and
//! [`EventKind::visibility`] (to filter cheaply), and the kind itself as JSON: `EventKind` serializes with
//! its code as the `"kind"` tag, so the JSON alone reads back into the same event, and every text in it is
//! parsed again on the way in. Events are only ever appended.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{CategoryId, CompanyId, MeetingId, PersonId, TaskId, TopicId, VoteId};
use crate::topic::{AnnouncementText, DeliberationPlan, EscalationLevel, Note, OutcomeSummary, Reason, Resolution};

/// Who may read an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Every resident of the topic's place, and everyone with a role over it.
    Public,
    /// Community staff and officers of the levels above (internal working notes and personal data).
    Staff,
}

impl Visibility {
    pub const fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Staff => "staff",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    pub topic: TopicId,
    /// The person who took the step; `None` for the system (the scheduler confirming a service by
    /// default, closing a rating).
    pub actor: Option<PersonId>,
    pub at: DateTime<Utc>,
    /// A free remark on the step; [`EventKind::note_visibility`] says who reads it. Reasons the rules
    /// require are in the kind, as visible as the event.
    pub note: Option<Note>,
    pub kind: EventKind,
}

impl TimelineEvent {
    pub const fn visibility(&self) -> Visibility {
        self.kind.visibility()
    }
}

/// What happened, with the data each step carries. Ids of things recorded elsewhere (meetings, votes,
/// tasks) are references; texts are carried whole, since the timeline is the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    // Collect
    Submitted,
    /// One more resident supports the topic (附议); the actor is the co-signer.
    CoSigned,
    Withdrawn,
    // Triage
    Reclassified {
        from: CategoryId,
        to: CategoryId,
    },
    Accepted {
        plan: DeliberationPlan,
    },
    /// On the duplicate: it now lives on in `into`.
    Merged {
        into: TopicId,
    },
    /// On the topic that absorbed the duplicate `from` and its co-signers.
    MergedIn {
        from: TopicId,
    },
    Routed {
        company: CompanyId,
    },
    /// The request went from a company whose contract ended to the one holding it now.
    Rerouted {
        from: CompanyId,
        to: CompanyId,
    },
    Rejected {
        reason: Reason,
    },
    Escalated {
        from: EscalationLevel,
        to: EscalationLevel,
        reason: Reason,
    },
    // Service request
    ServiceAcknowledged,
    ServiceDone {
        report: Note,
    },
    ServiceDisputed {
        reason: Reason,
    },
    ServiceConfirmed {
        by_default: bool,
    },
    // Deliberate
    PlanRevised {
        plan: DeliberationPlan,
    },
    /// Minutes of a meeting recorded, or a corrected version of them (published records are append-only:
    /// every version stays, and the timeline says when each appeared).
    MinutesRecorded {
        meeting: MeetingId,
        version: u32,
    },
    MeetingScheduled {
        meeting: MeetingId,
    },
    VoteOpened {
        vote: VoteId,
    },
    Resolved {
        resolution: Resolution,
    },
    /// 复议: back to deliberation, e.g. because new facts appeared.
    Reconsidered {
        reason: Reason,
    },
    Announced {
        text: AnnouncementText,
    },
    // Implement
    ImplementationStarted {
        tasks: Vec<TaskId>,
    },
    Completed,
    /// 提示函 or 警示函 to the party owning an overdue task; `None` actor: the scheduler sent it.
    TaskLetter {
        task: TaskId,
        letter: crate::task::Letter,
    },
    /// A task the residents' committee accepted as done.
    TaskAccepted {
        task: TaskId,
    },
    // Feedback
    Published {
        summary: OutcomeSummary,
    },
    RatingOpened {
        closes_at: DateTime<Utc>,
    },
    Closed,
    /// A resident is not satisfied and asks for the topic to be taken up again; the actor asks.
    ReopenRequested {
        reason: Reason,
    },
    ReopenDeclined {
        requested_by: PersonId,
        reason: Reason,
    },
    Reopened {
        requested_by: PersonId,
        reason: Reason,
    },
    // Anywhere
    StaffNote {
        text: Note,
    },
}

impl EventKind {
    /// Steps a resident takes as a private person (raising, withdrawing, co-signing, confirming or disputing
    /// a service, asking to reopen). Their neighbours see that the step happened, not who took it; steps
    /// taken in an office (triage, resolutions, letters) name their actor, for accountability.
    pub const fn is_residents_own_step(&self) -> bool {
        matches!(
            self,
            EventKind::Submitted
                | EventKind::Withdrawn
                | EventKind::CoSigned
                | EventKind::ServiceConfirmed { .. }
                | EventKind::ServiceDisputed { .. }
                | EventKind::ReopenRequested { .. }
        )
    }

    /// Every code [`EventKind::kind_code`] can return, for those who choose among events (webhook
    /// subscriptions).
    pub const CODES: [&'static str; 33] = [
        "submitted",
        "co_signed",
        "withdrawn",
        "reclassified",
        "accepted",
        "merged",
        "merged_in",
        "routed",
        "rerouted",
        "rejected",
        "escalated",
        "service_acknowledged",
        "service_done",
        "service_disputed",
        "service_confirmed",
        "plan_revised",
        "meeting_scheduled",
        "minutes_recorded",
        "vote_opened",
        "resolved",
        "reconsidered",
        "announced",
        "implementation_started",
        "completed",
        "task_letter",
        "task_accepted",
        "published",
        "rating_opened",
        "closed",
        "reopen_requested",
        "reopen_declined",
        "reopened",
        "staff_note",
    ];

    /// Stable snake_case code, the same as the `"kind"` tag of the JSON form.
    pub const fn kind_code(&self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::CoSigned => "co_signed",
            EventKind::Withdrawn => "withdrawn",
            EventKind::Reclassified { .. } => "reclassified",
            EventKind::Accepted { .. } => "accepted",
            EventKind::Merged { .. } => "merged",
            EventKind::MergedIn { .. } => "merged_in",
            EventKind::Routed { .. } => "routed",
            EventKind::Rerouted { .. } => "rerouted",
            EventKind::Rejected { .. } => "rejected",
            EventKind::Escalated { .. } => "escalated",
            EventKind::ServiceAcknowledged => "service_acknowledged",
            EventKind::ServiceDone { .. } => "service_done",
            EventKind::ServiceDisputed { .. } => "service_disputed",
            EventKind::ServiceConfirmed { .. } => "service_confirmed",
            EventKind::PlanRevised { .. } => "plan_revised",
            EventKind::MeetingScheduled { .. } => "meeting_scheduled",
            EventKind::MinutesRecorded { .. } => "minutes_recorded",
            EventKind::VoteOpened { .. } => "vote_opened",
            EventKind::Resolved { .. } => "resolved",
            EventKind::Reconsidered { .. } => "reconsidered",
            EventKind::Announced { .. } => "announced",
            EventKind::ImplementationStarted { .. } => "implementation_started",
            EventKind::Completed => "completed",
            EventKind::TaskLetter { .. } => "task_letter",
            EventKind::TaskAccepted { .. } => "task_accepted",
            EventKind::Published { .. } => "published",
            EventKind::RatingOpened { .. } => "rating_opened",
            EventKind::Closed => "closed",
            EventKind::ReopenRequested { .. } => "reopen_requested",
            EventKind::ReopenDeclined { .. } => "reopen_declined",
            EventKind::Reopened { .. } => "reopened",
            EventKind::StaffNote { .. } => "staff_note",
        }
    }

    /// Decision: every step of the pipeline is public, rejection reasons and merges included, since
    /// residents are owed the why (居务公开). Two kinds are staff-only: staff notes (internal working
    /// notes), and individual co-signatures — who supports what is personal data the co-signer did not
    /// choose to show the whole compound; the public sees the count on the topic instead.
    pub const fn visibility(&self) -> Visibility {
        match self {
            EventKind::CoSigned | EventKind::StaffNote { .. } => Visibility::Staff,
            _ => Visibility::Public,
        }
    }

    /// Who reads the free note on an event of this kind. Decision (issue 13): a note on a step taken in
    /// office — a triage decision above all: accepting, merging, routing — is the staff's working note
    /// ("check with the street first", a name, a phone number), so only the staff read it; the residents
    /// are owed the why, and that is in the kind, public: a rejection's or an escalation's reason, the
    /// plan, the report. A resident's note on their own step (why they withdraw, that the work is done) is
    /// theirs to say, as visible as the step.
    pub const fn note_visibility(&self) -> Visibility {
        if self.is_residents_own_step() { self.visibility() } else { Visibility::Staff }
    }

    /// Whether the note is addressed to the property company the step hands the topic to (routing's
    /// instruction, "请物业三日内修复"): its staff read it beside the staff, though it is a triage note.
    pub const fn note_addresses_the_company(&self) -> bool {
        matches!(self, EventKind::Routed { .. } | EventKind::Rerouted { .. })
    }
}

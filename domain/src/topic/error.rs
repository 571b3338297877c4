//! Why the pipeline refused a step. Each variant names the rule broken; [`TopicError::code`] gives the
//! stable snake_case code the API puts in a payload status, since most of these are expected business
//! outcomes (a topic already decided, a round already closed) rather than faults.

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::Invalid;
use crate::topic::EscalationLevel;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TopicError {
    /// A field did not parse (empty, too long, control characters, unknown value, wrong kind of place).
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The step does not apply to a topic in this state, including a second decision on a decided topic.
    #[error("cannot {action} a topic that is {state}")]
    WrongStage { action: &'static str, state: &'static str },
    #[error("only the submitter may do this")]
    NotSubmitter,
    #[error("the submitter cannot co-sign their own topic")]
    OwnTopic,
    #[error("a topic cannot be merged into itself")]
    SelfMerge,
    #[error("the topic to merge into is {state}, and no longer takes duplicates")]
    MergeTargetClosed { state: &'static str },
    #[error("the topic to merge into lies outside the triager's jurisdiction")]
    MergeTargetElsewhere,
    #[error("at most {max} photos")]
    TooManyPhotos { max: usize },
    #[error("the same photo is attached twice")]
    DuplicatePhoto,
    #[error("photo key {given:?} is not an opaque storage key")]
    PhotoKey { given: String },
    #[error("a location must be latitude and longitude in degrees within range")]
    Location,
    #[error("GCJ-02 coordinates only exist within China")]
    LocationOutsideChina,
    #[error("category code {given:?} is not lowercase letters, digits and underscores")]
    CategoryCode { given: String },
    #[error("the category belongs to another community's catalogue")]
    CategoryElsewhere,
    #[error("the category has been retired from the catalogue")]
    CategoryRetired,
    #[error("the topic already has this category")]
    SameCategory,
    #[error("the solicitation round must close after it opens, and in the future")]
    RoundDates,
    #[error("the solicitation round is not open (it runs from {opens_at} until {closes_at})")]
    RoundNotOpen { opens_at: DateTime<Utc>, closes_at: DateTime<Utc> },
    #[error("the solicitation round is for another place")]
    RoundElsewhere,
    #[error("the compound has no property company under contract to route the request to")]
    NoPropertyCompany,
    /// The request went to a company whose contract has since ended; today's company may not act on it.
    #[error("the request was routed to a company that no longer serves the compound")]
    RoutedElsewhere,
    /// A re-route asked for while the request's company still holds the contract.
    #[error("the company the request was routed to still serves the compound")]
    StillUnderContract,
    #[error("a topic led by the {level} cannot be escalated further at this stage")]
    EscalationLimit { level: EscalationLevel },
    #[error("a deliberation plan needs at least one of the five parties")]
    NoParties,
    #[error("the deliberation plan ends before it starts")]
    PlanDates,
    #[error("at most {max} invitees")]
    TooManyInvitees { max: usize },
    #[error("the same invitee is named twice")]
    DuplicateInvitee,
    #[error("a major matter must be announced in writing before implementation starts")]
    AnnouncementRequired,
    #[error("implementation needs at least one task")]
    NoTasks,
    #[error("{open} tasks are not yet accepted")]
    TasksOutstanding { open: u32 },
    #[error("the submitter may still confirm or dispute the service until {until}")]
    ConfirmationWindowOpen { until: DateTime<Utc> },
    #[error("the rating stays open until {closes_at}")]
    RatingStillOpen { closes_at: DateTime<Utc> },
    #[error("the vote is still open; a resolution can cite it once it has closed")]
    VoteStillOpen,
    #[error("the vote did not pass, so it cannot carry a resolution")]
    VoteNotPassed,
    #[error("the vote belongs to another topic")]
    VoteElsewhere,
    #[error("{field} must be between 1 and {max} days")]
    DeadlineDays { field: &'static str, max: u16 },
}

impl TopicError {
    /// Stable code for clients to switch on. Input errors share `invalid`; the API words them from the
    /// inner [`Invalid`].
    pub const fn code(&self) -> &'static str {
        match self {
            TopicError::Invalid(_) => "invalid",
            TopicError::WrongStage { .. } => "wrong_stage",
            TopicError::NotSubmitter => "not_submitter",
            TopicError::OwnTopic => "own_topic",
            TopicError::SelfMerge => "self_merge",
            TopicError::MergeTargetClosed { .. } => "merge_target_closed",
            TopicError::MergeTargetElsewhere => "merge_target_elsewhere",
            TopicError::TooManyPhotos { .. } => "too_many_photos",
            TopicError::DuplicatePhoto => "duplicate_photo",
            TopicError::PhotoKey { .. } => "photo_key",
            TopicError::Location => "location",
            TopicError::LocationOutsideChina => "location_outside_china",
            TopicError::CategoryCode { .. } => "category_code",
            TopicError::CategoryElsewhere => "category_elsewhere",
            TopicError::CategoryRetired => "category_retired",
            TopicError::SameCategory => "same_category",
            TopicError::RoundDates => "round_dates",
            TopicError::RoundNotOpen { .. } => "round_not_open",
            TopicError::RoundElsewhere => "round_elsewhere",
            TopicError::NoPropertyCompany => "no_property_company",
            TopicError::RoutedElsewhere => "routed_elsewhere",
            TopicError::StillUnderContract => "still_under_contract",
            TopicError::EscalationLimit { .. } => "escalation_limit",
            TopicError::NoParties => "no_parties",
            TopicError::PlanDates => "plan_dates",
            TopicError::TooManyInvitees { .. } => "too_many_invitees",
            TopicError::DuplicateInvitee => "duplicate_invitee",
            TopicError::AnnouncementRequired => "announcement_required",
            TopicError::NoTasks => "no_tasks",
            TopicError::TasksOutstanding { .. } => "tasks_outstanding",
            TopicError::ConfirmationWindowOpen { .. } => "confirmation_window_open",
            TopicError::RatingStillOpen { .. } => "rating_still_open",
            TopicError::VoteStillOpen => "vote_still_open",
            TopicError::VoteNotPassed => "vote_not_passed",
            TopicError::VoteElsewhere => "vote_elsewhere",
            TopicError::DeadlineDays { .. } => "deadline_days",
        }
    }
}

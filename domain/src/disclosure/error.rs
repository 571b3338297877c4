//! Why a disclosure step was refused. [`DisclosureError::code`] is the stable code the API carries.

use chrono::{DateTime, NaiveDate, Utc};
use thiserror::Error;

use super::content::Side;
use super::money::Fen;
use crate::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DisclosureError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("{given} is not the first day of a period of this disclosure")]
    PeriodStart { given: NaiveDate },
    #[error("the period ends at {ends_at}; a disclosure covers a whole period")]
    PeriodNotEnded { ends_at: DateTime<Utc> },
    #[error("amount {given:?} is not a number of yuan with at most two decimals, up to ten billion")]
    Amount { given: String },
    #[error("the declared {side:?} total {declared} does not equal the sum of the lines, {computed}")]
    TotalsDoNotAddUp { side: Side, declared: Fen, computed: Fen },
    #[error("the {side:?} total is required")]
    TotalRequired { side: Side },
    #[error("this disclosure states no {side:?} total")]
    TotalNotExpected { side: Side },
    #[error("line {key} needs an amount")]
    AmountRequired { key: String },
    #[error("line {key} is not money and takes no amount")]
    AmountNotExpected { key: String },
    #[error("a {category} line does not belong in a {kind} disclosure")]
    CategoryNotInKind { category: &'static str, kind: &'static str },
    #[error("line key {given:?} must be 1–40 letters, digits, '-' or '_'")]
    LineKey { given: String },
    #[error("two lines share the key {key}")]
    DuplicateLineKey { key: String },
    #[error("at most {max} lines")]
    TooManyLines { max: usize },
    #[error("at most {max} attachments")]
    TooManyAttachments { max: usize },
    #[error("the same attachment is given twice")]
    DuplicateAttachment,
    #[error("this period is already published; a published disclosure is never edited, publish a correction")]
    AlreadyPublished,
    #[error("nothing is published for this period yet; there is nothing to correct")]
    NothingToCorrect,
    #[error("a correction needs the reason for it")]
    CorrectionReason,
    #[error("the correction changes nothing")]
    NothingChanged,
    #[error("version {latest} is the latest; the correction was made against an older one")]
    StaleVersion { latest: i32 },
    #[error("the version has no line {key}")]
    NoSuchLine { key: String },
    #[error("the question has already been answered")]
    AlreadyAnswered,
    #[error("the minutes' lines are the period's meetings and their minutes; lines are not given")]
    LinesFromMeetings,
    /// Another version of the place was published at the same moment; the loser publishes again.
    #[error("another version was published meanwhile; reload and try again")]
    Raced,
}

impl DisclosureError {
    pub const fn code(&self) -> &'static str {
        match self {
            DisclosureError::Invalid(_) => "invalid",
            DisclosureError::PeriodStart { .. } => "period_start",
            DisclosureError::PeriodNotEnded { .. } => "period_not_ended",
            DisclosureError::Amount { .. } => "amount",
            DisclosureError::TotalsDoNotAddUp { .. } => "totals_do_not_add_up",
            DisclosureError::TotalRequired { .. } => "total_required",
            DisclosureError::TotalNotExpected { .. } => "total_not_expected",
            DisclosureError::AmountRequired { .. } => "amount_required",
            DisclosureError::AmountNotExpected { .. } => "amount_not_expected",
            DisclosureError::CategoryNotInKind { .. } => "category_not_in_kind",
            DisclosureError::LineKey { .. } => "line_key",
            DisclosureError::DuplicateLineKey { .. } => "duplicate_line_key",
            DisclosureError::TooManyLines { .. } => "too_many_lines",
            DisclosureError::TooManyAttachments { .. } => "too_many_attachments",
            DisclosureError::DuplicateAttachment => "duplicate_attachment",
            DisclosureError::AlreadyPublished => "published_is_immutable",
            DisclosureError::NothingToCorrect => "nothing_to_correct",
            DisclosureError::CorrectionReason => "correction_reason",
            DisclosureError::NothingChanged => "nothing_changed",
            DisclosureError::StaleVersion { .. } => "stale_version",
            DisclosureError::NoSuchLine { .. } => "no_such_line",
            DisclosureError::AlreadyAnswered => "already_answered",
            DisclosureError::Raced => "raced",
            DisclosureError::LinesFromMeetings => "lines_from_meetings",
        }
    }
}

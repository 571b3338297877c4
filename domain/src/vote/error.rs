//! Why vote arithmetic refused its input. These refusals mean the counts handed in cannot be right (a
//! storage bug, stale or tampered data), never that a vote went one way: a vote that fails or lacks its
//! turnout is a [`Verdict`](super::Verdict), which is data.

use thiserror::Error;

use crate::ids::PlaceId;

/// Variants name the rule broken, as [`crate::Invalid`] does; the API words them.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VoteInvalid {
    #[error("{field} is negative")]
    Negative { field: &'static str },
    #[error("a group of owners has floor area but no owners, or owners but no floor area")]
    AreaWithoutOwners,
    #[error("{field} is zero: there is nobody to vote")]
    Empty { field: &'static str },
    #[error("{part} exceeds {whole}")]
    Exceeds { part: &'static str, whole: &'static str },
    #[error("{field} is too large to count")]
    Overflow { field: &'static str },
    #[error("a threshold must be a fraction between 0 and 1 that some share can meet")]
    Threshold,
    #[error("co-owners of a unit must name at least one person")]
    NoCoOwners,
    #[error("unit {unit} is on the owners' roll twice")]
    DuplicateUnit { unit: PlaceId },
    #[error("unit {unit} is not on the owners' roll")]
    UnknownUnit { unit: PlaceId },
    #[error("a ballot for unit {unit}, whose owner is not identified")]
    UnidentifiedOwner { unit: PlaceId },
    #[error("more than one ballot for {place}")]
    DuplicateBallot { place: PlaceId },
    #[error("the owners of unit {unit} cast different choices for their units")]
    SplitBallot { unit: PlaceId },
    #[error("the owners of unit {voted} voted for it but not for their unit {missing}")]
    PartialBallot { voted: PlaceId, missing: PlaceId },
}

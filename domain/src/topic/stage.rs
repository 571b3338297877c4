//! The coarse stage of a topic, derived from its state, for feeds, filters and statistics ("topics by
//! stage and category"). Storage may keep it in a column for indexing, but always as
//! [`TopicState::stage`](crate::topic::TopicState::stage) computed it, never set on its own.
//!
//! Decisions:
//! - `Collecting` is the whole of 征集 and 梳理: a submitted topic awaiting triage, at the community or
//!   escalated to the street;
//! - `Deliberating` includes a resolution not yet implemented (resolved, announced): the 协商 step has
//!   produced its outcome but nothing is being done yet;
//! - `Implementing` includes completed-but-unpublished topics: the work is done, the report to residents
//!   is not, and the publication deadline runs;
//! - `Feedback` is published and rating open (反馈/评价);
//! - a topic routed to the property company leaves the pipeline for good: its stage is `Service` for
//!   its whole small lifecycle, including after the submitter confirms. Whether it is done is
//!   [`TopicState::is_finished`](crate::topic::TopicState::is_finished);
//! - `Rejected`, `Merged` and `Withdrawn` are terminal; `Closed` can only be left by a reopening.

use std::fmt;

use crate::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Collecting,
    Deliberating,
    Implementing,
    Feedback,
    Closed,
    Service,
    Rejected,
    Merged,
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Collecting,
        Stage::Deliberating,
        Stage::Implementing,
        Stage::Feedback,
        Stage::Closed,
        Stage::Service,
        Stage::Rejected,
        Stage::Merged,
        Stage::Withdrawn,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Collecting => "collecting",
            Stage::Deliberating => "deliberating",
            Stage::Implementing => "implementing",
            Stage::Feedback => "feedback",
            Stage::Closed => "closed",
            Stage::Service => "service",
            Stage::Rejected => "rejected",
            Stage::Merged => "merged",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|stage| stage.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "stage", given: input.to_owned() })
    }

    /// The stages of the deliberation pipeline proper, in order: the public "where is my topic" bar.
    pub const fn is_pipeline(self) -> bool {
        matches!(self, Stage::Collecting | Stage::Deliberating | Stage::Implementing | Stage::Feedback | Stage::Closed)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip_through_their_codes() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Ok(stage));
        }
        assert!(Stage::parse("triage").is_err());
    }
}

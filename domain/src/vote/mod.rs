//! Vote arithmetic, exact and free of I/O. Three kinds of vote close a deliberation (see DOMAIN.md,
//! "Deliberate"):
//!
//! - the owners' statutory vote under Civil Code art. 278 ([`decide_owners_vote`]), weighed by exclusive
//!   area and by head, on sums storage computes as [`OwnersRoll`] documents;
//! - the meeting vote among invited parties ([`decide_meeting_vote`]);
//! - the residents' consultation vote, one ballot per household ([`decide_household_vote`]).
//!
//! Every share is an exact fraction ([`Share`]) and every outcome carries the shares beside the thresholds
//! they were held to, so a client can show why a vote passed, failed or was invalid. Refused inputs
//! ([`VoteInvalid`]) mean the counts cannot be right; a failed vote is a [`Verdict`], not an error.

mod ballot_box;
mod choice;
mod electorate;
mod error;
mod fraction;
mod household;
mod mandate;
mod matter;
mod meeting;
mod roll;
mod statutory;
mod tally;
mod verdict;

pub use ballot_box::{BallotRefusal, VoteKind, VoteWindow};
pub use choice::{BallotCount, Choice};
pub use electorate::{Electorate, Weight};
pub use error::VoteInvalid;
pub use fraction::{Criterion, Share, Threshold};
pub use household::{HouseholdBallot, HouseholdOutcome, count_household_ballots, decide_household_vote};
pub use mandate::{
    Mandate, MandateRefusal, MandateScope, MandateSource, MandateTerm, ProxyCap, may_hold, subject_party,
};
pub use matter::OwnersMatter;
pub use meeting::{DEFAULT_MEETING_QUORUM, MeetingOutcome, MeetingTally, decide_meeting_vote};
pub use roll::{Owner, OwnersRoll, Unit, UnitBallot};
pub use statutory::{AreaAndHeads, StatutoryOutcome, decide_owners_vote};
pub use tally::Tally;
pub use verdict::Verdict;

#[cfg(test)]
mod roll_tests;
#[cfg(test)]
mod statutory_tests;
#[cfg(test)]
mod testing;

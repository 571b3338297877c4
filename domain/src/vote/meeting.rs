//! The vote of a deliberation meeting (联席会议 and the like) among the parties invited to it: valid with a
//! quorum of the invitees, passed by a simple majority of the votes cast.
//!
//! Decisions, as no statute fixes these numbers:
//! - the quorum is a parameter, by default more than half of the invitees ([`DEFAULT_MEETING_QUORUM`]),
//!   measured on those present. A meeting that takes no attendance (an online vote) passes the number who
//!   voted as `present`;
//! - "simple majority of votes cast" means more than half of every ballot returned, abstentions included,
//!   so a tie fails and an abstention weighs like a vote against. A ballot is cast by one invited party.

use crate::vote::{BallotCount, Criterion, Threshold, Verdict, VoteInvalid};

/// More than half of the invitees present.
pub const DEFAULT_MEETING_QUORUM: Threshold = Threshold::MORE_THAN_HALF;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeetingTally {
    invited: u64,
    present: u64,
    votes: BallotCount,
}

impl MeetingTally {
    /// Refuses a meeting with nobody invited, more present than invited, and more votes than present.
    pub fn new(invited: u64, present: u64, votes: BallotCount) -> Result<Self, VoteInvalid> {
        if invited == 0 {
            return Err(VoteInvalid::Empty { field: "invitees" });
        }
        if present > invited {
            return Err(VoteInvalid::Exceeds { part: "those present", whole: "the invitees" });
        }
        if votes.cast() > present {
            return Err(VoteInvalid::Exceeds { part: "votes cast", whole: "those present" });
        }
        Ok(Self { invited, present, votes })
    }

    pub const fn invited(&self) -> u64 {
        self.invited
    }

    pub const fn present(&self) -> u64 {
        self.present
    }

    pub const fn votes(&self) -> BallotCount {
        self.votes
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeetingOutcome {
    pub tally: MeetingTally,
    /// Present of invited, against the quorum.
    pub quorum: Criterion,
    /// For of votes cast, against more than half.
    pub majority: Criterion,
    pub verdict: Verdict,
}

pub fn decide_meeting_vote(tally: MeetingTally, quorum: Threshold) -> MeetingOutcome {
    let votes = tally.votes;
    let quorum = Criterion::measure(tally.present.into(), tally.invited.into(), quorum);
    let majority = Criterion::measure(votes.in_favour().into(), votes.cast().into(), Threshold::MORE_THAN_HALF);
    MeetingOutcome { tally, quorum, majority, verdict: Verdict::decide(quorum.met, majority.met) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::testing::ok;

    fn meeting(invited: u64, present: u64, for_against_abstain: (u64, u64, u64)) -> MeetingTally {
        let (in_favour, against, abstaining) = for_against_abstain;
        ok(MeetingTally::new(invited, present, ok(BallotCount::new(in_favour, against, abstaining))))
    }

    #[test]
    fn exactly_half_the_invitees_present_is_no_quorum_by_default() {
        let outcome = decide_meeting_vote(meeting(10, 5, (5, 0, 0)), DEFAULT_MEETING_QUORUM);
        assert!(!outcome.quorum.met);
        assert_eq!(outcome.verdict, Verdict::Invalid);
    }

    #[test]
    fn one_more_than_half_the_invitees_present_is_a_quorum() {
        let outcome = decide_meeting_vote(meeting(10, 6, (4, 2, 0)), DEFAULT_MEETING_QUORUM);
        assert!(outcome.quorum.met);
        assert_eq!(outcome.verdict, Verdict::Passed);
    }

    #[test]
    fn a_custom_quorum_of_two_thirds_is_met_exactly_at_two_thirds() {
        let two_thirds = ok(Threshold::at_least(2, 3));
        assert_eq!(decide_meeting_vote(meeting(9, 6, (6, 0, 0)), two_thirds).verdict, Verdict::Passed);
        assert_eq!(decide_meeting_vote(meeting(9, 5, (5, 0, 0)), two_thirds).verdict, Verdict::Invalid);
    }

    #[test]
    fn a_tie_fails() {
        let outcome = decide_meeting_vote(meeting(8, 6, (3, 3, 0)), DEFAULT_MEETING_QUORUM);
        assert!(!outcome.majority.met);
        assert_eq!(outcome.verdict, Verdict::Failed);
    }

    #[test]
    fn abstentions_are_cast_so_half_for_with_an_abstention_fails() {
        let outcome = decide_meeting_vote(meeting(8, 6, (3, 2, 1)), DEFAULT_MEETING_QUORUM);
        assert_eq!(outcome.majority.share.to_string(), "1/2");
        assert_eq!(outcome.verdict, Verdict::Failed);
    }

    #[test]
    fn one_vote_more_than_half_of_those_cast_passes() {
        assert_eq!(decide_meeting_vote(meeting(8, 7, (4, 2, 1)), DEFAULT_MEETING_QUORUM).verdict, Verdict::Passed);
    }

    #[test]
    fn present_members_who_do_not_vote_count_for_the_quorum_only() {
        let outcome = decide_meeting_vote(meeting(10, 6, (2, 1, 0)), DEFAULT_MEETING_QUORUM);
        assert!(outcome.quorum.met);
        assert_eq!(outcome.majority.share.to_string(), "2/3");
        assert_eq!(outcome.verdict, Verdict::Passed);
    }

    #[test]
    fn a_quorum_with_nobody_voting_fails() {
        assert_eq!(decide_meeting_vote(meeting(4, 3, (0, 0, 0)), DEFAULT_MEETING_QUORUM).verdict, Verdict::Failed);
    }

    #[test]
    fn impossible_meeting_counts_are_refused() {
        let votes = |f, a, b| ok(BallotCount::new(f, a, b));
        assert_eq!(MeetingTally::new(0, 0, votes(0, 0, 0)), Err(VoteInvalid::Empty { field: "invitees" }));
        assert_eq!(
            MeetingTally::new(5, 6, votes(1, 0, 0)),
            Err(VoteInvalid::Exceeds { part: "those present", whole: "the invitees" })
        );
        assert_eq!(
            MeetingTally::new(5, 3, votes(2, 1, 1)),
            Err(VoteInvalid::Exceeds { part: "votes cast", whole: "those present" })
        );
    }
}

//! The residents' consultation vote (居民协商表决): one ballot per household, passed when more than half of
//! the households that took part voted for. There is no turnout rule, so the verdict is never
//! [`Verdict::Invalid`]; abstaining households took part, so they weigh like households against.

use crate::ids::PlaceId;
use crate::vote::{BallotCount, Choice, Criterion, Threshold, Verdict, VoteInvalid};

/// The ballot one household returned, whichever member cast it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HouseholdBallot {
    pub household: PlaceId,
    pub choice: Choice,
}

/// Counts household ballots, refusing a second ballot from one household: members share the one vote,
/// and storage must keep it unique per (vote, household).
pub fn count_household_ballots(ballots: impl IntoIterator<Item = HouseholdBallot>) -> Result<BallotCount, VoteInvalid> {
    let mut seen = std::collections::BTreeSet::new();
    let mut count = BallotCount::default();
    for HouseholdBallot { household, choice } in ballots {
        if !seen.insert(household) {
            return Err(VoteInvalid::DuplicateBallot { place: household });
        }
        count = count.record(choice)?;
    }
    Ok(count)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HouseholdOutcome {
    pub votes: BallotCount,
    /// Households for of households taking part, against more than half.
    pub approval: Criterion,
    pub verdict: Verdict,
}

pub fn decide_household_vote(votes: BallotCount) -> HouseholdOutcome {
    let approval = Criterion::measure(votes.in_favour().into(), votes.cast().into(), Threshold::MORE_THAN_HALF);
    HouseholdOutcome { votes, approval, verdict: Verdict::decide(true, approval.met) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vote::testing::{household, ok};

    fn ballots(choices: &[Choice]) -> Vec<HouseholdBallot> {
        choices.iter().map(|&choice| HouseholdBallot { household: household(), choice }).collect()
    }

    #[test]
    fn a_tie_among_households_fails() {
        let votes = ok(count_household_ballots(ballots(&[Choice::For, Choice::For, Choice::Against, Choice::Against])));
        let outcome = decide_household_vote(votes);
        assert_eq!(outcome.approval.share.to_string(), "1/2");
        assert_eq!(outcome.verdict, Verdict::Failed);
    }

    #[test]
    fn one_household_more_than_half_passes() {
        let votes = ok(count_household_ballots(ballots(&[Choice::For, Choice::For, Choice::For, Choice::Against])));
        assert_eq!(decide_household_vote(votes).verdict, Verdict::Passed);
    }

    #[test]
    fn abstaining_households_take_part_but_do_not_approve() {
        let votes = ok(count_household_ballots(ballots(&[Choice::For, Choice::For, Choice::Against, Choice::Abstain])));
        assert_eq!(votes.cast(), 4);
        assert_eq!(decide_household_vote(votes).verdict, Verdict::Failed);
    }

    #[test]
    fn no_ballots_fail() {
        assert_eq!(decide_household_vote(BallotCount::default()).verdict, Verdict::Failed);
    }

    #[test]
    fn a_second_ballot_from_one_household_is_refused() {
        let home = household();
        let twice = [
            HouseholdBallot { household: home, choice: Choice::For },
            HouseholdBallot { household: home, choice: Choice::Against },
        ];
        assert_eq!(count_household_ballots(twice), Err(VoteInvalid::DuplicateBallot { place: home }));
    }
}

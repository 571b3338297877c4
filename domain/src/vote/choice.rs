//! What a ballot says, and how many ballots said each thing when every ballot weighs one (meetings,
//! households). Owners' ballots weigh by area and head instead; see [`Tally`](super::Tally).

use crate::Invalid;
use crate::vote::VoteInvalid;

/// 同意 / 反对 / 弃权. Abstaining is taking part: it counts toward turnout and toward the votes cast, never
/// toward approval, so it weighs like a vote against when a majority is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Choice {
    For,
    Against,
    Abstain,
}

impl Choice {
    pub const fn as_str(self) -> &'static str {
        match self {
            Choice::For => "for",
            Choice::Against => "against",
            Choice::Abstain => "abstain",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input {
            "for" => Ok(Choice::For),
            "against" => Ok(Choice::Against),
            "abstain" => Ok(Choice::Abstain),
            other => Err(Invalid::UnknownValue { field: "choice", given: other.to_owned() }),
        }
    }
}

/// Ballots counted one each, with their total kept beside them so that it is computed (and checked for
/// overflow) once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BallotCount {
    in_favour: u64,
    against: u64,
    abstaining: u64,
    cast: u64,
}

impl BallotCount {
    pub fn new(in_favour: u64, against: u64, abstaining: u64) -> Result<Self, VoteInvalid> {
        let cast = in_favour
            .checked_add(against)
            .and_then(|n| n.checked_add(abstaining))
            .ok_or(VoteInvalid::Overflow { field: "ballots" })?;
        Ok(Self { in_favour, against, abstaining, cast })
    }

    pub const fn in_favour(&self) -> u64 {
        self.in_favour
    }

    pub const fn against(&self) -> u64 {
        self.against
    }

    pub const fn abstaining(&self) -> u64 {
        self.abstaining
    }

    pub const fn of(&self, choice: Choice) -> u64 {
        match choice {
            Choice::For => self.in_favour,
            Choice::Against => self.against,
            Choice::Abstain => self.abstaining,
        }
    }

    /// Every ballot returned, abstentions included.
    pub const fn cast(&self) -> u64 {
        self.cast
    }

    /// This count with one more ballot for `choice`.
    pub(crate) fn record(self, choice: Choice) -> Result<Self, VoteInvalid> {
        let (mut in_favour, mut against, mut abstaining) = (self.in_favour, self.against, self.abstaining);
        let slot = match choice {
            Choice::For => &mut in_favour,
            Choice::Against => &mut against,
            Choice::Abstain => &mut abstaining,
        };
        *slot = slot.checked_add(1).ok_or(VoteInvalid::Overflow { field: "ballots" })?;
        Self::new(in_favour, against, abstaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_through_their_codes() {
        for choice in [Choice::For, Choice::Against, Choice::Abstain] {
            assert_eq!(Choice::parse(choice.as_str()), Ok(choice));
        }
        assert!(Choice::parse("yes").is_err());
    }

    #[test]
    fn abstentions_are_cast() {
        assert_eq!(BallotCount::new(3, 2, 1).map(|c| c.cast()), Ok(6));
    }

    #[test]
    fn a_count_whose_total_overflows_is_refused() {
        assert_eq!(BallotCount::new(u64::MAX, 1, 0), Err(VoteInvalid::Overflow { field: "ballots" }));
        let full = BallotCount::new(u64::MAX, 0, 0);
        assert_eq!(full.and_then(|c| c.record(Choice::Abstain)), Err(VoteInvalid::Overflow { field: "ballots" }));
    }
}

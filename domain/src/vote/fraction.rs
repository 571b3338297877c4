//! Exact fractions for vote thresholds. A share is a reduced ratio of unsigned integers, so "exactly two
//! thirds" is exactly two thirds and no float ever rounds a vote across a statutory line.

use std::fmt;

use num_rational::Ratio;

use crate::vote::VoteInvalid;

/// A part of a whole: participating area of the compound's area, owners for of owners taking part, and so
/// on. The raw counts stay in the tally beside it, so a client can show "6 of 9" as well as "2/3".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(Ratio<u128>);

impl Share {
    pub const ZERO: Share = Share(Ratio::new_raw(0, 1));

    /// `part` of `whole`. Nothing of nothing is no share: an empty whole gives zero, which meets no
    /// threshold (thresholds are refused unless some positive share is needed), so a vote nobody took part
    /// in never passes.
    pub(crate) fn of(part: u128, whole: u128) -> Share {
        if whole == 0 { Share::ZERO } else { Share(Ratio::new(part, whole)) }
    }

    pub fn numer(&self) -> u128 {
        *self.0.numer()
    }

    pub fn denom(&self) -> u128 {
        *self.0.denom()
    }

    pub const fn as_ratio(&self) -> Ratio<u128> {
        self.0
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numer(), self.denom())
    }
}

/// The share a criterion needs: at least a fraction, or more than it. Chinese statutes say which: under
/// Civil Code art. 1259, 以上 ("… or more") includes the number itself, while 过半数 ("more than half")
/// does not, so exactly half is not a majority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Threshold {
    fraction: Ratio<u128>,
    inclusive: bool,
}

impl Threshold {
    /// 三分之二以上: the art. 278 turnout.
    pub const TWO_THIRDS: Threshold = Threshold { fraction: Ratio::new_raw(2, 3), inclusive: true };
    /// 四分之三以上: approval of art. 278 items 6 to 8.
    pub const THREE_QUARTERS: Threshold = Threshold { fraction: Ratio::new_raw(3, 4), inclusive: true };
    /// 过半数: approval of every other owners' matter, and the simple majorities of meetings and households.
    pub const MORE_THAN_HALF: Threshold = Threshold { fraction: Ratio::new_raw(1, 2), inclusive: false };

    /// At least `numer/denom`, for a fraction in (0, 1]. Zero is refused because a zero share would meet
    /// it, and a vote nobody took part in must not pass.
    pub fn at_least(numer: u64, denom: u64) -> Result<Self, VoteInvalid> {
        if numer == 0 || numer > denom {
            return Err(VoteInvalid::Threshold);
        }
        Ok(Self { fraction: Ratio::new(numer.into(), denom.into()), inclusive: true })
    }

    /// More than `numer/denom`, for a fraction in [0, 1). One is refused because no share exceeds it.
    pub fn more_than(numer: u64, denom: u64) -> Result<Self, VoteInvalid> {
        if numer >= denom {
            return Err(VoteInvalid::Threshold);
        }
        Ok(Self { fraction: Ratio::new(numer.into(), denom.into()), inclusive: false })
    }

    pub const fn fraction(&self) -> Ratio<u128> {
        self.fraction
    }

    /// Whether a share equal to the fraction meets it (以上) or must exceed it (过半数).
    pub const fn is_inclusive(&self) -> bool {
        self.inclusive
    }

    pub fn is_met_by(&self, share: Share) -> bool {
        if self.inclusive { share.0 >= self.fraction } else { share.0 > self.fraction }
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.inclusive { "≥" } else { ">" };
        write!(f, "{sign} {}/{}", self.fraction.numer(), self.fraction.denom())
    }
}

/// One measured share beside the threshold it had to meet, so an outcome can say why: "6/9 of owners took
/// part, ≥ 2/3 needed, met".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Criterion {
    pub share: Share,
    pub threshold: Threshold,
    pub met: bool,
}

impl Criterion {
    pub(crate) fn measure(part: u128, whole: u128, threshold: Threshold) -> Self {
        let share = Share::of(part, whole);
        Self { share, threshold, met: threshold.is_met_by(share) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_is_kept_exact_and_reduced() {
        assert_eq!(Share::of(6, 9).to_string(), "2/3");
        assert_eq!(Share::of(6, 9), Share::of(600_000, 900_000));
        assert_eq!(Share::of(5, 0), Share::ZERO);
    }

    #[test]
    fn at_least_includes_its_own_fraction() {
        assert!(Threshold::TWO_THIRDS.is_met_by(Share::of(2, 3)));
        assert!(!Threshold::TWO_THIRDS.is_met_by(Share::of(59_999, 90_000)));
    }

    #[test]
    fn more_than_half_excludes_exactly_half() {
        assert!(!Threshold::MORE_THAN_HALF.is_met_by(Share::of(1, 2)));
        assert!(Threshold::MORE_THAN_HALF.is_met_by(Share::of(40_001, 80_000)));
    }

    #[test]
    fn thresholds_no_share_could_meet_or_every_share_meets_are_refused() {
        assert_eq!(Threshold::at_least(0, 3), Err(VoteInvalid::Threshold));
        assert_eq!(Threshold::at_least(4, 3), Err(VoteInvalid::Threshold));
        assert_eq!(Threshold::at_least(1, 0), Err(VoteInvalid::Threshold));
        assert_eq!(Threshold::more_than(1, 1), Err(VoteInvalid::Threshold));
        assert_eq!(Threshold::more_than(0, 0), Err(VoteInvalid::Threshold));
        assert_eq!(Threshold::at_least(4, 6), Ok(Threshold::TWO_THIRDS));
        assert_eq!(Threshold::more_than(2, 4), Ok(Threshold::MORE_THAN_HALF));
    }

    #[test]
    fn nothing_of_nothing_meets_no_accepted_threshold() {
        assert_eq!(Threshold::more_than(0, 1).map(|t| t.is_met_by(Share::of(0, 0))), Ok(false));
        assert_eq!(Threshold::at_least(1, 1_000).map(|t| t.is_met_by(Share::of(0, 0))), Ok(false));
    }

    #[test]
    fn thresholds_display_as_the_statute_reads() {
        assert_eq!(Threshold::TWO_THIRDS.to_string(), "≥ 2/3");
        assert_eq!(Threshold::MORE_THAN_HALF.to_string(), "> 1/2");
    }
}

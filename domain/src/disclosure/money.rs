//! Amounts in exact fen (分), never floating point (issue 17). Written and read in yuan with at most two
//! decimals ("1234.50"), the way accounts are printed on a notice board.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::DisclosureError;

/// A non-negative amount in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Fen(i64);

impl Fen {
    /// Ten billion yuan: no compound's quarter comes near, and sums of a few hundred lines stay far from
    /// overflow.
    pub const MAX: i64 = 1_000_000_000_000;

    pub fn from_fen(fen: i64) -> Result<Self, DisclosureError> {
        if (0..=Self::MAX).contains(&fen) {
            Ok(Self(fen))
        } else {
            Err(DisclosureError::Amount { given: fen.to_string() })
        }
    }

    /// "1234", "1234.5" or "1234.56" yuan.
    pub fn parse_yuan(input: &str) -> Result<Self, DisclosureError> {
        let bad = || DisclosureError::Amount { given: input.to_owned() };
        let text = input.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let dangling_point = text.ends_with('.');
        if dangling_point || !digits(whole) || whole.len() > 13 || frac.len() > 2 || (!frac.is_empty() && !digits(frac))
        {
            return Err(bad());
        }
        let yuan: i64 = whole.parse().map_err(|_| bad())?;
        let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let fen = yuan.checked_mul(100).and_then(|f| f.checked_add(cents)).ok_or_else(bad)?;
        Self::from_fen(fen).map_err(|_| bad())
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }
}

impl fmt::Display for Fen {
    /// In yuan, two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_are_read_exactly_into_fen() {
        assert_eq!(Fen::parse_yuan("1234.56").map(Fen::fen), Ok(123_456));
        assert_eq!(Fen::parse_yuan("0.1").map(Fen::fen), Ok(10));
        assert_eq!(Fen::parse_yuan("12").map(Fen::fen), Ok(1200));
        // 0.1 + 0.2 in floating point is 0.30000000000000004; in fen it is 30.
        let sum = Fen::parse_yuan("0.1").ok().zip(Fen::parse_yuan("0.2").ok()).and_then(|(a, b)| a.checked_add(b));
        assert_eq!(sum.map(|f| f.to_string()), Some("0.30".to_owned()));
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in ["", "-1", "1.234", "1,000", "1e3", ".5", "5.", "99999999999999", "１２"] {
            assert!(Fen::parse_yuan(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Fen::parse_yuan("10000000000").is_ok(), "the maximum itself");
        assert!(Fen::parse_yuan("10000000000.01").is_err(), "one fen over");
    }
}

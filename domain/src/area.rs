//! Exclusive floor area (专有部分面积), the weight of an owner's vote. Kept as an exact count of
//! hundredths of a square metre: property certificates state areas to two decimals, sums over a compound
//! stay exact in any database, and no float ever touches a statutory threshold.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::Invalid;

/// Larger than any single unit a register could hold; a value above it is a typo (an extra digit, a
/// missing decimal point), not a unit.
const MAX_CENTI_M2: i64 = 10_000_000 * 100;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FloorArea(i64);

impl FloorArea {
    /// Parses "89.56", "120" or "75.5" (square metres). Rejects zero, negatives, more than two decimals,
    /// thousands separators and exponents.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let trimmed = input.trim();
        let invalid = || Invalid::FloorArea { given: input.to_owned() };
        if trimmed.is_empty() || !trimmed.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(invalid());
        }
        let decimal = Decimal::from_str(trimmed).map_err(|_| invalid())?;
        if decimal.scale() > 2 || decimal <= Decimal::ZERO {
            return Err(invalid());
        }
        let centi = (decimal * Decimal::ONE_HUNDRED).to_i64().ok_or_else(invalid)?;
        Self::from_centi_m2(centi).map_err(|_| Invalid::FloorAreaTooLarge { given: input.to_owned() })
    }

    pub fn from_centi_m2(centi: i64) -> Result<Self, Invalid> {
        if centi <= 0 {
            return Err(Invalid::FloorArea { given: centi.to_string() });
        }
        if centi > MAX_CENTI_M2 {
            return Err(Invalid::FloorAreaTooLarge { given: Self(centi).to_string() });
        }
        Ok(Self(centi))
    }

    pub const fn centi_m2(self) -> i64 {
        self.0
    }

    pub fn as_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }
}

impl fmt::Display for FloorArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Debug for FloorArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FloorArea({self} m²)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_certificate_style_areas_exactly() {
        assert_eq!(FloorArea::parse("89.56").map(FloorArea::centi_m2), Ok(8956));
        assert_eq!(FloorArea::parse("120").map(FloorArea::centi_m2), Ok(12000));
        assert_eq!(FloorArea::parse(" 75.5 ").map(FloorArea::centi_m2), Ok(7550));
        assert_eq!(FloorArea::parse("0.01").map(FloorArea::centi_m2), Ok(1));
    }

    #[test]
    fn refuses_what_a_certificate_would_not_say() {
        for bad in ["", "0", "0.00", "-5", "89.567", "1,200", "1e3", "abc", "89.5m2", "NaN"] {
            assert!(FloorArea::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn refuses_an_area_no_unit_has() {
        assert!(matches!(FloorArea::parse("100000000"), Err(Invalid::FloorAreaTooLarge { .. })));
    }

    #[test]
    fn displays_with_two_decimals() {
        assert_eq!(FloorArea::parse("75.5").map(|a| a.to_string()), Ok("75.50".to_owned()));
        assert_eq!(FloorArea::parse("0.07").map(|a| a.to_string()), Ok("0.07".to_owned()));
    }
}

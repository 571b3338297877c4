//! The two measures of a group of owners ([`Weight`]) and the whole they are measured against
//! ([`Electorate`]). Storage sums these in SQL; [`OwnersRoll`](super::OwnersRoll) computes the same sums
//! from units and so documents what the SQL must count.

use crate::vote::VoteInvalid;

/// A group of owners as art. 278 weighs them: the exclusive floor area they hold, in hundredths of a
/// square metre (as [`FloorArea`](crate::area::FloorArea) stores it), and how many owners they are by
/// head. Every statutory threshold is a double one, so the two always travel together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Weight {
    area_centi_m2: i64,
    heads: u64,
}

impl Weight {
    pub const ZERO: Weight = Weight { area_centi_m2: 0, heads: 0 };

    /// Every owner holds at least one unit of positive area, so area and heads are either both zero or
    /// both positive; anything else is a swapped or stale column and is refused before it decides a vote.
    pub fn new(area_centi_m2: i64, heads: u64) -> Result<Self, VoteInvalid> {
        if area_centi_m2 < 0 {
            return Err(VoteInvalid::Negative { field: "floor area" });
        }
        if (area_centi_m2 == 0) != (heads == 0) {
            return Err(VoteInvalid::AreaWithoutOwners);
        }
        Ok(Self { area_centi_m2, heads })
    }

    pub const fn area_centi_m2(self) -> i64 {
        self.area_centi_m2
    }

    pub const fn heads(self) -> u64 {
        self.heads
    }

    pub(crate) fn checked_add(self, other: Weight) -> Option<Weight> {
        Some(Weight {
            area_centi_m2: self.area_centi_m2.checked_add(other.area_centi_m2)?,
            heads: self.heads.checked_add(other.heads)?,
        })
    }

    /// The area as a ratio component; never negative, as `new` refuses that.
    pub(crate) fn area_u128(self) -> u128 {
        u128::from(self.area_centi_m2.unsigned_abs())
    }

    pub(crate) fn heads_u128(self) -> u128 {
        u128::from(self.heads)
    }
}

/// Every owner of the compound (全体业主): the whole that turnout is measured against. Heads are counted
/// as [`OwnersRoll`](super::OwnersRoll) describes (judicial interpretation art. 9), not one per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Electorate(Weight);

impl Electorate {
    pub fn new(total_area_centi_m2: i64, total_heads: u64) -> Result<Self, VoteInvalid> {
        if total_area_centi_m2 < 0 {
            return Err(VoteInvalid::Negative { field: "the compound's floor area" });
        }
        if total_area_centi_m2 == 0 {
            return Err(VoteInvalid::Empty { field: "the compound's floor area" });
        }
        if total_heads == 0 {
            return Err(VoteInvalid::Empty { field: "the compound's owners" });
        }
        Ok(Self(Weight { area_centi_m2: total_area_centi_m2, heads: total_heads }))
    }

    pub const fn area_centi_m2(&self) -> i64 {
        self.0.area_centi_m2
    }

    pub const fn heads(&self) -> u64 {
        self.0.heads
    }

    pub const fn weight(&self) -> Weight {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weight_refuses_negative_area() {
        assert_eq!(Weight::new(-1, 1), Err(VoteInvalid::Negative { field: "floor area" }));
    }

    #[test]
    fn a_weight_refuses_area_without_owners_and_owners_without_area() {
        assert_eq!(Weight::new(100, 0), Err(VoteInvalid::AreaWithoutOwners));
        assert_eq!(Weight::new(0, 1), Err(VoteInvalid::AreaWithoutOwners));
        assert_eq!(Weight::new(0, 0), Ok(Weight::ZERO));
    }

    #[test]
    fn an_electorate_needs_area_and_owners() {
        assert_eq!(Electorate::new(0, 9), Err(VoteInvalid::Empty { field: "the compound's floor area" }));
        assert_eq!(Electorate::new(-5, 9), Err(VoteInvalid::Negative { field: "the compound's floor area" }));
        assert_eq!(Electorate::new(90_000, 0), Err(VoteInvalid::Empty { field: "the compound's owners" }));
        assert_eq!(Electorate::new(90_000, 9).map(|e| (e.area_centi_m2(), e.heads())), Ok((90_000, 9)));
    }
}

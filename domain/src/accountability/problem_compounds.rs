//! 问题小区: each period, the compounds of a city in the top 5 % by complaints per household (seed 002:
//! 对投诉量排名前5%的小区列为问题小区, 实行"一院一案"整改). Complaints are the topics raised about the
//! compound (service requests are topics routed to the company, so they are counted with them); a topic
//! merged into another counts once, as the one it was merged into.
//!
//! The cut: of the `n` compounds with households, k = ⌈5 % × n⌉ places — so a city of fewer than 20
//! compounds still has its worst one. A compound is in the cut when at most k compounds (itself included)
//! have a rate at least as high as its own: compounds tied at the boundary are all in or all out (equal
//! figures, equal treatment), and a tie that would overflow the k places keeps them all out, so the list
//! never exceeds 5 % however flat the city's figures are (the seeded benchmark city, where 1,889 compounds
//! share the 251st place, would otherwise list 38 % of its compounds). A compound with no complaints is
//! never listed. Rates are compared exactly (a/b vs c/d by cross-multiplying).
//! A listed compound stays listed until it has been below the cut for two periods in a row.

use std::cmp::Ordering;

use crate::ids::PlaceId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompoundFigures {
    pub compound: PlaceId,
    pub complaints: u64,
    pub households: u64,
}

impl CompoundFigures {
    /// Compares complaints per household exactly.
    fn rate_cmp(&self, other: &Self) -> Ordering {
        (u128::from(self.complaints) * u128::from(other.households))
            .cmp(&(u128::from(other.complaints) * u128::from(self.households)))
    }
}

/// How many compounds the top 5 % of `n` is: ⌈n / 20⌉.
pub const fn cut_size(n: usize) -> usize {
    n.div_ceil(20)
}

/// The compounds in the top 5 % this period, worst first.
pub fn top_five_percent(figures: &[CompoundFigures]) -> Vec<CompoundFigures> {
    let mut ranked: Vec<CompoundFigures> = figures.iter().copied().filter(|f| f.households > 0).collect();
    let k = cut_size(ranked.len());
    ranked.sort_by(|a, b| b.rate_cmp(a).then_with(|| a.compound.cmp(&b.compound)));
    let mut listed = Vec::new();
    let mut i = 0;
    // Walk the ranking a group of equal rates at a time; a group that does not fit ends the cut.
    while i < ranked.len() {
        let group = ranked[i..].iter().take_while(|f| f.rate_cmp(&ranked[i]) == Ordering::Equal).count();
        if i + group > k || ranked[i].complaints == 0 {
            break;
        }
        listed.extend_from_slice(&ranked[i..i + group]);
        i += group;
    }
    listed
}

/// A compound's standing after a period: listed, and the periods in a row it has been below the cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    pub listed: bool,
    pub periods_below: u32,
}

/// Two periods in a row below the cut take a compound off the list.
pub const PERIODS_BELOW_TO_LEAVE: u32 = 2;

pub fn next_standing(previous: Standing, in_cut: bool) -> Standing {
    if in_cut {
        return Standing { listed: true, periods_below: 0 };
    }
    if !previous.listed {
        return Standing::default();
    }
    let periods_below = previous.periods_below + 1;
    Standing { listed: periods_below < PERIODS_BELOW_TO_LEAVE, periods_below }
}

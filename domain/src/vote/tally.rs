//! The owners' ballots of one statutory vote, summed by choice. Participation is derived from the three
//! sums, so "more agreed than took part" cannot even be written down.

use crate::vote::{Choice, VoteInvalid, Weight};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Tally {
    in_favour: Weight,
    against: Weight,
    abstaining: Weight,
    participating: Weight,
}

impl Tally {
    /// Each weight is the owners who chose that way: their summed area and their number by head.
    pub fn new(in_favour: Weight, against: Weight, abstaining: Weight) -> Result<Self, VoteInvalid> {
        let participating = in_favour
            .checked_add(against)
            .and_then(|sum| sum.checked_add(abstaining))
            .ok_or(VoteInvalid::Overflow { field: "participating owners" })?;
        Ok(Self { in_favour, against, abstaining, participating })
    }

    pub const fn in_favour(&self) -> Weight {
        self.in_favour
    }

    pub const fn against(&self) -> Weight {
        self.against
    }

    pub const fn abstaining(&self) -> Weight {
        self.abstaining
    }

    /// Everyone who returned a ballot. Abstaining is taking part (参与表决), so it counts here.
    pub const fn participating(&self) -> Weight {
        self.participating
    }

    pub const fn of(&self, choice: Choice) -> Weight {
        match choice {
            Choice::For => self.in_favour,
            Choice::Against => self.against,
            Choice::Abstain => self.abstaining,
        }
    }

    /// This tally with `weight` more owners having chosen `choice`.
    pub(crate) fn add(self, choice: Choice, weight: Weight) -> Result<Self, VoteInvalid> {
        let overflow = VoteInvalid::Overflow { field: "participating owners" };
        let (mut in_favour, mut against, mut abstaining) = (self.in_favour, self.against, self.abstaining);
        let slot = match choice {
            Choice::For => &mut in_favour,
            Choice::Against => &mut against,
            Choice::Abstain => &mut abstaining,
        };
        *slot = slot.checked_add(weight).ok_or(overflow)?;
        Self::new(in_favour, against, abstaining)
    }
}

//! The tenancy tree: city → district → street → community → compound → building → household.
//! Every record belongs to exactly one place, and what a person may see and do depends on where in this
//! tree their roles are.

use std::fmt;

use crate::Invalid;
use crate::ids::{CompanyId, PlaceId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceKind {
    City,
    District,
    Street,
    Community,
    Compound,
    Building,
    Household,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 7] = [
        PlaceKind::City,
        PlaceKind::District,
        PlaceKind::Street,
        PlaceKind::Community,
        PlaceKind::Compound,
        PlaceKind::Building,
        PlaceKind::Household,
    ];

    /// Depth in the tree: the city is 0, a household 6.
    pub const fn depth(self) -> usize {
        self as usize
    }

    pub fn parent(self) -> Option<PlaceKind> {
        self.depth().checked_sub(1).map(|d| Self::ALL[d])
    }

    pub fn child(self) -> Option<PlaceKind> {
        Self::ALL.get(self.depth() + 1).copied()
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            PlaceKind::City => "city",
            PlaceKind::District => "district",
            PlaceKind::Street => "street",
            PlaceKind::Community => "community",
            PlaceKind::Compound => "compound",
            PlaceKind::Building => "building",
            PlaceKind::Household => "household",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "kind", given: input.to_owned() })
    }

    /// A place of kind `self` may only hang directly under a place of its parent kind; cities are roots.
    pub fn check_parent(self, parent: Option<PlaceKind>) -> Result<(), Invalid> {
        if self.parent() == parent {
            return Ok(());
        }
        Err(Invalid::PlaceParent { child: self.as_str(), parent: parent.map_or("nothing", PlaceKind::as_str) })
    }
}

impl fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place with the ids of all its ancestors. Because the tree has fixed levels, "is X inside Y" is a
/// lookup in this array rather than a walk through the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ancestry {
    kind: PlaceKind,
    /// `levels[d]` is the id of the ancestor at depth `d`; `levels[kind.depth()]` is the place itself.
    levels: [Option<PlaceId>; 7],
}

impl Ancestry {
    /// Builds from the root-first ids of the path down to the place; the path's length fixes the kind.
    pub fn from_path(path: &[PlaceId]) -> Option<Self> {
        let kind = *PlaceKind::ALL.get(path.len().checked_sub(1)?)?;
        let mut levels = [None; 7];
        for (slot, id) in levels.iter_mut().zip(path) {
            *slot = Some(*id);
        }
        Some(Self { kind, levels })
    }

    /// The ancestry of a new child placed under `self`.
    pub fn child(&self, id: PlaceId) -> Option<Self> {
        let kind = self.kind.child()?;
        let mut levels = self.levels;
        levels[kind.depth()] = Some(id);
        Some(Self { kind, levels })
    }

    pub fn id(&self) -> PlaceId {
        // The slot of the place's own depth is always filled by construction.
        self.levels[self.kind.depth()].unwrap_or_else(|| unreachable!("ancestry without its own id"))
    }

    pub fn kind(&self) -> PlaceKind {
        self.kind
    }

    pub fn at(&self, kind: PlaceKind) -> Option<PlaceId> {
        self.levels[kind.depth()]
    }

    pub fn parent_id(&self) -> Option<PlaceId> {
        self.kind.parent().and_then(|k| self.at(k))
    }

    /// True when `place` is this place or one of its ancestors.
    pub fn is_within(&self, place: PlaceId) -> bool {
        self.levels.contains(&Some(place))
    }

    /// Root-first ids, ending with the place itself.
    pub fn path(&self) -> Vec<PlaceId> {
        self.levels.iter().flatten().copied().collect()
    }
}

/// What the rules need to know about the compound a place lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompoundFacts {
    pub owners_committee: Option<OwnersCommittee>,
    pub property_company: Option<CompanyId>,
}

/// An owners' committee (业委会) as filed with the street: how many seats it has and how many are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnersCommittee {
    pub seats: u16,
    pub filled: u16,
}

impl OwnersCommittee {
    /// Committees have 5 to 11 members in every city's rules we follow; we allow from 3 for small compounds.
    pub const MIN_SEATS: u16 = 3;
    pub const MAX_SEATS: u16 = 15;

    pub fn check_seats(seats: u16) -> Result<u16, Invalid> {
        if (Self::MIN_SEATS..=Self::MAX_SEATS).contains(&seats) {
            Ok(seats)
        } else {
            Err(Invalid::CommitteeSeats { min: Self::MIN_SEATS, max: Self::MAX_SEATS })
        }
    }
}

impl CompoundFacts {
    /// The seed-000 rule (邯民〔2018〕67号 三): where no owners' committee was elected, or fewer than half
    /// its seats are filled, the residents' committee acts in its place (代行) until a new one is elected.
    /// Exactly half filled is not "fewer than half".
    pub fn residents_committee_acts_for_owners(&self) -> bool {
        match self.owners_committee {
            None => true,
            Some(OwnersCommittee { seats, filled }) => u32::from(filled) * 2 < u32::from(seats),
        }
    }
}

/// The context the policy judges an action against: where the target is, and its compound's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceContext {
    pub ancestry: Ancestry,
    pub compound: Option<CompoundFacts>,
}

crate::person::bounded_text_type!(
    /// A place's display name (e.g. "锦绣花园", "3号楼", "2单元401").
    PlaceName, "name", 60
);

#[cfg(test)]
#[path = "place_tests.rs"]
mod tests;

//! The owners' roll (业主名册): who counts, and for how much, in an art. 278 vote. This is the reference
//! for the SQL that will compute [`Electorate`] and [`Tally`] in the database; both must agree on every
//! rule below.
//!
//! Area (专有部分面积) is each unit's exclusive floor area, as the register states it (judicial
//! interpretation art. 8: the property register, else the surveyed area, else the sale contract).
//!
//! Heads (业主人数) follow art. 9 of the Supreme People's Court's interpretation on disputes over
//! building ownership by units (最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释, 法释〔2009〕7号
//! as amended in 2020; before 2020 titled …具体应用法律…):
//! "业主人数可以按照专有部分的数量计算，一个专有部分按一人计算。但建设单位尚未出卖和虽已出卖但尚未交付
//! 的部分，以及同一买受人拥有一个以上专有部分的，按一人计算。" So:
//!
//! - one head per unit, however many people co-own it: co-owners (共有人) of a unit are one owner, cast one
//!   ballot for it together, and count once;
//! - one buyer of several units is one head, and their area counts in full (the sum of their units);
//! - the developer's units, unsold or sold but not yet delivered, are together one head. Storage must
//!   therefore key an undelivered unit to [`Owner::developer`] even when a buyer is already recorded;
//!   the register marks such units explicitly (decision 51), and the developer votes once for all of them
//!   through its representative;
//! - a unit whose owner the register does not know (no owner recorded, not marked as the developer's) is
//!   its own head ([`Owner::unidentified`]): "一个专有部分按一人计算" counts units, not known people, and
//!   the exceptions are only the developer's units and one buyer's several units — neither of which an
//!   unknown owner can be shown to be. Its area and head stay in the electorate, so the 2/3 turnout is
//!   measured against every owner, but nobody can vote for it until the owner is identified.
//!
//! **Decision where the interpretation is silent.** It speaks of "the same buyer" but not of a person who
//! co-owns unit A with someone and alone owns unit B. We count each distinct *owning party* once: a
//! single person, a fixed set of co-owners, or the developer. {P, X} owning A and {P} owning B are two
//! parties, so two heads, because they are different buyers (买受人) and A's ballot needs X's agreement
//! while B's does not. The other reading, merging every unit that shares any person into one head, would
//! let co-ownership chains collapse unrelated households into one owner, and was rejected. Parties are
//! compared as sets, so the order in which co-owners are listed does not matter.
//!
//! Ballots are recorded per unit (one per unit, as a unique key on (vote, unit) would enforce), but an
//! owning party votes once for all its units: all of a party's units must carry the same choice, and a
//! party that voted must have voted for every unit it owns. Anything else is refused rather than guessed.

use std::collections::{BTreeMap, BTreeSet};

use crate::area::FloorArea;
use crate::ids::{PersonId, PlaceId};
use crate::vote::{Choice, Electorate, Tally, VoteInvalid, Weight};

/// Who owns a unit, as one party for head counting: a non-empty set of co-owners, or the developer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Owner(Party);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Party {
    /// 建设单位: for its unsold units and its sold units not yet delivered.
    Developer,
    Persons(BTreeSet<PersonId>),
    /// The owner of this unit, not yet known to the register: a head of its own that cannot vote.
    Unidentified(PlaceId),
}

impl Owner {
    /// The key of the developer's party.
    pub const DEVELOPER_KEY: &'static str = "developer";
    /// The start of an unidentified owner's key.
    pub const UNIDENTIFIED_PREFIX: &'static str = "unidentified:";

    pub const fn developer() -> Self {
        Self(Party::Developer)
    }

    pub fn person(person: PersonId) -> Self {
        Self(Party::Persons(BTreeSet::from([person])))
    }

    /// The co-owners of a unit; a person listed twice is one co-owner.
    pub fn co_owners(persons: impl IntoIterator<Item = PersonId>) -> Result<Self, VoteInvalid> {
        let persons: BTreeSet<PersonId> = persons.into_iter().collect();
        if persons.is_empty() {
            return Err(VoteInvalid::NoCoOwners);
        }
        Ok(Self(Party::Persons(persons)))
    }

    /// The unknown owner of `unit`: counted, as its own head, but without anyone to vote for it.
    pub const fn unidentified(unit: PlaceId) -> Self {
        Self(Party::Unidentified(unit))
    }

    pub const fn is_developer(&self) -> bool {
        matches!(self.0, Party::Developer)
    }

    pub const fn is_unidentified(&self) -> bool {
        matches!(self.0, Party::Unidentified(_))
    }

    /// A stable text naming the party, for storage to count heads by (`COUNT(DISTINCT …)`): `developer`,
    /// `unidentified:<unit id>`, or the party's person ids, sorted and comma-separated.
    pub fn key(&self) -> String {
        match &self.0 {
            Party::Developer => Self::DEVELOPER_KEY.to_owned(),
            Party::Unidentified(unit) => format!("{}{unit}", Self::UNIDENTIFIED_PREFIX),
            Party::Persons(persons) => persons.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
        }
    }

    /// The persons of the party; none for the developer or an unidentified owner.
    pub fn persons(&self) -> impl Iterator<Item = PersonId> + '_ {
        let persons = match &self.0 {
            Party::Developer | Party::Unidentified(_) => None,
            Party::Persons(persons) => Some(persons.iter().copied()),
        };
        persons.into_iter().flatten()
    }
}

/// One exclusive unit (专有部分, a household in the tenancy tree) with its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: PlaceId,
    pub area: FloorArea,
    pub owner: Owner,
}

/// The ballot recorded for one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitBallot {
    pub unit: PlaceId,
    pub choice: Choice,
}

/// What one owning party brings to a vote.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holding {
    /// Sorted, and never empty.
    units: Vec<PlaceId>,
    /// The area of all the units, and one head.
    weight: Weight,
}

/// The owners of one compound, grouped into owning parties. Built once per vote from the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnersRoll {
    owner_of: BTreeMap<PlaceId, Owner>,
    holdings: BTreeMap<Owner, Holding>,
    electorate: Electorate,
}

impl OwnersRoll {
    /// Refuses a unit listed twice and an empty roll (a compound with no units has no owners to decide).
    pub fn new(units: impl IntoIterator<Item = Unit>) -> Result<Self, VoteInvalid> {
        let overflow = VoteInvalid::Overflow { field: "the compound's floor area" };
        let mut owner_of = BTreeMap::new();
        let mut parties: BTreeMap<Owner, (Vec<PlaceId>, i64)> = BTreeMap::new();
        let mut total_area: i64 = 0;
        for Unit { id, area, owner } in units {
            if owner_of.insert(id, owner.clone()).is_some() {
                return Err(VoteInvalid::DuplicateUnit { unit: id });
            }
            total_area = total_area.checked_add(area.centi_m2()).ok_or(overflow.clone())?;
            let (party_units, party_area) = parties.entry(owner).or_default();
            party_units.push(id);
            *party_area = party_area.checked_add(area.centi_m2()).ok_or(overflow.clone())?;
        }
        let mut holdings = BTreeMap::new();
        for (owner, (mut units, area)) in parties {
            units.sort_unstable();
            holdings.insert(owner, Holding { units, weight: Weight::new(area, 1)? });
        }
        let heads = u64::try_from(holdings.len()).map_err(|_| VoteInvalid::Overflow { field: "owners" })?;
        let electorate = Electorate::new(total_area, heads)?;
        Ok(Self { owner_of, holdings, electorate })
    }

    /// Every owner of the compound: all units' area, one head per owning party.
    pub const fn electorate(&self) -> Electorate {
        self.electorate
    }

    pub fn owner_of(&self, unit: PlaceId) -> Option<&Owner> {
        self.owner_of.get(&unit)
    }

    /// What `owner` weighs in a vote: the area of all their units and one head. `None` if they own nothing
    /// here.
    pub fn weight_of(&self, owner: &Owner) -> Option<Weight> {
        self.holdings.get(owner).map(|holding| holding.weight)
    }

    /// Sums per-unit ballots into a tally, one head and the full area per owning party that voted.
    /// Refuses a ballot for a unit not on the roll, two ballots for one unit, a party whose units carry
    /// different choices, and a party that voted for some of its units but not all.
    pub fn tally(&self, ballots: impl IntoIterator<Item = UnitBallot>) -> Result<Tally, VoteInvalid> {
        let mut choice_of: BTreeMap<PlaceId, Choice> = BTreeMap::new();
        for UnitBallot { unit, choice } in ballots {
            match self.owner_of.get(&unit) {
                None => return Err(VoteInvalid::UnknownUnit { unit }),
                // Nobody can have voted for an owner nobody knows.
                Some(owner) if owner.is_unidentified() => return Err(VoteInvalid::UnidentifiedOwner { unit }),
                Some(_) => {}
            }
            if choice_of.insert(unit, choice).is_some() {
                return Err(VoteInvalid::DuplicateBallot { place: unit });
            }
        }
        let mut tally = Tally::default();
        for holding in self.holdings.values() {
            let Some(choice) = party_choice(holding, &choice_of)? else { continue };
            tally = tally.add(choice, holding.weight)?;
        }
        Ok(tally)
    }
}

/// The one choice a party made for all its units, or `None` if it did not vote.
fn party_choice(holding: &Holding, choice_of: &BTreeMap<PlaceId, Choice>) -> Result<Option<Choice>, VoteInvalid> {
    let mut voted: Option<(PlaceId, Choice)> = None;
    let mut missing: Option<PlaceId> = None;
    for &unit in &holding.units {
        match (choice_of.get(&unit), voted) {
            (None, _) => missing = missing.or(Some(unit)),
            (Some(&choice), None) => voted = Some((unit, choice)),
            (Some(&choice), Some((first, chosen))) if choice != chosen => {
                return Err(VoteInvalid::SplitBallot { unit: first });
            }
            (Some(_), Some(_)) => {}
        }
    }
    match (voted, missing) {
        (Some((voted, _)), Some(missing)) => Err(VoteInvalid::PartialBallot { voted, missing }),
        (voted, _) => Ok(voted.map(|(_, choice)| choice)),
    }
}

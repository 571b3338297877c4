//! Tests of the authorization policy against a small tenancy tree:
//!
//! ```text
//! city ─ district ─ street ─┬─ community 1 ─┬─ compound A (owners' committee 7 seats / 5 filled, company P)
//!                           │               │    └─ building A ─┬─ household A1
//!                           │               │                   └─ household A2
//!                           │               └─ compound B (no committee, no property company)
//!                           │                    └─ building B ─── household B
//!                           └─ community 2 ─── compound C2 (no committee, company Q)
//!                                                └─ building C2 ── household C2
//! ```
//!
//! Each test builds its actors from grants on these places, asks one question, and checks the answer.

use uuid::Uuid;

use crate::Denied;
use crate::ids::{CompanyId, PersonId, PlaceId, RoleGrantId};
use crate::place::{Ancestry, CompoundFacts, OwnersCommittee, PlaceContext, PlaceKind};
use crate::policy::{Action, Actor, actions_at, authorize, authorize_delivery_operations, permitted};
use crate::role::{Grant, Role};

fn new_place_id() -> PlaceId {
    PlaceId::from_uuid(Uuid::new_v4())
}

fn new_company() -> CompanyId {
    CompanyId::from_uuid(Uuid::new_v4())
}

/// A new place one level below `parent`.
fn below(parent: &Ancestry) -> Ancestry {
    let Some(child) = parent.child(new_place_id()) else {
        panic!("a {} has no children in the tenancy tree", parent.kind());
    };
    child
}

/// The owners' committee of compound A: 7 seats, 5 filled, so it acts for itself.
const COMMITTEE_A: OwnersCommittee = OwnersCommittee { seats: 7, filled: 5 };

struct Tree {
    city: Ancestry,
    district: Ancestry,
    street: Ancestry,
    community_1: Ancestry,
    compound_a: Ancestry,
    building_a: Ancestry,
    household_a1: Ancestry,
    household_a2: Ancestry,
    compound_b: Ancestry,
    building_b: Ancestry,
    household_b: Ancestry,
    community_2: Ancestry,
    compound_c2: Ancestry,
    building_c2: Ancestry,
    household_c2: Ancestry,
    /// Holds compound A's contract.
    company_p: CompanyId,
    /// Holds compound C2's contract.
    company_q: CompanyId,
}

impl Tree {
    fn new() -> Self {
        let Some(city) = Ancestry::from_path(&[new_place_id()]) else {
            panic!("a one-id path is a city");
        };
        let district = below(&city);
        let street = below(&district);
        let community_1 = below(&street);
        let compound_a = below(&community_1);
        let building_a = below(&compound_a);
        let household_a1 = below(&building_a);
        let household_a2 = below(&building_a);
        let compound_b = below(&community_1);
        let building_b = below(&compound_b);
        let household_b = below(&building_b);
        let community_2 = below(&street);
        let compound_c2 = below(&community_2);
        let building_c2 = below(&compound_c2);
        let household_c2 = below(&building_c2);
        Self {
            city,
            district,
            street,
            community_1,
            compound_a,
            building_a,
            household_a1,
            household_a2,
            compound_b,
            building_b,
            household_b,
            community_2,
            compound_c2,
            building_c2,
            household_c2,
            company_p: new_company(),
            company_q: new_company(),
        }
    }

    /// The facts of the compound `place` lies in, as storage would load them.
    fn facts_of(&self, place: &Ancestry) -> Option<CompoundFacts> {
        let compound = place.at(PlaceKind::Compound)?;
        if compound == self.compound_a.id() {
            Some(CompoundFacts { owners_committee: Some(COMMITTEE_A), property_company: Some(self.company_p) })
        } else if compound == self.compound_b.id() {
            Some(CompoundFacts::default())
        } else if compound == self.compound_c2.id() {
            Some(CompoundFacts { owners_committee: None, property_company: Some(self.company_q) })
        } else {
            panic!("{place:?} is not in the fixture tree")
        }
    }

    /// The context of `place` with the fixture's compound facts.
    fn at(&self, place: &Ancestry) -> PlaceContext {
        PlaceContext { ancestry: place.clone(), compound: self.facts_of(place) }
    }
}

/// The context of `place` with other compound facts than the fixture's.
fn with_facts(place: &Ancestry, facts: CompoundFacts) -> PlaceContext {
    PlaceContext { ancestry: place.clone(), compound: Some(facts) }
}

fn committee(seats: u16, filled: u16) -> CompoundFacts {
    CompoundFacts { owners_committee: Some(OwnersCommittee { seats, filled }), property_company: None }
}

fn grant(role: Role, place: &Ancestry) -> Grant {
    Grant { id: RoleGrantId::from_uuid(Uuid::new_v4()), role, place: place.clone(), company: None }
}

fn property_grant(role: Role, place: &Ancestry, company: CompanyId) -> Grant {
    Grant { company: Some(company), ..grant(role, place) }
}

fn actor(grants: Vec<Grant>) -> Actor {
    Actor { person: PersonId::from_uuid(Uuid::new_v4()), grants }
}

fn one_role(role: Role, place: &Ancestry) -> Actor {
    actor(vec![grant(role, place)])
}

mod acting_for_owners;
mod acting_for_parties;
mod administration;
mod content;
mod disclosures;
mod granting;
mod needed;
mod office_holders;
mod partners;
mod permitted;
mod places;
mod property;
mod registers;

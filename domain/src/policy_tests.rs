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
use crate::policy::{Action, Actor, actions_at, authorize, permitted};
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

// ---------------------------------------------------------------------------------------------------
// Household registers and claims
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_resident_may_view_their_own_households_register() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let answer = authorize(&resident, Action::ViewRegister, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(answer, Ok(()));
}

#[test]
fn an_owner_may_view_their_own_households_register() {
    // Arrange
    let tree = Tree::new();
    let owner = one_role(Role::Owner, &tree.household_b);

    // Act
    let answer = authorize(&owner, Action::ViewRegister, &tree.at(&tree.household_b));

    // Assert
    assert_eq!(answer, Ok(()));
}

#[test]
fn a_resident_is_forbidden_a_neighbours_register_in_the_same_community() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let same_building = authorize(&resident, Action::ViewRegister, &tree.at(&tree.household_a2));
    let other_compound = authorize(&resident, Action::ViewRegister, &tree.at(&tree.household_b));

    // Assert
    assert_eq!(same_building, Err(Denied::Forbidden));
    assert_eq!(other_compound, Err(Denied::Forbidden));
}

#[test]
fn a_resident_may_not_view_the_register_of_their_own_building() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let answer = authorize(&resident, Action::ViewRegister, &tree.at(&tree.building_a));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn a_household_in_another_community_is_hidden_from_a_resident() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let register = authorize(&resident, Action::ViewRegister, &tree.at(&tree.household_c2));
    let claim = authorize(&resident, Action::ReviewClaim, &tree.at(&tree.household_c2));

    // Assert
    assert_eq!(register, Err(Denied::Hidden));
    assert_eq!(claim, Err(Denied::Hidden));
}

#[test]
fn a_resident_may_not_review_claims_on_their_own_household() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let answer = authorize(&resident, Action::ReviewClaim, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn residents_committee_staff_may_review_claims_and_view_registers_in_their_community() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let secretary = one_role(Role::PartySecretary, &tree.community_1);

    // Act
    let answers: Vec<_> = [&staff, &secretary]
        .into_iter()
        .flat_map(|person| {
            [
                authorize(person, Action::ReviewClaim, &tree.at(&tree.household_a1)),
                authorize(person, Action::ReviewClaim, &tree.at(&tree.household_b)),
                authorize(person, Action::ViewRegister, &tree.at(&tree.household_b)),
                authorize(person, Action::ViewRegister, &tree.at(&tree.compound_a)),
                authorize(person, Action::ViewRegister, &tree.at(&tree.community_1)),
            ]
        })
        .collect();

    // Assert
    assert!(answers.iter().all(|answer| *answer == Ok(())), "{answers:?}");
}

#[test]
fn residents_committee_staff_get_hidden_in_another_community() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let claim = authorize(&staff, Action::ReviewClaim, &tree.at(&tree.household_c2));
    let household = authorize(&staff, Action::ViewRegister, &tree.at(&tree.household_c2));
    let community = authorize(&staff, Action::ViewRegister, &tree.at(&tree.community_2));

    // Assert
    assert_eq!(claim, Err(Denied::Hidden));
    assert_eq!(household, Err(Denied::Hidden));
    assert_eq!(community, Err(Denied::Hidden));
}

#[test]
fn claims_are_reviewed_on_households_only() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let on_building = authorize(&staff, Action::ReviewClaim, &tree.at(&tree.building_a));
    let on_compound = authorize(&staff, Action::ReviewClaim, &tree.at(&tree.compound_a));

    // Assert
    assert_eq!(on_building, Err(Denied::Forbidden));
    assert_eq!(on_compound, Err(Denied::Forbidden));
}

#[test]
fn only_private_actions_are_hidden_from_strangers() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let edit = authorize(&staff, Action::EditPlace, &tree.at(&tree.household_c2));
    let grids = authorize(&staff, Action::ManageGrids, &tree.at(&tree.community_2));

    // Assert
    assert_eq!(edit, Err(Denied::Forbidden));
    assert_eq!(grids, Err(Denied::Forbidden));
}

#[test]
fn a_street_officer_may_view_registers_anywhere_under_the_street() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::StreetOfficer, &tree.street);

    // Act
    let community_1 = authorize(&officer, Action::ViewRegister, &tree.at(&tree.household_b));
    let community_2 = authorize(&officer, Action::ReviewClaim, &tree.at(&tree.household_c2));

    // Assert
    assert_eq!(community_1, Ok(()));
    assert_eq!(community_2, Ok(()));
}

#[test]
fn a_building_leader_may_view_the_register_of_their_building_only() {
    // Arrange
    let tree = Tree::new();
    let leader = one_role(Role::BuildingLeader, &tree.building_a);

    // Act
    let own_building = authorize(&leader, Action::ViewRegister, &tree.at(&tree.building_a));
    let own_household = authorize(&leader, Action::ViewRegister, &tree.at(&tree.household_a2));
    let other_building = authorize(&leader, Action::ViewRegister, &tree.at(&tree.household_b));
    let claim = authorize(&leader, Action::ReviewClaim, &tree.at(&tree.household_a2));

    // Assert
    assert_eq!(own_building, Ok(()));
    assert_eq!(own_household, Ok(()));
    assert_eq!(other_building, Err(Denied::Forbidden));
    assert_eq!(claim, Err(Denied::Forbidden));
}

#[test]
fn roles_held_in_two_communities_combine() {
    // Arrange
    let tree = Tree::new();
    let person =
        actor(vec![grant(Role::Resident, &tree.household_a1), grant(Role::ResidentsCommitteeStaff, &tree.community_2)]);

    // Act
    let in_community_2 = authorize(&person, Action::ReviewClaim, &tree.at(&tree.household_c2));
    let in_community_1 = authorize(&person, Action::ReviewClaim, &tree.at(&tree.household_a2));

    // Assert
    assert_eq!(in_community_2, Ok(()));
    assert_eq!(in_community_1, Err(Denied::Forbidden));
}

// ---------------------------------------------------------------------------------------------------
// Property company roles count only under contract
// ---------------------------------------------------------------------------------------------------

#[test]
fn property_staff_of_the_contracted_company_may_view_and_review_in_their_compound() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);

    // Act
    let register = authorize(&staff, Action::ViewRegister, &tree.at(&tree.compound_a));
    let claim = authorize(&staff, Action::ReviewClaim, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(register, Ok(()));
    assert_eq!(claim, Ok(()));
}

#[test]
fn property_staff_lose_their_powers_when_the_contract_passes_to_another_company() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);
    let taken_over = CompoundFacts { owners_committee: Some(COMMITTEE_A), property_company: Some(new_company()) };

    // Act
    let register = authorize(&staff, Action::ViewRegister, &with_facts(&tree.compound_a, taken_over));
    let claim = authorize(&staff, Action::ReviewClaim, &with_facts(&tree.household_a1, taken_over));

    // Assert
    assert_eq!(register, Err(Denied::Forbidden));
    assert_eq!(claim, Err(Denied::Forbidden));
}

#[test]
fn property_staff_lose_their_powers_when_the_compound_has_no_contract() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);
    let no_contract = CompoundFacts { owners_committee: Some(COMMITTEE_A), property_company: None };

    // Act
    let answer = authorize(&staff, Action::ReviewClaim, &with_facts(&tree.household_a1, no_contract));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn property_staff_never_act_in_a_compound_they_are_not_granted_on() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);
    // Even if company P later also signs for compound B, the grant on compound A does not reach it.
    let b_under_p = CompoundFacts { owners_committee: None, property_company: Some(tree.company_p) };

    // Act
    let as_it_is = authorize(&staff, Action::ReviewClaim, &tree.at(&tree.household_b));
    let under_p = authorize(&staff, Action::ReviewClaim, &with_facts(&tree.household_b, b_under_p));

    // Assert
    assert_eq!(as_it_is, Err(Denied::Forbidden));
    assert_eq!(under_p, Err(Denied::Forbidden));
}

#[test]
fn a_property_grant_that_names_no_company_never_counts() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::PropertyStaff, &tree.compound_a);

    // Act
    let answer = authorize(&staff, Action::ViewRegister, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

// ---------------------------------------------------------------------------------------------------
// 代行: the residents' committee acts for a missing or under-half owners' committee
// ---------------------------------------------------------------------------------------------------

#[test]
fn community_staff_act_for_a_compound_without_an_owners_committee() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let secretary = one_role(Role::PartySecretary, &tree.community_1);

    // Act
    let by_staff = authorize(&staff, Action::ActForOwnersCommittee, &tree.at(&tree.compound_b));
    let by_secretary = authorize(&secretary, Action::ActForOwnersCommittee, &tree.at(&tree.compound_b));

    // Assert
    assert_eq!(by_staff, Ok(()));
    assert_eq!(by_secretary, Ok(()));
}

#[test]
fn community_staff_act_for_a_committee_with_fewer_than_half_its_seats_filled() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let secretary = one_role(Role::PartySecretary, &tree.community_1);
    let under_half = with_facts(&tree.compound_a, committee(7, 3));

    // Act
    let by_staff = authorize(&staff, Action::ActForOwnersCommittee, &under_half);
    let by_secretary = authorize(&secretary, Action::ActForOwnersCommittee, &under_half);

    // Assert
    assert_eq!(by_staff, Ok(()));
    assert_eq!(by_secretary, Ok(()));
}

#[test]
fn community_staff_do_not_act_for_a_committee_with_half_or_more_seats_filled() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let secretary = one_role(Role::PartySecretary, &tree.community_1);
    let exactly_half = with_facts(&tree.compound_a, committee(6, 3));
    let just_over_half = with_facts(&tree.compound_a, committee(7, 4));

    // Act
    let compound_a = authorize(&staff, Action::ActForOwnersCommittee, &tree.at(&tree.compound_a));
    let compound_a_by_secretary = authorize(&secretary, Action::ActForOwnersCommittee, &tree.at(&tree.compound_a));
    let at_half = authorize(&staff, Action::ActForOwnersCommittee, &exactly_half);
    let over_half = authorize(&staff, Action::ActForOwnersCommittee, &just_over_half);

    // Assert
    assert_eq!(compound_a, Err(Denied::Forbidden));
    assert_eq!(compound_a_by_secretary, Err(Denied::Forbidden));
    assert_eq!(at_half, Err(Denied::Forbidden));
    assert_eq!(over_half, Err(Denied::Forbidden));
}

#[test]
fn owners_committee_members_act_for_their_own_compound_only() {
    // Arrange
    let tree = Tree::new();
    let member = one_role(Role::OwnersCommitteeMember, &tree.compound_a);
    let chair = one_role(Role::OwnersCommitteeChair, &tree.compound_a);

    // Act
    let member_for_a = authorize(&member, Action::ActForOwnersCommittee, &tree.at(&tree.compound_a));
    let chair_for_a = authorize(&chair, Action::ActForOwnersCommittee, &tree.at(&tree.compound_a));
    let member_for_b = authorize(&member, Action::ActForOwnersCommittee, &tree.at(&tree.compound_b));

    // Assert
    assert_eq!(member_for_a, Ok(()));
    assert_eq!(chair_for_a, Ok(()));
    assert_eq!(member_for_b, Err(Denied::Forbidden));
}

#[test]
fn owners_committee_members_yield_to_the_residents_committee_when_under_half_is_filled() {
    // Arrange
    let tree = Tree::new();
    let chair = one_role(Role::OwnersCommitteeChair, &tree.compound_a);

    // Act
    let answer = authorize(&chair, Action::ActForOwnersCommittee, &with_facts(&tree.compound_a, committee(7, 3)));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn community_staff_of_another_community_do_not_act_for_the_compound() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_2);
    let secretary = one_role(Role::PartySecretary, &tree.community_2);

    // Act
    let by_staff = authorize(&staff, Action::ActForOwnersCommittee, &tree.at(&tree.compound_b));
    let by_secretary = authorize(&secretary, Action::ActForOwnersCommittee, &tree.at(&tree.compound_b));

    // Assert
    assert_eq!(by_staff, Err(Denied::Forbidden));
    assert_eq!(by_secretary, Err(Denied::Forbidden));
}

#[test]
fn acting_for_the_owners_committee_falls_to_the_residents_committee_only() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::StreetOfficer, &tree.street);
    let resident = one_role(Role::Resident, &tree.household_b);
    let leader = one_role(Role::BuildingLeader, &tree.building_b);
    let manager = actor(vec![property_grant(Role::PropertyManager, &tree.compound_a, tree.company_p)]);
    let under_half_under_p = CompoundFacts {
        owners_committee: Some(OwnersCommittee { seats: 7, filled: 3 }),
        property_company: Some(tree.company_p),
    };

    // Act
    let answers = [
        authorize(&officer, Action::ActForOwnersCommittee, &tree.at(&tree.compound_b)),
        authorize(&resident, Action::ActForOwnersCommittee, &tree.at(&tree.compound_b)),
        authorize(&leader, Action::ActForOwnersCommittee, &tree.at(&tree.compound_b)),
        authorize(&manager, Action::ActForOwnersCommittee, &with_facts(&tree.compound_a, under_half_under_p)),
    ];

    // Assert
    assert_eq!(answers, [Err(Denied::Forbidden); 4]);
}

#[test]
fn acting_for_the_owners_committee_gives_community_staff_no_other_power() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let actions = actions_at(PlaceKind::Compound);
    let acting = tree.at(&tree.compound_b);
    let not_acting = with_facts(&tree.compound_b, committee(7, 5));

    // Act
    let while_acting = permitted(&staff, &acting, &actions);
    let otherwise = permitted(&staff, &not_acting, &actions);

    // Assert
    let gained: Vec<_> = while_acting.iter().filter(|action| !otherwise.contains(action)).collect();
    let lost: Vec<_> = otherwise.iter().filter(|action| !while_acting.contains(action)).collect();
    assert_eq!(gained, [&Action::ActForOwnersCommittee]);
    assert!(lost.is_empty(), "{lost:?}");
}

#[test]
fn nobody_acts_for_an_owners_committee_without_compound_facts() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let unknown = PlaceContext { ancestry: tree.compound_b.clone(), compound: None };

    // Act
    let answer = authorize(&staff, Action::ActForOwnersCommittee, &unknown);

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

// ---------------------------------------------------------------------------------------------------
// Granting roles
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_street_officer_may_appoint_residents_committee_staff_under_their_street() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::StreetOfficer, &tree.street);

    // Act
    let community_1 =
        authorize(&officer, Action::GrantRole(Role::ResidentsCommitteeStaff), &tree.at(&tree.community_1));
    let community_2 = authorize(&officer, Action::GrantRole(Role::PartySecretary), &tree.at(&tree.community_2));

    // Assert
    assert_eq!(community_1, Ok(()));
    assert_eq!(community_2, Ok(()));
}

#[test]
fn a_street_officer_may_not_appoint_another_street_officer() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::StreetOfficer, &tree.street);

    // Act
    let answer = authorize(&officer, Action::GrantRole(Role::StreetOfficer), &tree.at(&tree.street));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn a_street_officer_may_not_appoint_outside_their_street() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::StreetOfficer, &tree.street);
    let other_street = below(&tree.district);
    let other_community = below(&other_street);

    // Act
    let answer = authorize(&officer, Action::GrantRole(Role::ResidentsCommitteeStaff), &tree.at(&other_community));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn a_district_officer_may_appoint_a_street_officer() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::DistrictOfficer, &tree.district);

    // Act
    let street = authorize(&officer, Action::GrantRole(Role::StreetOfficer), &tree.at(&tree.street));
    let district = authorize(&officer, Action::GrantRole(Role::DistrictOfficer), &tree.at(&tree.district));

    // Assert
    assert_eq!(street, Ok(()));
    assert_eq!(district, Err(Denied::Forbidden));
}

#[test]
fn only_a_city_administrator_may_add_a_city_administrator() {
    // Arrange
    let tree = Tree::new();
    let administrator = one_role(Role::CityAdministrator, &tree.city);
    let district_officer = one_role(Role::DistrictOfficer, &tree.district);
    let street_officer = one_role(Role::StreetOfficer, &tree.street);
    let action = Action::GrantRole(Role::CityAdministrator);

    // Act
    let by_administrator = authorize(&administrator, action, &tree.at(&tree.city));
    let by_district = authorize(&district_officer, action, &tree.at(&tree.city));
    let by_street = authorize(&street_officer, action, &tree.at(&tree.city));

    // Assert
    assert_eq!(by_administrator, Ok(()));
    assert_eq!(by_district, Err(Denied::Forbidden));
    assert_eq!(by_street, Err(Denied::Forbidden));
}

#[test]
fn community_staff_may_appoint_building_leaders_and_residents_in_their_community() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let leader = authorize(&staff, Action::GrantRole(Role::BuildingLeader), &tree.at(&tree.building_b));
    let resident = authorize(&staff, Action::GrantRole(Role::Resident), &tree.at(&tree.household_a1));
    let owner = authorize(&staff, Action::GrantRole(Role::Owner), &tree.at(&tree.household_b));

    // Assert
    assert_eq!(leader, Ok(()));
    assert_eq!(resident, Ok(()));
    assert_eq!(owner, Ok(()));
}

#[test]
fn community_staff_may_not_appoint_owners_committee_members() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let secretary = one_role(Role::PartySecretary, &tree.community_1);

    // Act
    let member = authorize(&staff, Action::GrantRole(Role::OwnersCommitteeMember), &tree.at(&tree.compound_a));
    let chair = authorize(&secretary, Action::GrantRole(Role::OwnersCommitteeChair), &tree.at(&tree.compound_a));
    // Not even while acting for the owners' committee of compound B.
    let while_acting = authorize(&staff, Action::GrantRole(Role::OwnersCommitteeMember), &tree.at(&tree.compound_b));

    // Assert
    assert_eq!(member, Err(Denied::Forbidden));
    assert_eq!(chair, Err(Denied::Forbidden));
    assert_eq!(while_acting, Err(Denied::Forbidden));
}

#[test]
fn community_staff_may_not_appoint_community_staff_or_officers() {
    // Arrange
    let tree = Tree::new();
    let secretary = one_role(Role::PartySecretary, &tree.community_1);

    // Act
    let staff = authorize(&secretary, Action::GrantRole(Role::ResidentsCommitteeStaff), &tree.at(&tree.community_1));
    let another_secretary = authorize(&secretary, Action::GrantRole(Role::PartySecretary), &tree.at(&tree.community_1));

    // Assert
    assert_eq!(staff, Err(Denied::Forbidden));
    assert_eq!(another_secretary, Err(Denied::Forbidden));
}

#[test]
fn community_staff_may_not_appoint_anyone_in_another_community() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let leader = authorize(&staff, Action::GrantRole(Role::BuildingLeader), &tree.at(&tree.building_c2));
    let resident = authorize(&staff, Action::GrantRole(Role::Resident), &tree.at(&tree.household_c2));
    let mediator = authorize(&staff, Action::GrantRole(Role::Mediator), &tree.at(&tree.community_2));

    // Assert
    assert_eq!(leader, Err(Denied::Forbidden));
    assert_eq!(resident, Err(Denied::Forbidden));
    assert_eq!(mediator, Err(Denied::Forbidden));
}

#[test]
fn a_property_manager_may_appoint_property_staff_only_in_their_compound_under_contract() {
    // Arrange
    let tree = Tree::new();
    let manager = actor(vec![property_grant(Role::PropertyManager, &tree.compound_a, tree.company_p)]);
    let action = Action::GrantRole(Role::PropertyStaff);
    let taken_over = CompoundFacts { owners_committee: Some(COMMITTEE_A), property_company: Some(tree.company_q) };

    // Act
    let under_contract = authorize(&manager, action, &tree.at(&tree.compound_a));
    let after_contract = authorize(&manager, action, &with_facts(&tree.compound_a, taken_over));
    let other_compound = authorize(&manager, action, &tree.at(&tree.compound_b));

    // Assert
    assert_eq!(under_contract, Ok(()));
    assert_eq!(after_contract, Err(Denied::Forbidden));
    assert_eq!(other_compound, Err(Denied::Forbidden));
}

#[test]
fn property_staff_may_not_appoint_property_staff() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);

    // Act
    let answer = authorize(&staff, Action::GrantRole(Role::PropertyStaff), &tree.at(&tree.compound_a));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn a_role_may_not_be_granted_on_the_wrong_kind_of_place() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let officer = one_role(Role::StreetOfficer, &tree.street);

    // Act
    let leader_on_compound = authorize(&staff, Action::GrantRole(Role::BuildingLeader), &tree.at(&tree.compound_a));
    let resident_on_building = authorize(&staff, Action::GrantRole(Role::Resident), &tree.at(&tree.building_a));
    let staff_on_street = authorize(&officer, Action::GrantRole(Role::ResidentsCommitteeStaff), &tree.at(&tree.street));

    // Assert
    assert_eq!(leader_on_compound, Err(Denied::Forbidden));
    assert_eq!(resident_on_building, Err(Denied::Forbidden));
    assert_eq!(staff_on_street, Err(Denied::Forbidden));
}

// ---------------------------------------------------------------------------------------------------
// Creating and editing places
// ---------------------------------------------------------------------------------------------------

#[test]
fn community_staff_may_create_a_compound_in_their_community() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let answer = authorize(&staff, Action::CreatePlace(PlaceKind::Compound), &tree.at(&tree.community_1));

    // Assert
    assert_eq!(answer, Ok(()));
}

#[test]
fn community_staff_may_create_a_building_under_a_compound() {
    // Arrange
    let tree = Tree::new();
    let secretary = one_role(Role::PartySecretary, &tree.community_1);

    // Act
    let answer = authorize(&secretary, Action::CreatePlace(PlaceKind::Building), &tree.at(&tree.compound_b));

    // Assert
    assert_eq!(answer, Ok(()));
}

#[test]
fn community_staff_may_not_create_places_in_another_community() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let answer = authorize(&staff, Action::CreatePlace(PlaceKind::Compound), &tree.at(&tree.community_2));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn a_resident_may_not_create_places() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let household = authorize(&resident, Action::CreatePlace(PlaceKind::Household), &tree.at(&tree.building_a));
    let building = authorize(&resident, Action::CreatePlace(PlaceKind::Building), &tree.at(&tree.compound_a));

    // Assert
    assert_eq!(household, Err(Denied::Forbidden));
    assert_eq!(building, Err(Denied::Forbidden));
}

#[test]
fn nobody_creates_a_place_of_the_wrong_kind() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let officer = one_role(Role::StreetOfficer, &tree.street);
    let administrator = one_role(Role::CityAdministrator, &tree.city);
    let action = Action::CreatePlace(PlaceKind::Building);

    // Act
    let answers = [
        authorize(&staff, action, &tree.at(&tree.community_1)),
        authorize(&officer, action, &tree.at(&tree.community_1)),
        authorize(&administrator, action, &tree.at(&tree.community_1)),
    ];

    // Assert
    assert_eq!(answers, [Err(Denied::Forbidden); 3]);
}

#[test]
fn nobody_creates_a_city_through_the_policy() {
    // Arrange
    let tree = Tree::new();
    let administrator = one_role(Role::CityAdministrator, &tree.city);

    // Act
    let answer = authorize(&administrator, Action::CreatePlace(PlaceKind::City), &tree.at(&tree.city));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn a_street_officer_may_rename_a_community_under_the_street() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::StreetOfficer, &tree.street);

    // Act
    let answer = authorize(&officer, Action::EditPlace, &tree.at(&tree.community_2));

    // Assert
    assert_eq!(answer, Ok(()));
}

#[test]
fn a_street_officer_may_not_rename_the_street_itself() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::StreetOfficer, &tree.street);

    // Act
    let answer = authorize(&officer, Action::EditPlace, &tree.at(&tree.street));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn community_staff_may_rename_places_inside_their_community_but_not_the_community() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let compound = authorize(&staff, Action::EditPlace, &tree.at(&tree.compound_b));
    let household = authorize(&staff, Action::EditPlace, &tree.at(&tree.household_a2));
    let community = authorize(&staff, Action::EditPlace, &tree.at(&tree.community_1));

    // Assert
    assert_eq!(compound, Ok(()));
    assert_eq!(household, Ok(()));
    assert_eq!(community, Err(Denied::Forbidden));
}

#[test]
fn a_resident_may_not_rename_their_own_household() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let answer = authorize(&resident, Action::EditPlace, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

// ---------------------------------------------------------------------------------------------------
// Compound and community administration
// ---------------------------------------------------------------------------------------------------

#[test]
fn only_officers_record_an_owners_committee() {
    // Arrange
    let tree = Tree::new();
    let officer = one_role(Role::StreetOfficer, &tree.street);
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let chair = one_role(Role::OwnersCommitteeChair, &tree.compound_a);

    // Act
    let by_officer = authorize(&officer, Action::SetOwnersCommittee, &tree.at(&tree.compound_b));
    let by_staff = authorize(&staff, Action::SetOwnersCommittee, &tree.at(&tree.compound_b));
    let by_chair = authorize(&chair, Action::SetOwnersCommittee, &tree.at(&tree.compound_a));
    let on_community = authorize(&officer, Action::SetOwnersCommittee, &tree.at(&tree.community_1));

    // Assert
    assert_eq!(by_officer, Ok(()));
    assert_eq!(by_staff, Err(Denied::Forbidden));
    assert_eq!(by_chair, Err(Denied::Forbidden));
    assert_eq!(on_community, Err(Denied::Forbidden));
}

#[test]
fn community_staff_record_the_property_company_but_the_property_company_does_not() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let manager = actor(vec![property_grant(Role::PropertyManager, &tree.compound_a, tree.company_p)]);

    // Act
    let by_staff = authorize(&staff, Action::AssignPropertyCompany, &tree.at(&tree.compound_b));
    let by_manager = authorize(&manager, Action::AssignPropertyCompany, &tree.at(&tree.compound_a));

    // Assert
    assert_eq!(by_staff, Ok(()));
    assert_eq!(by_manager, Err(Denied::Forbidden));
}

#[test]
fn community_staff_manage_grids_of_their_own_community_only() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let own = authorize(&staff, Action::ManageGrids, &tree.at(&tree.community_1));
    let other = authorize(&staff, Action::ManageGrids, &tree.at(&tree.community_2));
    let on_compound = authorize(&staff, Action::ManageGrids, &tree.at(&tree.compound_a));

    // Assert
    assert_eq!(own, Ok(()));
    assert_eq!(other, Err(Denied::Forbidden));
    assert_eq!(on_compound, Err(Denied::Forbidden));
}

// ---------------------------------------------------------------------------------------------------
// Office holders
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_resident_of_the_community_may_see_its_office_holders() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let community = authorize(&resident, Action::ViewOfficeHolders, &tree.at(&tree.community_1));
    let other_compound = authorize(&resident, Action::ViewOfficeHolders, &tree.at(&tree.compound_b));
    let street = authorize(&resident, Action::ViewOfficeHolders, &tree.at(&tree.street));

    // Assert
    assert_eq!(community, Ok(()));
    assert_eq!(other_compound, Ok(()));
    assert_eq!(street, Ok(()));
}

#[test]
fn a_person_with_roles_only_in_another_community_may_not_see_its_office_holders() {
    // Arrange
    let tree = Tree::new();
    let person =
        actor(vec![grant(Role::Resident, &tree.household_c2), grant(Role::ResidentsCommitteeStaff, &tree.community_2)]);

    // Act
    let community = authorize(&person, Action::ViewOfficeHolders, &tree.at(&tree.community_1));
    let compound = authorize(&person, Action::ViewOfficeHolders, &tree.at(&tree.compound_a));

    // Assert
    assert_eq!(community, Err(Denied::Forbidden));
    assert_eq!(compound, Err(Denied::Forbidden));
}

#[test]
fn a_person_without_any_role_sees_nothing() {
    // Arrange
    let tree = Tree::new();
    let stranger = actor(Vec::new());

    // Act
    let office_holders = authorize(&stranger, Action::ViewOfficeHolders, &tree.at(&tree.community_1));
    let register = authorize(&stranger, Action::ViewRegister, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(office_holders, Err(Denied::Forbidden));
    assert_eq!(register, Err(Denied::Hidden));
}

// ---------------------------------------------------------------------------------------------------
// permitted: what a client may show
// ---------------------------------------------------------------------------------------------------

#[test]
fn permitted_lists_what_a_resident_may_do_at_their_household() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let actions = permitted(&resident, &tree.at(&tree.household_a1), &actions_at(PlaceKind::Household));

    // Assert
    assert_eq!(actions, [Action::ViewRegister, Action::ViewOfficeHolders]);
}

#[test]
fn permitted_lists_what_community_staff_may_do_at_a_compound_they_act_for() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let actions = permitted(&staff, &tree.at(&tree.compound_b), &actions_at(PlaceKind::Compound));

    // Assert
    assert_eq!(
        actions,
        [
            Action::EditPlace,
            Action::ViewRegister,
            Action::ViewOfficeHolders,
            Action::CreatePlace(PlaceKind::Building),
            Action::GrantRole(Role::PropertyStaff),
            Action::GrantRole(Role::PropertyManager),
            Action::AssignPropertyCompany,
            Action::ActForOwnersCommittee,
        ]
    );
}

#[test]
fn permitted_lists_what_an_owners_committee_chair_may_do_at_their_compound() {
    // Arrange
    let tree = Tree::new();
    let chair = one_role(Role::OwnersCommitteeChair, &tree.compound_a);

    // Act
    let actions = permitted(&chair, &tree.at(&tree.compound_a), &actions_at(PlaceKind::Compound));

    // Assert
    assert_eq!(actions, [Action::ViewRegister, Action::ViewOfficeHolders, Action::ActForOwnersCommittee,]);
}

#[test]
fn permitted_lists_nothing_for_a_stranger() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_2);

    // Act
    let actions = permitted(&staff, &tree.at(&tree.community_1), &actions_at(PlaceKind::Community));

    // Assert
    assert!(actions.is_empty(), "{actions:?}");
}

#[test]
fn permitted_agrees_with_authorize_everywhere() {
    // Arrange
    let tree = Tree::new();
    let actors = [
        one_role(Role::Resident, &tree.household_a1),
        one_role(Role::BuildingLeader, &tree.building_b),
        one_role(Role::OwnersCommitteeMember, &tree.compound_a),
        one_role(Role::ResidentsCommitteeStaff, &tree.community_1),
        one_role(Role::StreetOfficer, &tree.street),
        actor(vec![property_grant(Role::PropertyManager, &tree.compound_a, tree.company_p)]),
        actor(vec![property_grant(Role::PropertyStaff, &tree.compound_c2, tree.company_q)]),
    ];
    let places = [
        &tree.city,
        &tree.district,
        &tree.street,
        &tree.community_1,
        &tree.compound_a,
        &tree.building_a,
        &tree.household_a1,
        &tree.household_a2,
        &tree.compound_b,
        &tree.household_b,
        &tree.community_2,
        &tree.compound_c2,
        &tree.household_c2,
    ];

    for person in &actors {
        for place in places {
            let ctx = tree.at(place);
            let candidates = actions_at(place.kind());

            // Act
            let listed = permitted(person, &ctx, &candidates);

            // Assert
            for action in candidates {
                assert_eq!(
                    listed.contains(&action),
                    authorize(person, action, &ctx).is_ok(),
                    "{action:?} at a {} for {:?}",
                    place.kind(),
                    person.grants
                );
            }
        }
    }
}

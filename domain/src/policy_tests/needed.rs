//! Policy tests: a refusal names the roles, and where, that would permit the action.

use super::*;
use crate::policy::{NeededRole, needed_roles, require};
use crate::topic::Party;

fn roles_of(needed: &[NeededRole]) -> Vec<Role> {
    needed.iter().map(|n| n.role).collect()
}

#[test]
fn a_resident_refused_triage_is_told_community_staff_or_an_officer_above_would_do() {
    // Arrange
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let refused = require(&resident, Action::TriageTopic, &tree.at(&tree.compound_a));

    // Assert
    let Err(Denied::Requires(needed)) = refused else { panic!("expected the roles needed: {refused:?}") };
    assert_eq!(
        roles_of(&needed),
        vec![
            Role::ResidentsCommitteeStaff,
            Role::PartySecretary,
            Role::StreetOfficer,
            Role::DistrictOfficer,
            Role::CityAdministrator
        ]
    );
    let staff = needed[0];
    assert_eq!((staff.place, staff.kind, staff.inside), (tree.community_1.id(), PlaceKind::Community, false));
    assert_eq!(needed[4].place, tree.city.id());
}

#[test]
fn roles_held_below_the_target_are_named_as_held_inside_it() {
    // Arrange
    let tree = Tree::new();

    // Act
    let needed = needed_roles(Action::RateTopic, &tree.at(&tree.compound_a));

    // Assert: residents and owners of a household inside the compound.
    assert_eq!(roles_of(&needed), vec![Role::Resident, Role::Owner]);
    assert!(needed.iter().all(|n| n.inside && n.place == tree.compound_a.id()), "{needed:?}");
}

#[test]
fn the_property_company_is_named_only_where_one_holds_the_contract() {
    // Arrange
    let tree = Tree::new();

    // Act
    let with_company = needed_roles(Action::ActForParty(Party::PropertyCompany), &tree.at(&tree.compound_a));
    let without = needed_roles(Action::ActForParty(Party::PropertyCompany), &tree.at(&tree.compound_b));

    // Assert
    assert_eq!(roles_of(&with_company), vec![Role::PropertyStaff, Role::PropertyManager]);
    assert!(without.is_empty(), "{without:?}");
}

#[test]
fn every_role_named_would_be_permitted_and_a_permitted_actor_is_not_refused() {
    // Arrange
    let tree = Tree::new();
    let ctx = tree.at(&tree.building_a);
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let needed = needed_roles(Action::ModerateOpinions, &ctx);
    let decided = require(&staff, Action::ModerateOpinions, &ctx);

    // Assert
    for need in &needed {
        let holder = one_role(need.role, &tree.community_1);
        if need.kind == PlaceKind::Community {
            assert_eq!(authorize(&holder, Action::ModerateOpinions, &ctx), Ok(()), "{need:?}");
        }
    }
    assert_eq!(decided, Ok(()));
}

#[test]
fn a_refusal_no_role_could_lift_stays_plain_and_a_hidden_record_stays_hidden() {
    // Arrange: nobody creates a city through the API; a stranger's look at a register is hidden.
    let tree = Tree::new();
    let stranger = one_role(Role::Resident, &tree.household_c2);

    // Act
    let city = require(&stranger, Action::CreatePlace(PlaceKind::City), &tree.at(&tree.street));
    let register = require(&stranger, Action::ViewRegister, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(city, Err(Denied::Forbidden));
    assert_eq!(register, Err(Denied::Hidden));
}

#[test]
fn a_role_held_below_a_place_is_not_named_where_it_would_have_to_be_held_on_the_place() {
    // Arrange: the register of a whole community is read by its staff and officers; a building leader
    // reads their own building's, a power held on the building itself.
    let tree = Tree::new();

    // Act
    let community = needed_roles(Action::ViewRegister, &tree.at(&tree.community_1));
    let building = needed_roles(Action::ViewRegister, &tree.at(&tree.building_a));

    // Assert
    assert!(!roles_of(&community).contains(&Role::BuildingLeader), "{community:?}");
    assert!(community.iter().all(|n| !n.inside), "{community:?}");
    let leader = building.iter().find(|n| n.role == Role::BuildingLeader);
    assert_eq!(leader.map(|n| (n.place, n.inside)), Some((tree.building_a.id(), false)), "{building:?}");
}

//! Policy tests: Household registers and claims.

use super::*;

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

//! Policy tests: Granting roles.

use super::*;

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

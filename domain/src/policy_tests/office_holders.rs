//! Policy tests: Office holders.

use super::*;

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

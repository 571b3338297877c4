//! Policy tests: who moderates what the content check held back (decision 133).

use super::*;

#[test]
fn the_residents_committee_staff_moderate_content_about_their_compounds() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let compound = authorize(&staff, Action::ModerateContent, &tree.at(&tree.compound_a));
    let building = authorize(&staff, Action::ModerateContent, &tree.at(&tree.building_a));

    // Assert
    assert_eq!(compound, Ok(()));
    assert_eq!(building, Ok(()));
}

#[test]
fn residents_owners_and_building_leaders_may_not_moderate_content() {
    // Arrange
    let tree = Tree::new();
    let people = [
        one_role(Role::Resident, &tree.household_a1),
        one_role(Role::Owner, &tree.household_a1),
        one_role(Role::BuildingLeader, &tree.building_a),
    ];

    // Act
    let answers: Vec<_> =
        people.iter().map(|p| authorize(p, Action::ModerateContent, &tree.at(&tree.compound_a))).collect();

    // Assert
    for answer in answers {
        assert!(answer.is_err(), "{answer:?}");
    }
}

#[test]
fn staff_of_another_community_may_not_moderate_content() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_2);

    // Act
    let answer = authorize(&staff, Action::ModerateContent, &tree.at(&tree.compound_a));

    // Assert
    assert!(answer.is_err(), "{answer:?}");
}

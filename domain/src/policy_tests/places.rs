//! Policy tests: Creating and editing places.

use super::*;

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
    assert_eq!(answers, std::array::from_fn::<_, 3, _>(|_| Err(Denied::Forbidden)));
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

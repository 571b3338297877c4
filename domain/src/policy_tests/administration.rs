//! Policy tests: Compound and community administration.

use super::*;

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

#[test]
fn only_city_administrators_operate_message_delivery() {
    // Arrange
    let tree = Tree::new();
    let admin = one_role(Role::CityAdministrator, &tree.city);
    let district = one_role(Role::DistrictOfficer, &tree.district);
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);

    // Act
    let by_admin = authorize_delivery_operations(&admin);
    let by_district = authorize_delivery_operations(&district);
    let by_staff = authorize_delivery_operations(&staff);

    // Assert
    let needs_admin = Err(Denied::Requires(vec![crate::policy::NeededRole {
        role: Role::CityAdministrator,
        place: tree.city.id(),
        kind: PlaceKind::City,
        inside: false,
    }]));
    assert_eq!(by_admin, Ok(()));
    assert_eq!(by_district, needs_admin);
    assert_eq!(by_staff, needs_admin);
}

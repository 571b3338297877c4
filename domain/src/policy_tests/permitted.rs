//! Policy tests: permitted: what a client may show.

use super::*;
use crate::disclosure::DisclosureKind;

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
            // 代行 includes the committee's report (seed 000).
            Action::PublishDisclosure(DisclosureKind::CommitteeFunds),
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
    assert_eq!(
        actions,
        [
            Action::ViewRegister,
            Action::ViewOfficeHolders,
            Action::ActForOwnersCommittee,
            Action::PublishDisclosure(DisclosureKind::CommitteeFunds),
        ]
    );
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

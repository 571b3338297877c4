//! Policy tests: 代行: the residents' committee acts for a missing or under-half owners' committee.

use super::*;
use crate::disclosure::DisclosureKind;

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
    assert_eq!(answers, std::array::from_fn::<_, 4, _>(|_| Err(Denied::Forbidden)));
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
    // Publishing the committee's work and funds is part of acting for it (seed 000, decision 101).
    assert_eq!(gained, [&Action::ActForOwnersCommittee, &Action::PublishDisclosure(DisclosureKind::CommitteeFunds)]);
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

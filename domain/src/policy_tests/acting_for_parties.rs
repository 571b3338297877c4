//! Policy tests: who acts for each of the five parties on a topic's place (owning a task, reporting it).

use super::*;
use crate::topic::Party;

fn acts(actor: &Actor, party: Party, ctx: &PlaceContext) -> bool {
    authorize(actor, Action::ActForParty(party), ctx).is_ok()
}

#[test]
fn each_party_is_acted_for_by_its_own_people_at_the_compound_and_its_buildings() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let secretary = one_role(Role::PartySecretary, &tree.community_1);
    let chair = one_role(Role::OwnersCommitteeChair, &tree.compound_a);
    let leader = one_role(Role::BuildingLeader, &tree.building_a);
    let manager = actor(vec![property_grant(Role::PropertyManager, &tree.compound_a, tree.company_p)]);
    let people = [&staff, &secretary, &chair, &leader, &manager];

    for place in [&tree.compound_a, &tree.building_a] {
        // Act
        let answers: Vec<Vec<bool>> =
            Party::ALL.iter().map(|party| people.iter().map(|p| acts(p, *party, &tree.at(place))).collect()).collect();

        // Assert (rows: party organisation, residents' committee, owners' committee, building leaders, property)
        let expected = vec![
            vec![true, true, false, false, false],
            vec![true, true, false, false, false],
            vec![false, false, true, false, false],
            vec![false, false, false, true, false],
            vec![false, false, false, false, true],
        ];
        assert_eq!(answers, expected, "at {}", place.kind());
    }
}

#[test]
fn community_staff_act_for_the_owners_committee_where_it_is_missing_or_under_half() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let chair = one_role(Role::OwnersCommitteeChair, &tree.compound_a);
    let under_half = with_facts(&tree.building_a, committee(7, 3));

    // Act
    let staff_for_b = acts(&staff, Party::OwnersCommittee, &tree.at(&tree.building_b));
    let staff_under_half = acts(&staff, Party::OwnersCommittee, &under_half);
    let chair_under_half = acts(&chair, Party::OwnersCommittee, &under_half);

    // Assert
    assert!(staff_for_b);
    assert!(staff_under_half);
    assert!(!chair_under_half, "the committee yields while the residents' committee acts for it");
}

#[test]
fn nobody_acts_for_a_party_of_another_compound_or_under_another_contract() {
    // Arrange
    let tree = Tree::new();
    let leader_b = one_role(Role::BuildingLeader, &tree.building_b);
    let staff_2 = one_role(Role::ResidentsCommitteeStaff, &tree.community_2);
    let manager_q = actor(vec![property_grant(Role::PropertyManager, &tree.compound_c2, tree.company_q)]);
    let manager_p = actor(vec![property_grant(Role::PropertyManager, &tree.compound_a, tree.company_p)]);
    let taken_over = CompoundFacts { owners_committee: Some(COMMITTEE_A), property_company: Some(new_company()) };

    // Act
    let answers = [
        acts(&leader_b, Party::BuildingLeaders, &tree.at(&tree.building_a)),
        acts(&staff_2, Party::ResidentsCommittee, &tree.at(&tree.compound_a)),
        acts(&manager_q, Party::PropertyCompany, &tree.at(&tree.compound_a)),
        acts(&manager_p, Party::PropertyCompany, &with_facts(&tree.compound_a, taken_over)),
    ];

    // Assert
    assert_eq!(answers, [false; 4]);
}

//! Policy tests: who publishes, answers and questions the three disclosures (seed 003, 三个公开).

use super::*;
use crate::disclosure::DisclosureKind;

const ACCOUNTS: Action = Action::PublishDisclosure(DisclosureKind::PropertyAccounts);
const COMMITTEE: Action = Action::PublishDisclosure(DisclosureKind::CommitteeFunds);
const MINUTES: Action = Action::PublishDisclosure(DisclosureKind::Minutes);

#[test]
fn the_company_under_contract_publishes_the_accounts_and_only_there() {
    let tree = Tree::new();
    let manager = actor(vec![property_grant(Role::PropertyManager, &tree.compound_a, tree.company_p)]);
    assert_eq!(authorize(&manager, ACCOUNTS, &tree.at(&tree.compound_a)), Ok(()));
    // Not the committee's report, not a compound it holds no contract of, not after the contract passed on.
    assert_eq!(authorize(&manager, COMMITTEE, &tree.at(&tree.compound_a)), Err(Denied::Forbidden));
    assert_eq!(authorize(&manager, ACCOUNTS, &tree.at(&tree.compound_b)), Err(Denied::Forbidden));
    let taken_over = CompoundFacts { owners_committee: Some(COMMITTEE_A), property_company: Some(new_company()) };
    assert_eq!(authorize(&manager, ACCOUNTS, &with_facts(&tree.compound_a, taken_over)), Err(Denied::Forbidden));
    // Accounts are a compound's, never a building's or a community's.
    assert_eq!(authorize(&manager, ACCOUNTS, &tree.at(&tree.building_a)), Err(Denied::Forbidden));
}

#[test]
fn the_owners_committee_publishes_its_report_and_the_residents_committee_when_acting_for_it() {
    let tree = Tree::new();
    let chair = one_role(Role::OwnersCommitteeChair, &tree.compound_a);
    assert_eq!(authorize(&chair, COMMITTEE, &tree.at(&tree.compound_a)), Ok(()));
    assert_eq!(authorize(&chair, ACCOUNTS, &tree.at(&tree.compound_a)), Err(Denied::Forbidden));
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    assert_eq!(
        authorize(&staff, COMMITTEE, &tree.at(&tree.compound_a)),
        Err(Denied::Forbidden),
        "a full committee acts"
    );
    assert_eq!(authorize(&staff, COMMITTEE, &with_facts(&tree.compound_a, committee(7, 3))), Ok(()), "代行 below half");
}

#[test]
fn the_residents_committee_publishes_its_communitys_minutes() {
    let tree = Tree::new();
    let staff = one_role(Role::ResidentsCommitteeStaff, &tree.community_1);
    let secretary = one_role(Role::PartySecretary, &tree.community_1);
    assert_eq!(authorize(&staff, MINUTES, &tree.at(&tree.community_1)), Ok(()));
    assert_eq!(authorize(&secretary, MINUTES, &tree.at(&tree.community_1)), Ok(()));
    assert_eq!(authorize(&staff, MINUTES, &tree.at(&tree.community_2)), Err(Denied::Forbidden), "not another's");
    assert_eq!(authorize(&staff, MINUTES, &tree.at(&tree.compound_a)), Err(Denied::Forbidden), "a community's");
    let chair = one_role(Role::OwnersCommitteeChair, &tree.compound_a);
    assert_eq!(authorize(&chair, MINUTES, &tree.at(&tree.community_1)), Err(Denied::Forbidden));
}

#[test]
fn residents_of_the_place_question_and_others_do_not() {
    let tree = Tree::new();
    let resident = one_role(Role::Resident, &tree.household_a1);
    let owner_elsewhere = one_role(Role::Owner, &tree.household_b);
    let owner_far = one_role(Role::Owner, &tree.household_c2);
    let company = actor(vec![property_grant(Role::PropertyManager, &tree.compound_a, tree.company_p)]);
    assert_eq!(authorize(&resident, Action::QuestionDisclosure, &tree.at(&tree.compound_a)), Ok(()));
    assert_eq!(
        authorize(&owner_elsewhere, Action::QuestionDisclosure, &tree.at(&tree.compound_a)),
        Err(Denied::Forbidden)
    );
    assert_eq!(authorize(&owner_elsewhere, Action::QuestionDisclosure, &tree.at(&tree.community_1)), Ok(()), "minutes");
    assert_eq!(authorize(&owner_far, Action::QuestionDisclosure, &tree.at(&tree.community_1)), Err(Denied::Forbidden));
    assert_eq!(authorize(&company, Action::QuestionDisclosure, &tree.at(&tree.compound_a)), Err(Denied::Forbidden));
}

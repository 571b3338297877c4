//! Policy tests: Property company roles count only under contract.

use super::*;

#[test]
fn property_staff_of_the_contracted_company_may_view_and_review_in_their_compound() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);

    // Act
    let register = authorize(&staff, Action::ViewRegister, &tree.at(&tree.compound_a));
    let claim = authorize(&staff, Action::ReviewClaim, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(register, Ok(()));
    assert_eq!(claim, Ok(()));
}

#[test]
fn property_staff_lose_their_powers_when_the_contract_passes_to_another_company() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);
    let taken_over = CompoundFacts { owners_committee: Some(COMMITTEE_A), property_company: Some(new_company()) };

    // Act
    let register = authorize(&staff, Action::ViewRegister, &with_facts(&tree.compound_a, taken_over));
    let claim = authorize(&staff, Action::ReviewClaim, &with_facts(&tree.household_a1, taken_over));

    // Assert
    assert_eq!(register, Err(Denied::Forbidden));
    assert_eq!(claim, Err(Denied::Forbidden));
}

#[test]
fn property_staff_lose_their_powers_when_the_compound_has_no_contract() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);
    let no_contract = CompoundFacts { owners_committee: Some(COMMITTEE_A), property_company: None };

    // Act
    let answer = authorize(&staff, Action::ReviewClaim, &with_facts(&tree.household_a1, no_contract));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

#[test]
fn property_staff_never_act_in_a_compound_they_are_not_granted_on() {
    // Arrange
    let tree = Tree::new();
    let staff = actor(vec![property_grant(Role::PropertyStaff, &tree.compound_a, tree.company_p)]);
    // Even if company P later also signs for compound B, the grant on compound A does not reach it.
    let b_under_p = CompoundFacts { owners_committee: None, property_company: Some(tree.company_p) };

    // Act
    let as_it_is = authorize(&staff, Action::ReviewClaim, &tree.at(&tree.household_b));
    let under_p = authorize(&staff, Action::ReviewClaim, &with_facts(&tree.household_b, b_under_p));

    // Assert
    assert_eq!(as_it_is, Err(Denied::Forbidden));
    assert_eq!(under_p, Err(Denied::Forbidden));
}

#[test]
fn a_property_grant_that_names_no_company_never_counts() {
    // Arrange
    let tree = Tree::new();
    let staff = one_role(Role::PropertyStaff, &tree.compound_a);

    // Act
    let answer = authorize(&staff, Action::ViewRegister, &tree.at(&tree.household_a1));

    // Assert
    assert_eq!(answer, Err(Denied::Forbidden));
}

//! The art. 278 thresholds at every boundary. All tests vote in one compound of 9 owners holding
//! 900.00 m² (90 000 hundredths), chosen so that 2/3 is a whole number both ways (6 owners, 600.00 m²).
//! Approval tests have 8 owners holding 800.00 m² take part, so 3/4 (6 owners, 600.00 m²) and 1/2
//! (4 owners, 400.00 m²) are exact too.

use crate::vote::testing::ok;
use crate::vote::{Electorate, OwnersMatter, StatutoryOutcome, Tally, Threshold, Verdict, VoteInvalid, Weight};

const COMPOUND_AREA: i64 = 90_000;
const COMPOUND_OWNERS: u64 = 9;

fn compound() -> Electorate {
    ok(Electorate::new(COMPOUND_AREA, COMPOUND_OWNERS))
}

/// Owners holding `area` hundredths of a m², `heads` of them.
fn owners(area: i64, heads: u64) -> Weight {
    ok(Weight::new(area, heads))
}

fn tally(in_favour: Weight, against: Weight, abstaining: Weight) -> Tally {
    ok(Tally::new(in_favour, against, abstaining))
}

fn vote(matter: OwnersMatter, in_favour: Weight, against: Weight, abstaining: Weight) -> StatutoryOutcome {
    ok(crate::vote::decide_owners_vote(matter, compound(), tally(in_favour, against, abstaining)))
}

fn special_matters() -> impl Iterator<Item = OwnersMatter> {
    OwnersMatter::ALL.into_iter().filter(|matter| matter.approval() == Threshold::THREE_QUARTERS)
}

fn ordinary_matters() -> impl Iterator<Item = OwnersMatter> {
    OwnersMatter::ALL.into_iter().filter(|matter| matter.approval() == Threshold::MORE_THAN_HALF)
}

// Turnout

#[test]
fn turnout_of_exactly_two_thirds_of_the_area_is_valid() {
    let outcome = vote(OwnersMatter::PropertyManager, owners(60_000, 7), Weight::ZERO, Weight::ZERO);
    assert_eq!(outcome.turnout.area.share.to_string(), "2/3");
    assert!(outcome.turnout.area.met);
    assert!(outcome.turnout.heads.met);
    assert_eq!(outcome.verdict, Verdict::Passed);
}

#[test]
fn turnout_one_hundredth_of_a_square_metre_below_two_thirds_of_the_area_is_invalid() {
    let outcome = vote(OwnersMatter::PropertyManager, owners(59_999, 7), Weight::ZERO, Weight::ZERO);
    assert!(!outcome.turnout.area.met);
    assert!(outcome.turnout.heads.met);
    assert_eq!(outcome.verdict, Verdict::Invalid);
}

#[test]
fn turnout_of_exactly_six_of_nine_owners_is_valid() {
    let outcome = vote(OwnersMatter::PropertyManager, owners(80_000, 6), Weight::ZERO, Weight::ZERO);
    assert_eq!(outcome.turnout.heads.share.to_string(), "2/3");
    assert!(outcome.turnout.heads.met);
    assert_eq!(outcome.verdict, Verdict::Passed);
}

#[test]
fn turnout_of_five_of_nine_owners_is_invalid_however_much_area_they_hold() {
    let outcome = vote(OwnersMatter::PropertyManager, owners(89_000, 5), Weight::ZERO, Weight::ZERO);
    assert!(outcome.turnout.area.met);
    assert!(!outcome.turnout.heads.met);
    assert_eq!(outcome.verdict, Verdict::Invalid);
}

#[test]
fn an_invalid_vote_still_reports_its_approval() {
    let outcome = vote(OwnersMatter::PropertyManager, owners(50_000, 5), Weight::ZERO, Weight::ZERO);
    assert!(outcome.approval.met());
    assert_eq!(outcome.verdict, Verdict::Invalid);
}

#[test]
fn abstentions_count_toward_turnout_but_not_toward_approval() {
    // Six owners with 600.00 m² take part, exactly the turnout; three of them abstain. Without the
    // abstainers turnout would be short, and with them approval is exactly half, which is not a majority.
    let outcome = vote(OwnersMatter::ManagementStatute, owners(30_000, 3), Weight::ZERO, owners(30_000, 3));
    assert!(outcome.turnout.met());
    assert_eq!(outcome.approval.area.share.to_string(), "1/2");
    assert_eq!(outcome.approval.heads.share.to_string(), "1/2");
    assert_eq!(outcome.verdict, Verdict::Failed);
}

// Items 6 to 8: three quarters of those taking part

#[test]
fn items_six_to_eight_pass_with_exactly_three_quarters_by_area_and_by_head() {
    for matter in special_matters() {
        let outcome = vote(matter, owners(60_000, 6), owners(20_000, 2), Weight::ZERO);
        assert_eq!(outcome.approval.area.share.to_string(), "3/4");
        assert_eq!(outcome.approval.heads.share.to_string(), "3/4");
        assert_eq!(outcome.verdict, Verdict::Passed, "item {}", matter.item());
    }
}

#[test]
fn items_six_to_eight_fail_one_hundredth_of_a_square_metre_below_three_quarters_of_the_area() {
    for matter in special_matters() {
        let outcome = vote(matter, owners(59_999, 6), owners(20_001, 2), Weight::ZERO);
        assert!(!outcome.approval.area.met);
        assert!(outcome.approval.heads.met);
        assert_eq!(outcome.verdict, Verdict::Failed, "item {}", matter.item());
    }
}

#[test]
fn items_six_to_eight_fail_one_owner_below_three_quarters_by_head() {
    for matter in special_matters() {
        let outcome = vote(matter, owners(60_000, 5), owners(20_000, 3), Weight::ZERO);
        assert!(outcome.approval.area.met);
        assert!(!outcome.approval.heads.met);
        assert_eq!(outcome.verdict, Verdict::Failed, "item {}", matter.item());
    }
}

#[test]
fn items_six_to_eight_fail_with_a_bare_majority() {
    for matter in special_matters() {
        let outcome = vote(matter, owners(40_001, 5), owners(39_999, 3), Weight::ZERO);
        assert_eq!(outcome.verdict, Verdict::Failed, "item {}", matter.item());
    }
}

#[test]
fn abstentions_count_against_three_quarters() {
    let outcome = vote(OwnersMatter::RebuildOrAlter, owners(59_999, 5), Weight::ZERO, owners(20_001, 3));
    assert_eq!(outcome.verdict, Verdict::Failed);
}

// Every other item: more than half of those taking part

#[test]
fn other_items_fail_with_exactly_half_the_area() {
    for matter in ordinary_matters() {
        let outcome = vote(matter, owners(40_000, 5), owners(40_000, 3), Weight::ZERO);
        assert!(!outcome.approval.area.met);
        assert!(outcome.approval.heads.met);
        assert_eq!(outcome.verdict, Verdict::Failed, "item {}", matter.item());
    }
}

#[test]
fn other_items_fail_with_exactly_half_the_owners() {
    for matter in ordinary_matters() {
        let outcome = vote(matter, owners(40_001, 4), owners(39_999, 4), Weight::ZERO);
        assert!(outcome.approval.area.met);
        assert!(!outcome.approval.heads.met);
        assert_eq!(outcome.verdict, Verdict::Failed, "item {}", matter.item());
    }
}

#[test]
fn other_items_pass_one_hundredth_of_a_square_metre_and_one_owner_above_half() {
    for matter in ordinary_matters() {
        let outcome = vote(matter, owners(40_001, 5), owners(39_999, 3), Weight::ZERO);
        assert_eq!(outcome.verdict, Verdict::Passed, "item {}", matter.item());
    }
}

// Refused inputs

#[test]
fn a_tally_with_more_area_than_the_compound_is_refused() {
    let outcome = crate::vote::decide_owners_vote(
        OwnersMatter::PropertyManager,
        compound(),
        tally(owners(90_001, 9), Weight::ZERO, Weight::ZERO),
    );
    assert_eq!(
        outcome,
        Err(VoteInvalid::Exceeds { part: "participating floor area", whole: "the compound's floor area" })
    );
}

#[test]
fn a_tally_with_more_owners_than_the_compound_is_refused() {
    let outcome = crate::vote::decide_owners_vote(
        OwnersMatter::PropertyManager,
        compound(),
        tally(owners(60_000, 7), Weight::ZERO, owners(100, 3)),
    );
    assert_eq!(outcome, Err(VoteInvalid::Exceeds { part: "participating owners", whole: "the compound's owners" }));
}

#[test]
fn a_tally_whose_sum_overflows_is_refused() {
    assert_eq!(
        Tally::new(owners(i64::MAX, 1), owners(1, 1), Weight::ZERO),
        Err(VoteInvalid::Overflow { field: "participating owners" })
    );
}

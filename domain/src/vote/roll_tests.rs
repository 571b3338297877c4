//! Head counting under the judicial interpretation, art. 9, and ballots summed per owning party.

use crate::area::FloorArea;
use crate::ids::PlaceId;
use crate::vote::testing::{household, ok, person};
use crate::vote::{
    Choice, Owner, OwnersMatter, OwnersRoll, Tally, Unit, UnitBallot, Verdict, VoteInvalid, Weight, decide_owners_vote,
};

fn unit(area_centi_m2: i64, owner: &Owner) -> Unit {
    Unit { id: household(), area: ok(FloorArea::from_centi_m2(area_centi_m2)), owner: owner.clone() }
}

fn ballot(unit: &Unit, choice: Choice) -> UnitBallot {
    UnitBallot { unit: unit.id, choice }
}

fn owners(area: i64, heads: u64) -> Weight {
    ok(Weight::new(area, heads))
}

fn tally(in_favour: Weight, against: Weight, abstaining: Weight) -> Tally {
    ok(Tally::new(in_favour, against, abstaining))
}

#[test]
fn a_person_owning_several_units_counts_once_with_their_full_area() {
    let (p, q) = (Owner::person(person()), Owner::person(person()));
    let roll = ok(OwnersRoll::new([unit(10_000, &p), unit(5_000, &p), unit(8_000, &q)]));
    assert_eq!(roll.electorate().heads(), 2);
    assert_eq!(roll.electorate().area_centi_m2(), 23_000);
    assert_eq!(roll.weight_of(&p), Some(owners(15_000, 1)));
}

#[test]
fn the_developers_unsold_units_count_as_one_owner() {
    let developer = Owner::developer();
    let buyer = Owner::person(person());
    let units = [unit(9_000, &developer), unit(9_000, &developer), unit(9_000, &developer), unit(9_000, &buyer)];
    let roll = ok(OwnersRoll::new(units));
    assert_eq!(roll.electorate().heads(), 2);
    assert_eq!(roll.weight_of(&developer), Some(owners(27_000, 1)));
}

#[test]
fn co_owners_of_a_unit_count_once() {
    let couple = ok(Owner::co_owners([person(), person()]));
    let roll = ok(OwnersRoll::new([unit(9_000, &couple), unit(9_000, &Owner::person(person()))]));
    assert_eq!(roll.electorate().heads(), 2);
}

#[test]
fn co_owners_are_the_same_owner_in_any_order() {
    let (x, y) = (person(), person());
    let units = [unit(9_000, &ok(Owner::co_owners([x, y]))), unit(7_000, &ok(Owner::co_owners([y, x, y])))];
    let roll = ok(OwnersRoll::new(units));
    assert_eq!(roll.electorate().heads(), 1);
}

#[test]
fn a_person_who_co_owns_one_unit_and_solely_owns_another_is_two_owners() {
    let (p, x) = (person(), person());
    let units = [unit(9_000, &ok(Owner::co_owners([p, x]))), unit(7_000, &Owner::person(p))];
    assert_eq!(ok(OwnersRoll::new(units)).electorate().heads(), 2);
}

#[test]
fn a_multi_unit_owner_votes_once_with_their_full_area() {
    let (p, q) = (Owner::person(person()), Owner::person(person()));
    let units = [unit(10_000, &p), unit(5_000, &p), unit(8_000, &q)];
    let roll = ok(OwnersRoll::new(units.clone()));
    let counted = roll.tally([ballot(&units[0], Choice::For), ballot(&units[1], Choice::For)]);
    assert_eq!(counted, Ok(tally(owners(15_000, 1), Weight::ZERO, Weight::ZERO)));
}

#[test]
fn co_owners_cast_one_ballot_for_their_unit() {
    let couple = ok(Owner::co_owners([person(), person()]));
    let shared = unit(9_000, &couple);
    let roll = ok(OwnersRoll::new([shared.clone()]));
    assert_eq!(roll.tally([ballot(&shared, Choice::Against)]), Ok(tally(Weight::ZERO, owners(9_000, 1), Weight::ZERO)));
    assert_eq!(
        roll.tally([ballot(&shared, Choice::For), ballot(&shared, Choice::Against)]),
        Err(VoteInvalid::DuplicateBallot { place: shared.id })
    );
}

#[test]
fn an_owner_splitting_their_ballot_across_their_units_is_refused() {
    let p = Owner::person(person());
    let units = [unit(10_000, &p), unit(5_000, &p)];
    let first = units[0].id.min(units[1].id);
    let roll = ok(OwnersRoll::new(units.clone()));
    let split = roll.tally([ballot(&units[0], Choice::For), ballot(&units[1], Choice::Abstain)]);
    assert_eq!(split, Err(VoteInvalid::SplitBallot { unit: first }));
}

#[test]
fn an_owner_voting_for_only_some_of_their_units_is_refused() {
    let p = Owner::person(person());
    let units = [unit(10_000, &p), unit(5_000, &p)];
    let roll = ok(OwnersRoll::new(units.clone()));
    let partial = roll.tally([ballot(&units[0], Choice::For)]);
    assert_eq!(partial, Err(VoteInvalid::PartialBallot { voted: units[0].id, missing: units[1].id }));
}

#[test]
fn a_ballot_for_a_unit_not_on_the_roll_is_refused() {
    let roll = ok(OwnersRoll::new([unit(9_000, &Owner::person(person()))]));
    let stranger: PlaceId = household();
    let counted = roll.tally([UnitBallot { unit: stranger, choice: Choice::For }]);
    assert_eq!(counted, Err(VoteInvalid::UnknownUnit { unit: stranger }));
}

#[test]
fn a_unit_listed_twice_is_refused() {
    let listed = unit(9_000, &Owner::person(person()));
    let twice = [listed.clone(), Unit { owner: Owner::developer(), ..listed.clone() }];
    assert_eq!(OwnersRoll::new(twice), Err(VoteInvalid::DuplicateUnit { unit: listed.id }));
}

#[test]
fn an_empty_roll_is_refused() {
    assert_eq!(OwnersRoll::new([]), Err(VoteInvalid::Empty { field: "the compound's floor area" }));
}

#[test]
fn co_owners_must_name_someone() {
    assert_eq!(Owner::co_owners([]), Err(VoteInvalid::NoCoOwners));
}

#[test]
fn a_roll_decides_a_vote_end_to_end() {
    // Six owners by head: P with two flats, the developer with three unsold flats, a couple, and three
    // single owners. 1 000.00 m² in all.
    let p = Owner::person(person());
    let developer = Owner::developer();
    let couple = ok(Owner::co_owners([person(), person()]));
    let (q, r, s) = (Owner::person(person()), Owner::person(person()), Owner::person(person()));
    let units = [
        unit(12_000, &p),
        unit(8_000, &p),
        unit(10_000, &developer),
        unit(10_000, &developer),
        unit(10_000, &developer),
        unit(20_000, &couple),
        unit(10_000, &q),
        unit(10_000, &r),
        unit(10_000, &s),
    ];
    let roll = ok(OwnersRoll::new(units.clone()));
    assert_eq!((roll.electorate().area_centi_m2(), roll.electorate().heads()), (100_000, 6));

    // P, the couple, Q and R take part (4 of 6 heads, 700.00 of 1 000.00 m²): P, the couple and Q for.
    let ballots = [
        ballot(&units[0], Choice::For),
        ballot(&units[1], Choice::For),
        ballot(&units[5], Choice::For),
        ballot(&units[6], Choice::For),
        ballot(&units[7], Choice::Against),
    ];
    let counted = ok(roll.tally(ballots));
    assert_eq!(counted, tally(owners(50_000, 3), owners(10_000, 1), Weight::ZERO));

    let outcome = ok(decide_owners_vote(OwnersMatter::PropertyManager, roll.electorate(), counted));
    assert_eq!(outcome.turnout.heads.share.to_string(), "2/3");
    assert_eq!(outcome.turnout.area.share.to_string(), "3/5");
    assert_eq!(outcome.verdict, Verdict::Invalid);

    // The developer votes for its three flats with one ballot: 5 of 6 heads, 900.00 m² take part, and
    // 4 owners with 800.00 m² agree.
    let with_developer = ballots.into_iter().chain([2, 3, 4].map(|i| ballot(&units[i], Choice::For)));
    let counted = ok(roll.tally(with_developer));
    assert_eq!(counted, tally(owners(80_000, 4), owners(10_000, 1), Weight::ZERO));
    let outcome = ok(decide_owners_vote(OwnersMatter::PropertyManager, roll.electorate(), counted));
    assert_eq!(outcome.approval.area.share.to_string(), "8/9");
    assert_eq!(outcome.approval.heads.share.to_string(), "4/5");
    assert_eq!(outcome.verdict, Verdict::Passed);
}

#[test]
fn each_unit_whose_owner_is_unknown_is_a_head_of_its_own() {
    // Two units the developer holds, two whose owners the register does not know, one known owner.
    let developer = Owner::developer();
    let (first, second) = (household(), household());
    let p = Owner::person(person());
    let units = [
        unit(10_000, &developer),
        unit(10_000, &developer),
        Unit { id: first, area: ok(FloorArea::from_centi_m2(10_000)), owner: Owner::unidentified(first) },
        Unit { id: second, area: ok(FloorArea::from_centi_m2(10_000)), owner: Owner::unidentified(second) },
        unit(10_000, &p),
    ];
    let roll = ok(OwnersRoll::new(units));
    // The developer once, each unknown owner once, P once: four heads, all 500.00 m².
    assert_eq!((roll.electorate().area_centi_m2(), roll.electorate().heads()), (50_000, 4));
    assert_eq!(roll.weight_of(&Owner::unidentified(first)), Some(owners(10_000, 1)));
    assert_ne!(Owner::unidentified(first).key(), Owner::unidentified(second).key());
    assert_ne!(Owner::unidentified(first).key(), Owner::developer().key());
}

#[test]
fn unknown_owners_make_two_thirds_turnout_harder_than_one_developer_head_would() {
    // Four known owners and two units of unknown owners. Folded into one developer head, four of five
    // heads (4/5 ≥ 2/3) would make the vote valid; as two heads, four of six is exactly 2/3, and three
    // of six is not.
    let known: Vec<Owner> = (0..4).map(|_| Owner::person(person())).collect();
    let (a, b) = (household(), household());
    let mut units: Vec<Unit> = known.iter().map(|o| unit(10_000, o)).collect();
    units.push(Unit { id: a, area: ok(FloorArea::from_centi_m2(10_000)), owner: Owner::unidentified(a) });
    units.push(Unit { id: b, area: ok(FloorArea::from_centi_m2(10_000)), owner: Owner::unidentified(b) });
    let roll = ok(OwnersRoll::new(units.clone()));
    assert_eq!(roll.electorate().heads(), 6);
    let three = ok(roll.tally(units[..3].iter().map(|u| ballot(u, Choice::For))));
    let outcome = ok(decide_owners_vote(OwnersMatter::ManagementStatute, roll.electorate(), three));
    assert_eq!(outcome.turnout.heads.share.to_string(), "1/2");
    assert_eq!(outcome.verdict, Verdict::Invalid);
}

#[test]
fn nobody_votes_for_an_unidentified_owner() {
    let unknown = household();
    let units = [Unit { id: unknown, area: ok(FloorArea::from_centi_m2(9_000)), owner: Owner::unidentified(unknown) }];
    let roll = ok(OwnersRoll::new(units));
    assert_eq!(
        roll.tally([UnitBallot { unit: unknown, choice: Choice::For }]),
        Err(VoteInvalid::UnidentifiedOwner { unit: unknown })
    );
}

use uuid::Uuid;

use super::problem_compounds::*;
use crate::ids::PlaceId;

fn compound(n: u128, complaints: u64, households: u64) -> CompoundFigures {
    CompoundFigures { compound: PlaceId::from_uuid(Uuid::from_u128(n)), complaints, households }
}

fn listed(figures: &[CompoundFigures]) -> Vec<u128> {
    top_five_percent(figures).iter().map(|f| f.compound.as_uuid().as_u128()).collect()
}

#[test]
fn the_cut_is_the_top_five_percent_rounded_up() {
    assert_eq!(
        (cut_size(0), cut_size(1), cut_size(20), cut_size(21), cut_size(40), cut_size(5_000)),
        (0, 1, 1, 2, 2, 250)
    );
    // 40 compounds: 2 listed, by rate, not by count (3/10 > 5/100).
    let mut city: Vec<CompoundFigures> = (0..38).map(|i| compound(i, 1, 100)).collect();
    city.push(compound(100, 5, 100));
    city.push(compound(101, 3, 10));
    assert_eq!(listed(&city), vec![101, 100]);
}

#[test]
fn ties_at_the_boundary_are_all_in_or_all_out() {
    // 40 compounds, two places: a tie for second place fits only with the first.
    let mut city: Vec<CompoundFigures> = (0..37).map(|i| compound(i, 1, 100)).collect();
    city.push(compound(100, 9, 10));
    city.push(compound(101, 2, 4));
    city.push(compound(102, 5, 10));
    assert_eq!(listed(&city), vec![100], "2/4 = 5/10 share the second place: both out, not one");
    // The same tie for the first two places fits exactly.
    city.retain(|f| f.compound.as_uuid().as_u128() != 100);
    city.push(compound(103, 1, 100));
    assert_eq!(listed(&city), vec![101, 102]);
}

#[test]
fn a_flat_city_lists_no_more_than_five_percent() {
    // As in the seeded benchmark city: most compounds share the rate of the last place.
    let mut city: Vec<CompoundFigures> = (0..1_889).map(|i| compound(i, 8, 100)).collect();
    city.extend((2_000..5_000).map(|i| compound(i, 7, 100)));
    city.push(compound(9_000, 1, 3));
    assert_eq!(cut_size(city.len()), 245);
    assert_eq!(listed(&city), vec![9_000], "1,889 tied compounds cannot share 244 places");
}

#[test]
fn a_tiny_city_lists_its_worst_compound_and_never_one_without_complaints() {
    assert_eq!(listed(&[compound(1, 1, 6), compound(2, 1, 3)]), vec![2]);
    assert_eq!(listed(&[compound(1, 0, 6), compound(2, 0, 3)]), Vec::<u128>::new());
    assert_eq!(listed(&[compound(1, 1, 3), compound(2, 2, 6)]), Vec::<u128>::new(), "two equal for one place");
    assert_eq!(listed(&[]), Vec::<u128>::new());
    assert_eq!(listed(&[compound(1, 4, 0)]), Vec::<u128>::new(), "no households, no rate");
}

#[test]
fn a_compound_leaves_after_two_periods_below() {
    let listed = next_standing(Standing::default(), true);
    let once = next_standing(listed, false);
    assert_eq!(once, Standing { listed: true, periods_below: 1 });
    assert_eq!(next_standing(once, true), Standing { listed: true, periods_below: 0 }, "back in the cut resets");
    assert_eq!(next_standing(once, false), Standing { listed: false, periods_below: 2 });
    assert_eq!(next_standing(Standing::default(), false), Standing::default());
}

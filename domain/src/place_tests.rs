//! Tests of `place.rs`.

use super::*;
use uuid::Uuid;

fn ids(n: usize) -> Vec<PlaceId> {
    (0..n).map(|_| PlaceId::from_uuid(Uuid::new_v4())).collect()
}

#[test]
fn kinds_only_nest_one_level_down() {
    assert!(PlaceKind::Compound.check_parent(Some(PlaceKind::Community)).is_ok());
    assert!(PlaceKind::City.check_parent(None).is_ok());
    assert!(PlaceKind::Building.check_parent(Some(PlaceKind::Community)).is_err());
    assert!(PlaceKind::District.check_parent(None).is_err());
}

#[test]
fn ancestry_knows_what_contains_it() {
    let path = ids(6);
    let building = Ancestry::from_path(&path).expect("six levels is a building");
    assert_eq!(building.kind(), PlaceKind::Building);
    assert!(building.is_within(path[3]));
    assert!(building.is_within(path[5]));
    assert!(!building.is_within(ids(1)[0]));
    assert_eq!(building.at(PlaceKind::Compound), Some(path[4]));
    assert_eq!(building.at(PlaceKind::Household), None);
    assert_eq!(building.parent_id(), Some(path[4]));
    let household = building.child(ids(1)[0]).expect("buildings have households");
    assert_eq!(household.kind(), PlaceKind::Household);
    assert!(household.child(ids(1)[0]).is_none());
    assert!(Ancestry::from_path(&[]).is_none());
    assert!(Ancestry::from_path(&ids(8)).is_none());
}

#[test]
fn residents_committee_acts_only_for_a_missing_or_under_half_committee() {
    let facts = |committee| CompoundFacts { owners_committee: committee, property_company: None };
    assert!(facts(None).residents_committee_acts_for_owners());
    assert!(facts(Some(OwnersCommittee { seats: 7, filled: 3 })).residents_committee_acts_for_owners());
    assert!(!facts(Some(OwnersCommittee { seats: 7, filled: 4 })).residents_committee_acts_for_owners());
    assert!(!facts(Some(OwnersCommittee { seats: 6, filled: 3 })).residents_committee_acts_for_owners());
    assert!(facts(Some(OwnersCommittee { seats: 6, filled: 2 })).residents_committee_acts_for_owners());
}

use chrono::TimeZone;
use uuid::Uuid;

use super::*;
use crate::ids::{CompanyId, RoleGrantId};
use crate::place::Ancestry;
use crate::role::Role;
use crate::vote::testing::person;

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, 8, 0, 0).single().unwrap_or_default()
}

fn id() -> PlaceId {
    PlaceId::from_uuid(Uuid::new_v4())
}

/// city → … → compound, and a household inside it.
fn compound_and_household() -> (Ancestry, Ancestry) {
    let path: Vec<PlaceId> = (0..5).map(|_| id()).collect();
    let compound = Ancestry::from_path(&path).unwrap_or_else(|| panic!("compound"));
    let building = compound.child(id()).unwrap_or_else(|| panic!("building"));
    let household = building.child(id()).unwrap_or_else(|| panic!("household"));
    (compound, household)
}

fn grant(role: Role, place: &Ancestry) -> Grant {
    let company = role.is_property().then(|| CompanyId::from_uuid(Uuid::new_v4()));
    Grant { id: RoleGrantId::from_uuid(Uuid::new_v4()), role, place: place.clone(), company }
}

fn mandate(scope: MandateScope) -> Mandate {
    Mandate {
        id: MandateId::from_uuid(Uuid::new_v4()),
        owner: person(),
        proxy: person(),
        scope,
        source: MandateSource::App,
        note: None,
        created_at: at(1),
        revoked_at: None,
    }
}

#[test]
fn a_mandate_for_one_vote_covers_that_vote_only() {
    let (vote, other) = (VoteId::from_uuid(Uuid::new_v4()), VoteId::from_uuid(Uuid::new_v4()));
    let compound = id();
    let given = mandate(MandateScope::Vote(vote));
    assert_eq!(given.covers(vote, compound, at(2)), Ok(()));
    assert_eq!(given.covers(other, compound, at(2)), Err(MandateRefusal::NoMandate));
}

#[test]
fn a_standing_mandate_covers_its_compounds_votes_from_its_start_until_just_before_its_end() {
    let (compound, elsewhere, vote) = (id(), id(), VoteId::from_uuid(Uuid::new_v4()));
    let Ok(term) = MandateTerm::new(compound, at(2), at(9), at(1)) else { panic!("valid term") };
    let given = mandate(MandateScope::Period(term));
    assert_eq!(given.covers(vote, compound, at(1)), Err(MandateRefusal::NoMandate));
    assert_eq!(given.covers(vote, compound, at(2)), Ok(()));
    assert_eq!(given.covers(vote, compound, at(9)), Err(MandateRefusal::NoMandate));
    assert_eq!(given.covers(vote, elsewhere, at(3)), Err(MandateRefusal::NoMandate));
}

#[test]
fn a_standing_mandate_is_not_empty_past_or_longer_than_a_year() {
    let compound = id();
    assert!(MandateTerm::new(compound, at(5), at(5), at(1)).is_err());
    assert!(MandateTerm::new(compound, at(1), at(2), at(3)).is_err());
    assert!(MandateTerm::new(compound, at(1), at(1) + MandateTerm::LONGEST + Duration::seconds(1), at(1)).is_err());
    assert!(MandateTerm::new(compound, at(1), at(1) + MandateTerm::LONGEST, at(1)).is_ok());
}

#[test]
fn a_revoked_mandate_covers_nothing_and_cannot_be_revoked_twice() {
    let vote = VoteId::from_uuid(Uuid::new_v4());
    let mut given = mandate(MandateScope::Vote(vote));
    assert_eq!(given.revoke(false, at(3)), Ok(()));
    assert_eq!(given.covers(vote, id(), at(4)), Err(MandateRefusal::Revoked));
    assert_eq!(given.revoke(false, at(4)), Err(MandateRefusal::Revoked));
}

#[test]
fn a_mandate_for_one_vote_the_proxy_has_voted_under_is_not_revoked_the_owner_votes_instead() {
    let mut given = mandate(MandateScope::Vote(VoteId::from_uuid(Uuid::new_v4())));
    assert_eq!(given.revoke(true, at(3)), Err(MandateRefusal::MandateUsed));
    assert_eq!(given.revoked_at, None);
}

#[test]
fn a_standing_mandate_the_proxy_has_voted_under_is_revoked_for_the_votes_to_come() {
    let vote = VoteId::from_uuid(Uuid::new_v4());
    let compound = id();
    let term = MandateTerm { compound, from: at(1), until: at(30) };
    let mut given = mandate(MandateScope::Period(term));
    assert_eq!(given.revoke(true, at(3)), Ok(()));
    assert_eq!(given.revoked_at, Some(at(3)));
    assert_eq!(given.covers(vote, compound, at(4)), Err(MandateRefusal::Revoked));
}

#[test]
fn property_staff_of_the_compound_never_hold_a_mandate_whatever_the_matter() {
    let (compound, household) = compound_and_household();
    for role in [Role::PropertyManager, Role::PropertyStaff] {
        let grants = [grant(role, &compound), grant(Role::Owner, &household)];
        for matter in OwnersMatter::ALL {
            assert_eq!(may_hold(&grants, compound.id(), Some(matter)), Err(MandateRefusal::ProxyNotAllowed));
        }
        assert_eq!(may_hold(&grants, compound.id(), None), Err(MandateRefusal::ProxyNotAllowed));
        assert_eq!(may_hold(&grants, id(), None), Ok(()), "in another compound they are owners like any");
    }
}

#[test]
fn owners_committee_members_hold_no_mandate_in_a_vote_on_the_committee_only() {
    let (compound, _) = compound_and_household();
    for role in [Role::OwnersCommitteeMember, Role::OwnersCommitteeChair] {
        let grants = [grant(role, &compound)];
        for matter in OwnersMatter::ALL {
            let expected =
                if matter == OwnersMatter::OwnersCommittee { Err(MandateRefusal::ProxyNotAllowed) } else { Ok(()) };
            assert_eq!(may_hold(&grants, compound.id(), Some(matter)), expected, "{matter:?}");
        }
    }
}

#[test]
fn a_tenant_or_a_neighbour_may_hold_a_mandate() {
    let (compound, household) = compound_and_household();
    for role in [Role::Resident, Role::Owner, Role::BuildingLeader] {
        assert_eq!(may_hold(&[grant(role, &household)], compound.id(), Some(OwnersMatter::PropertyManager)), Ok(()));
    }
}

#[test]
fn the_cap_admits_up_to_its_number_of_owners_per_proxy() {
    let Ok(cap) = ProxyCap::new(2) else { panic!("valid cap") };
    assert_eq!(cap.admits(0), Ok(()));
    assert_eq!(cap.admits(1), Ok(()));
    assert_eq!(cap.admits(2), Err(MandateRefusal::ProxyCapReached { cap: 2 }));
    assert!(ProxyCap::new(0).is_err());
    assert_eq!(ProxyCap::default().get(), 5);
}

#[test]
fn only_the_committee_and_the_property_company_are_subjects_of_a_matter() {
    for matter in OwnersMatter::ALL {
        let expected = match matter.item() {
            3 => Some(Party::OwnersCommittee),
            4 => Some(Party::PropertyCompany),
            _ => None,
        };
        assert_eq!(subject_party(matter), expected, "item {}", matter.item());
    }
}

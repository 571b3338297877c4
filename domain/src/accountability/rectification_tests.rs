use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use super::Quarter;
use super::rectification::{
    Listing, Measure, PlanState, RectificationError, RectificationPlan, authorize_drafting, authorize_review,
};
use crate::Denied;
use crate::ids::{PersonId, PlaceId, RectificationPlanId, RoleGrantId, TaskId, TopicId};
use crate::place::{Ancestry, PlaceContext};
use crate::policy::Actor;
use crate::role::{Grant, Role};
use crate::topic::Party;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 10, 2, 0, 0).single().expect("a time")
}

fn id() -> PlaceId {
    PlaceId::from_uuid(Uuid::new_v4())
}

/// city > district > street > community > compound, and a second community on the same street.
struct Places {
    street: Ancestry,
    community: Ancestry,
    compound: Ancestry,
    other_community: Ancestry,
}

fn places() -> Places {
    let city = Ancestry::from_path(&[id()]).expect("a city");
    let street = city.child(id()).and_then(|d| d.child(id())).expect("a street");
    let community = street.child(id()).expect("a community");
    let compound = community.child(id()).expect("a compound");
    let other_community = street.child(id()).expect("another community");
    Places { street, community, compound, other_community }
}

fn ctx(place: &Ancestry) -> PlaceContext {
    PlaceContext { ancestry: place.clone(), compound: None }
}

fn one(role: Role, place: &Ancestry) -> Actor {
    let grant = Grant { id: RoleGrantId::from_uuid(Uuid::new_v4()), role, place: place.clone(), company: None };
    Actor { person: PersonId::from_uuid(Uuid::new_v4()), grants: vec![grant] }
}

fn measure(owner: Party, days: i64) -> Measure {
    Measure {
        owner,
        title: "清理楼道堆物".into(),
        criteria: "每栋楼道无堆物".into(),
        due_at: now() + Duration::days(days),
    }
}

fn listed() -> Listing {
    Listing { listed_in: Some(Quarter::parse("2026Q4").expect("a quarter")), planned: false }
}

fn draft(listing: Listing, measures: Vec<Measure>) -> Result<RectificationPlan, RectificationError> {
    RectificationPlan::draft(
        RectificationPlanId::from_uuid(Uuid::new_v4()),
        id(),
        listing,
        PersonId::from_uuid(Uuid::new_v4()),
        "一院一案：楼道与停车",
        measures,
        now(),
    )
}

#[test]
fn the_communitys_committee_drafts_and_the_street_reviews() {
    let p = places();
    let at = ctx(&p.compound);
    assert_eq!(authorize_drafting(&one(Role::ResidentsCommitteeStaff, &p.community), &at), Ok(()));
    assert_eq!(authorize_drafting(&one(Role::PartySecretary, &p.community), &at), Ok(()));
    assert_eq!(authorize_review(&one(Role::StreetOfficer, &p.street), &at), Ok(()));
    for (role, place) in [
        (Role::Resident, &p.compound),
        (Role::OwnersCommitteeChair, &p.compound),
        (Role::PropertyManager, &p.compound),
        (Role::StreetOfficer, &p.street),
        (Role::ResidentsCommitteeStaff, &p.other_community),
    ] {
        assert_eq!(authorize_drafting(&one(role, place), &at), Err(Denied::Forbidden), "{role:?} drafting");
    }
    for (role, place) in [
        (Role::ResidentsCommitteeStaff, &p.community),
        (Role::PropertyManager, &p.compound),
        (Role::Resident, &p.compound),
    ] {
        assert_eq!(authorize_review(&one(role, place), &at), Err(Denied::Forbidden), "{role:?} reviewing");
    }
    // A plan is a compound's: staff at the community itself is not asked to plan for the community.
    let staff = one(Role::ResidentsCommitteeStaff, &p.community);
    assert_eq!(authorize_drafting(&staff, &ctx(&p.community)), Err(Denied::Forbidden));
}

#[test]
fn only_a_listed_compound_without_a_plan_gets_one() {
    let measures = || vec![measure(Party::PropertyCompany, 30)];
    assert_eq!(draft(Listing { listed_in: None, planned: false }, measures()), Err(RectificationError::NotListed));
    assert_eq!(draft(Listing { planned: true, ..listed() }, measures()), Err(RectificationError::AlreadyPlanned));
    let plan = draft(listed(), measures()).expect("a plan");
    assert_eq!((plan.state.clone(), plan.quarter.to_string()), (PlanState::Submitted, "2026Q4".to_owned()));
}

#[test]
fn measures_are_checked_as_the_tasks_they_become() {
    assert_eq!(draft(listed(), vec![]), Err(RectificationError::Measures));
    let many = (0..=super::rectification::MAX_MEASURES).map(|_| measure(Party::PropertyCompany, 30)).collect();
    assert_eq!(draft(listed(), many), Err(RectificationError::Measures));
    let late = draft(listed(), vec![measure(Party::PropertyCompany, 30), measure(Party::OwnersCommittee, 0)]);
    assert_eq!(late.map_err(|e| e.code()), Err("due_in_past"));
    let untitled = Measure { title: "  ".into(), ..measure(Party::PropertyCompany, 30) };
    assert_eq!(draft(listed(), vec![untitled]).map_err(|e| e.code()), Err("invalid"));
}

#[test]
fn the_street_approves_or_sends_back_with_a_reason_and_a_revision_goes_back_to_it() {
    let street = PersonId::from_uuid(Uuid::new_v4());
    let plan = draft(listed(), vec![measure(Party::PropertyCompany, 30)]).expect("a plan");
    assert_eq!(
        plan.clone().send_back(street, " ", now()).map_err(|e| e.code()),
        Err("invalid"),
        "a reason is required"
    );
    let back = plan.send_back(street, "缺少停车整治措施", now()).expect("sent back");
    assert_eq!(back.clone().approve(street, now()), Err(RectificationError::WrongState { state: "sent_back" }));
    let measures = vec![measure(Party::PropertyCompany, 30), measure(Party::ResidentsCommittee, 60)];
    let revised = back.revise("一院一案：楼道、停车", measures, now()).expect("revised");
    assert_eq!(revised.state, PlanState::Submitted);
    let approved = revised.approve(street, now()).expect("approved");
    assert_eq!(approved.clone().approve(street, now()), Err(RectificationError::WrongState { state: "approved" }));
    assert_eq!(
        approved.clone().revise("x", vec![measure(Party::PropertyCompany, 30)], now()),
        Err(RectificationError::WrongState { state: "approved" })
    );
    let topic = TopicId::from_uuid(Uuid::new_v4());
    let tasks = approved.tasks(topic, now(), || TaskId::from_uuid(Uuid::new_v4())).expect("tasks");
    let owners: Vec<(Party, TopicId)> = tasks.iter().map(|t| (t.owner, t.topic)).collect();
    assert_eq!(owners, vec![(Party::PropertyCompany, topic), (Party::ResidentsCommittee, topic)]);
}

#[test]
fn a_measure_that_fell_due_while_the_street_deliberated_is_not_opened_late() {
    let street = PersonId::from_uuid(Uuid::new_v4());
    let plan = draft(listed(), vec![measure(Party::PropertyCompany, 3)]).expect("a plan");
    assert!(plan.tasks(TopicId::from_uuid(Uuid::new_v4()), now(), || TaskId::from_uuid(Uuid::new_v4())).is_err());
    let approved = plan.approve(street, now() + Duration::days(5)).expect("approved");
    let opened = approved
        .tasks(TopicId::from_uuid(Uuid::new_v4()), now() + Duration::days(5), || TaskId::from_uuid(Uuid::new_v4()));
    assert_eq!(opened.map_err(|e| e.code()), Err("due_in_past"));
}

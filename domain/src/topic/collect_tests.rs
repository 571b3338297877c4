//! Submitting, co-signing and withdrawing topics.

use uuid::Uuid;

use crate::Invalid;
use crate::ids::{RoundId, TopicId};
use crate::topic::testing::{World, days, ok, person, plan, step, t0};
use crate::topic::{
    Category, EscalationLevel, EventKind, Placement, RoundTheme, SolicitationRound, Stage, Topic, TopicError,
    TopicState, Visibility,
};

fn new_id() -> TopicId {
    TopicId::from_uuid(Uuid::new_v4())
}

fn round(world: &World, opens_in_days: i64, closes_in_days: i64) -> SolicitationRound {
    let id = RoundId::from_uuid(Uuid::new_v4());
    let theme = ok(RoundTheme::parse("充电设施意见征集"));
    let (opens_at, closes_at) = (t0() + days(opens_in_days), t0() + days(closes_in_days));
    ok(SolicitationRound::new(id, &world.compound, theme, opens_at, closes_at, t0() - days(30)))
}

#[test]
fn a_resident_submits_a_topic_that_awaits_the_communitys_triage() {
    let world = World::new();
    let id = new_id();
    let submitted = ok(Topic::submit(id, world.submitter, world.draft(), world.placement(&world.building), t0()));
    let topic = &submitted.topic;
    assert_eq!(topic.state, TopicState::AwaitingTriage { since: t0() });
    assert_eq!(topic.level, EscalationLevel::Community);
    assert_eq!(topic.stage(), Stage::Collecting);
    assert_eq!(topic.community(), Some(world.community.id()));
    assert_eq!(topic.jurisdiction(), Some(world.community.id()));
    assert_eq!(submitted.event.kind, EventKind::Submitted);
    assert_eq!((submitted.event.topic, submitted.event.actor, submitted.event.at), (id, Some(world.submitter), t0()));
    assert_eq!(submitted.event.visibility(), Visibility::Public);
}

#[test]
fn a_topic_may_be_about_a_whole_compound() {
    let world = World::new();
    assert_eq!(world.submitted_at(&world.compound).place.id(), world.compound.id());
}

#[test]
fn a_topic_about_a_household_or_a_community_is_refused() {
    let world = World::new();
    for (place, given) in [(&world.household, "household"), (&world.community, "community")] {
        let placement = Placement { place, category: &world.category, round: None };
        assert_eq!(
            Topic::submit(new_id(), world.submitter, world.draft(), placement, t0()),
            Err(TopicError::Invalid(Invalid::WrongPlaceKind { expected: "compound or building", given }))
        );
    }
}

#[test]
fn a_topic_filed_under_another_communitys_category_is_refused() {
    let world = World::new();
    let placement = Placement { place: &world.building, category: &world.foreign_category, round: None };
    assert_eq!(
        Topic::submit(new_id(), world.submitter, world.draft(), placement, t0()),
        Err(TopicError::CategoryElsewhere)
    );
}

#[test]
fn a_topic_under_a_retired_category_is_refused() {
    let world = World::new();
    let retired = Category { active: false, ..world.category.clone() };
    let placement = Placement { place: &world.building, category: &retired, round: None };
    assert_eq!(
        Topic::submit(new_id(), world.submitter, world.draft(), placement, t0()),
        Err(TopicError::CategoryRetired)
    );
}

#[test]
fn a_topic_submitted_inside_an_open_round_remembers_the_round() {
    let world = World::new();
    let round = round(&world, -1, 14);
    let placement = Placement { round: Some(&round), ..world.placement(&world.building) };
    let topic = step(Topic::submit(new_id(), world.submitter, world.draft(), placement, t0()));
    assert_eq!(topic.round, Some(round.id));
}

#[test]
fn a_topic_submitted_to_a_round_before_it_opens_or_once_it_has_closed_is_refused() {
    let world = World::new();
    let round = round(&world, 1, 14);
    let placement = Placement { round: Some(&round), ..world.placement(&world.building) };
    let closed = TopicError::RoundNotOpen { opens_at: round.opens_at, closes_at: round.closes_at };
    assert_eq!(Topic::submit(new_id(), world.submitter, world.draft(), placement, t0()), Err(closed.clone()));
    assert_eq!(Topic::submit(new_id(), world.submitter, world.draft(), placement, t0() + days(14)), Err(closed));
    assert!(Topic::submit(new_id(), world.submitter, world.draft(), placement, t0() + days(13)).is_ok());
}

#[test]
fn a_topic_from_outside_the_rounds_place_is_refused() {
    let world = World::new();
    let round = round(&world, -1, 14);
    let placement = Placement { round: Some(&round), ..world.placement(&world.neighbour_compound) };
    assert_eq!(
        Topic::submit(new_id(), world.submitter, world.draft(), placement, t0()),
        Err(TopicError::RoundElsewhere)
    );
}

#[test]
fn a_neighbour_co_signs_a_topic_awaiting_triage_without_changing_it() {
    let world = World::new();
    let topic = world.submitted();
    let neighbour = person();
    let event = ok(topic.co_sign(neighbour, t0() + days(1)));
    assert_eq!(event.kind, EventKind::CoSigned);
    assert_eq!(event.actor, Some(neighbour));
    assert_eq!(event.visibility(), Visibility::Staff);
}

#[test]
fn the_submitter_cannot_co_sign_their_own_topic() {
    let world = World::new();
    assert_eq!(world.submitted().co_sign(world.submitter, t0()), Err(TopicError::OwnTopic));
}

#[test]
fn co_signing_closes_with_the_triage_decision() {
    let world = World::new();
    assert_eq!(
        world.accepted(false).co_sign(person(), t0() + days(2)),
        Err(TopicError::WrongStage { action: "co-sign", state: "deliberating" })
    );
    assert_eq!(
        world.routed().co_sign(person(), t0() + days(2)),
        Err(TopicError::WrongStage { action: "co-sign", state: "service_routed" })
    );
}

#[test]
fn co_signing_stays_open_while_the_street_triages() {
    let world = World::new();
    let escalated = step(world.submitted().escalate(world.staff, crate::topic::testing::reason("涉及两个社区"), t0()));
    assert!(escalated.co_sign(person(), t0() + days(1)).is_ok());
}

#[test]
fn the_submitter_withdraws_a_topic_awaiting_triage() {
    let world = World::new();
    let withdrawn = ok(world.submitted().withdraw(world.submitter, None, t0() + days(1)));
    assert_eq!(withdrawn.topic.state, TopicState::Withdrawn { at: t0() + days(1) });
    assert_eq!(withdrawn.topic.stage(), Stage::Withdrawn);
    assert_eq!(withdrawn.event.kind, EventKind::Withdrawn);
    assert_eq!(withdrawn.event.visibility(), Visibility::Public);
}

#[test]
fn only_the_submitter_may_withdraw() {
    let world = World::new();
    assert_eq!(world.submitted().withdraw(world.staff, None, t0()), Err(TopicError::NotSubmitter));
}

#[test]
fn a_topic_cannot_be_withdrawn_once_triage_has_decided() {
    let world = World::new();
    assert_eq!(
        world.accepted(false).withdraw(world.submitter, None, t0() + days(2)),
        Err(TopicError::WrongStage { action: "withdraw", state: "deliberating" })
    );
}

#[test]
fn a_withdrawn_topic_can_be_neither_withdrawn_again_nor_triaged() {
    let world = World::new();
    let withdrawn = step(world.submitted().withdraw(world.submitter, None, t0()));
    assert_eq!(
        withdrawn.clone().withdraw(world.submitter, None, t0()),
        Err(TopicError::WrongStage { action: "withdraw", state: "withdrawn" })
    );
    assert_eq!(
        withdrawn.accept(world.staff, plan(false), None, t0()),
        Err(TopicError::WrongStage { action: "accept", state: "withdrawn" })
    );
}

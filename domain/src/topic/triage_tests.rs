//! Triage decisions, escalation to the street, and the triage deadline.

use crate::Invalid;
use crate::ids::CompanyId;
use crate::topic::testing::{World, days, note, ok, plan, reason, resolution, step, t0};
use crate::topic::{
    DeadlineDays, DeadlineKind, Deadlines, EscalationLevel, EventKind, Reason, ServiceStatus, Stage, TopicError,
    TopicState, Visibility,
};

#[test]
fn staff_accept_a_topic_with_a_deliberation_plan() {
    let world = World::new();
    let accepted = ok(world.submitted().accept(world.staff, plan(true), Some(note("纳入6月联席会议")), t0()));
    assert_eq!(accepted.topic.stage(), Stage::Deliberating);
    assert_eq!(accepted.topic.state.code(), "deliberating");
    assert_eq!(accepted.topic.state.plan(), Some(&plan(true)));
    assert_eq!(accepted.event.kind, EventKind::Accepted { plan: plan(true) });
    assert_eq!(accepted.event.note, Some(note("纳入6月联席会议")));
    assert_eq!(accepted.event.visibility(), Visibility::Public);
}

#[test]
fn a_second_triage_decision_is_refused() {
    let world = World::new();
    let accepted = world.accepted(false);
    assert_eq!(
        accepted.clone().reject(world.staff, reason("重复"), t0()),
        Err(TopicError::WrongStage { action: "reject", state: "deliberating" })
    );
    assert_eq!(
        accepted.route(world.staff, Some(world.company), None, t0()),
        Err(TopicError::WrongStage { action: "route", state: "deliberating" })
    );
}

#[test]
fn every_triage_decision_is_refused_outside_awaiting_triage() {
    let world = World::new();
    let target = world.submitted();
    for topic in world.in_every_state().into_iter().skip(1) {
        let state = topic.state.code();
        let refused = |action| Err(TopicError::WrongStage { action, state });
        assert_eq!(topic.clone().accept(world.staff, plan(false), None, t0()).map(|_| ()), refused("accept"));
        assert_eq!(topic.clone().reject(world.staff, reason("不予受理"), t0()).map(|_| ()), refused("reject"));
        assert_eq!(topic.clone().route(world.staff, Some(world.company), None, t0()).map(|_| ()), refused("route"));
        assert_eq!(topic.clone().merge_into(&target, world.staff, None, t0()).map(|_| ()), refused("merge"));
        assert_eq!(
            topic.clone().reclassify(world.staff, &world.other_category, t0()).map(|_| ()),
            refused("reclassify")
        );
    }
}

#[test]
fn staff_reject_a_topic_with_a_reason_every_resident_sees() {
    let world = World::new();
    let rejected = ok(world.submitted().reject(world.staff, reason("属于业主个人事务"), t0() + days(1)));
    assert_eq!(rejected.topic.state, TopicState::Rejected { at: t0() + days(1), reason: reason("属于业主个人事务") });
    assert_eq!(rejected.topic.stage(), Stage::Rejected);
    assert_eq!(rejected.event.kind, EventKind::Rejected { reason: reason("属于业主个人事务") });
    assert_eq!(rejected.event.visibility(), Visibility::Public);
}

#[test]
fn a_rejection_without_a_reason_cannot_even_be_written() {
    assert_eq!(Reason::parse(""), Err(Invalid::ReasonRequired));
    assert_eq!(Reason::parse(&"因".repeat(501)), Err(Invalid::TooLong { field: "reason", max: 500 }));
}

#[test]
fn a_duplicate_is_merged_into_another_topic_and_its_co_signers_carried_over() {
    let world = World::new();
    let (duplicate, target) = (world.submitted(), world.submitted());
    let target_submitter = crate::topic::testing::person();
    let target = crate::topic::Topic { submitter: target_submitter, ..target };
    let merge = ok(duplicate.clone().merge_into(&target, world.staff, None, t0() + days(1)));
    assert_eq!(merge.merged.state, TopicState::Merged { at: t0() + days(1), into: target.id });
    assert_eq!(merge.merged.stage(), Stage::Merged);
    assert_eq!((merge.event.topic, &merge.event.kind), (duplicate.id, &EventKind::Merged { into: target.id }));
    assert_eq!(
        (merge.target_event.topic, &merge.target_event.kind),
        (target.id, &EventKind::MergedIn { from: duplicate.id })
    );
    assert_eq!(merge.event.visibility(), Visibility::Public);
    assert_eq!(merge.target_event.visibility(), Visibility::Public);
    assert_eq!(merge.carry_over.from, duplicate.id);
    assert_eq!(merge.carry_over.into, target.id);
    assert_eq!(merge.carry_over.also, world.submitter);
    assert_eq!(merge.carry_over.except, target_submitter);
}

#[test]
fn a_topic_cannot_be_merged_into_itself() {
    let world = World::new();
    let topic = world.submitted();
    assert_eq!(topic.clone().merge_into(&topic, world.staff, None, t0()).map(|_| ()), Err(TopicError::SelfMerge));
}

#[test]
fn a_duplicate_can_be_merged_into_an_accepted_topic_still_deliberating() {
    let world = World::new();
    assert!(world.submitted().merge_into(&world.accepted(false), world.staff, None, t0() + days(2)).is_ok());
}

#[test]
fn a_topic_cannot_be_merged_into_one_that_no_longer_takes_support() {
    let world = World::new();
    let closed_targets =
        world.in_every_state().into_iter().filter(|t| !matches!(t.state.code(), "awaiting_triage" | "deliberating"));
    for target in closed_targets {
        assert_eq!(
            world.submitted().merge_into(&target, world.staff, None, t0()).map(|_| ()),
            Err(TopicError::MergeTargetClosed { state: target.state.code() })
        );
    }
}

#[test]
fn the_community_cannot_merge_into_a_topic_of_another_community() {
    let world = World::new();
    let elsewhere = world.submitted_at(&world.other_compound);
    assert_eq!(
        world.submitted().merge_into(&elsewhere, world.staff, None, t0()).map(|_| ()),
        Err(TopicError::MergeTargetElsewhere)
    );
    assert!(
        world.submitted().merge_into(&world.submitted_at(&world.neighbour_compound), world.staff, None, t0()).is_ok()
    );
}

#[test]
fn the_street_may_merge_a_topic_into_one_of_another_of_its_communities() {
    let world = World::new();
    let escalated = step(world.submitted().escalate(world.staff, reason("涉及两个社区"), t0()));
    let elsewhere = world.submitted_at(&world.other_compound);
    assert!(escalated.merge_into(&elsewhere, world.staff, None, t0()).is_ok());
}

#[test]
fn a_simple_request_is_routed_to_the_property_company() {
    let world = World::new();
    let routed = ok(world.submitted().route(world.staff, Some(world.company), Some(note("请尽快更换")), t0()));
    let TopicState::Routed(request) = &routed.topic.state else {
        panic!("not routed: {:?}", routed.topic.state);
    };
    assert_eq!((request.company, request.routed_at, request.status), (world.company, t0(), ServiceStatus::Routed));
    assert_eq!(routed.topic.stage(), Stage::Service);
    assert_eq!(routed.event.kind, EventKind::Routed { company: world.company });
}

#[test]
fn routing_is_refused_when_the_compound_has_no_property_company() {
    let world = World::new();
    assert_eq!(world.submitted().route(world.staff, None, None, t0()), Err(TopicError::NoPropertyCompany));
}

#[test]
fn staff_reclassify_a_topic_within_the_catalogue_before_deciding() {
    let world = World::new();
    let moved = ok(world.submitted().reclassify(world.staff, &world.other_category, t0()));
    assert_eq!(moved.topic.category, world.other_category.id);
    assert_eq!(moved.topic.state.code(), "awaiting_triage");
    assert_eq!(moved.event.kind, EventKind::Reclassified { from: world.category.id, to: world.other_category.id });
}

#[test]
fn reclassifying_into_the_same_or_a_foreign_category_is_refused() {
    let world = World::new();
    assert_eq!(world.submitted().reclassify(world.staff, &world.category, t0()), Err(TopicError::SameCategory));
    assert_eq!(
        world.submitted().reclassify(world.staff, &world.foreign_category, t0()),
        Err(TopicError::CategoryElsewhere)
    );
}

#[test]
fn a_topic_escalated_to_the_street_awaits_the_streets_triage_with_a_fresh_deadline() {
    let world = World::new();
    let escalated = ok(world.submitted().escalate(world.staff, reason("涉及两个社区"), t0() + days(2)));
    let topic = &escalated.topic;
    assert_eq!(topic.level, EscalationLevel::Street);
    assert_eq!(topic.jurisdiction(), Some(world.street.id()));
    assert_eq!(topic.state, TopicState::AwaitingTriage { since: t0() + days(2) });
    assert_eq!(topic.stage(), Stage::Collecting);
    let deadline = topic.deadline(&world.deadlines).map(|d| (d.kind, d.due_at));
    assert_eq!(deadline, Some((DeadlineKind::Triage, t0() + days(7))));
    assert_eq!(
        escalated.event.kind,
        EventKind::Escalated {
            from: EscalationLevel::Community,
            to: EscalationLevel::Street,
            reason: reason("涉及两个社区")
        }
    );
}

#[test]
fn the_street_cannot_pass_a_topic_on_to_the_district_at_triage() {
    let world = World::new();
    let escalated = step(world.submitted().escalate(world.staff, reason("涉及两个社区"), t0()));
    assert_eq!(
        escalated.escalate(world.staff, reason("再上报"), t0()),
        Err(TopicError::EscalationLimit { level: EscalationLevel::Street })
    );
}

#[test]
fn the_street_accepts_an_escalated_topic_and_goes_on_leading_it() {
    let world = World::new();
    let escalated = step(world.submitted().escalate(world.staff, reason("涉及两个社区"), t0()));
    let accepted = step(escalated.accept(world.staff, plan(false), None, t0() + days(1)));
    assert_eq!(accepted.level, EscalationLevel::Street);
    assert_eq!(accepted.stage(), Stage::Deliberating);
}

#[test]
fn a_topic_is_overdue_for_triage_only_after_five_days_and_only_while_awaiting_triage() {
    let world = World::new();
    let topic = world.submitted();
    assert!(!topic.is_triage_overdue(&world.deadlines, t0() + days(5)));
    assert!(topic.is_triage_overdue(&world.deadlines, t0() + days(5) + chrono::Duration::seconds(1)));
    let accepted = world.accepted(false);
    assert!(!accepted.is_triage_overdue(&world.deadlines, t0() + days(30)));
}

#[test]
fn an_overdue_topic_can_still_be_triaged() {
    let world = World::new();
    let late = t0() + days(9);
    assert!(world.submitted().is_triage_overdue(&world.deadlines, late));
    assert!(world.submitted().accept(world.staff, plan(false), None, late).is_ok());
}

#[test]
fn a_configured_triage_deadline_replaces_the_default() {
    let world = World::new();
    let three_days = ok(Deadlines::new(DeadlineDays { triage: 3, ..DeadlineDays::default() }));
    assert!(world.submitted().is_triage_overdue(&three_days, t0() + days(4)));
}

#[test]
fn a_resolved_topic_has_no_triage_deadline() {
    let world = World::new();
    let resolved = step(world.accepted(false).resolve(world.staff, resolution(), t0() + days(3)));
    assert_eq!(resolved.deadline(&world.deadlines), None);
}

#[test]
fn a_request_whose_company_lost_the_contract_goes_afresh_to_the_company_holding_it() {
    let world = World::new();
    let acknowledged = step(world.routed().acknowledge_service(world.staff, t0() + days(2)));
    let successor = CompanyId::from_uuid(uuid::Uuid::new_v4());
    let moved = ok(acknowledged.reroute(world.staff, Some(successor), Some(note("原物业合同已终止")), t0() + days(40)));
    let TopicState::Routed(request) = &moved.topic.state else {
        panic!("not routed: {:?}", moved.topic.state);
    };
    assert_eq!(
        (request.company, request.routed_at, request.status),
        (successor, t0() + days(40), ServiceStatus::Routed)
    );
    assert_eq!(moved.event.kind, EventKind::Rerouted { from: world.company, to: successor });
    // The instruction is addressed to the new company, as routing's is.
    assert!(moved.event.kind.note_addresses_the_company());
}

#[test]
fn rerouting_is_refused_while_the_company_still_serves_or_none_does_or_the_job_is_done() {
    let world = World::new();
    assert_eq!(
        world.routed().reroute(world.staff, Some(world.company), None, t0()),
        Err(TopicError::StillUnderContract)
    );
    assert_eq!(world.routed().reroute(world.staff, None, None, t0()), Err(TopicError::NoPropertyCompany));
    let elsewhere = Some(CompanyId::from_uuid(uuid::Uuid::new_v4()));
    assert!(matches!(
        world.service_done().reroute(world.staff, elsewhere, None, t0()),
        Err(TopicError::WrongStage { action: "reroute", .. })
    ));
    assert!(matches!(
        world.submitted().reroute(world.staff, elsewhere, None, t0()),
        Err(TopicError::WrongStage { action: "reroute", .. })
    ));
}

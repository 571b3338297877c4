//! The service-request lifecycle of a topic routed to the property company.

use crate::topic::testing::{World, days, note, ok, reason, resolution, step, t0};
use crate::topic::{DeadlineKind, EventKind, ServiceStatus, Stage, TopicError, TopicState};

fn status(topic: &crate::topic::Topic) -> Option<ServiceStatus> {
    match &topic.state {
        TopicState::Routed(request) => Some(request.status),
        _ => None,
    }
}

#[test]
fn the_company_acknowledges_finishes_and_the_submitter_confirms() {
    let world = World::new();
    let acknowledged = ok(world.routed().acknowledge_service(world.staff, t0() + days(1)));
    assert_eq!(status(&acknowledged.topic), Some(ServiceStatus::Acknowledged { at: t0() + days(1) }));
    assert_eq!(acknowledged.event.kind, EventKind::ServiceAcknowledged);
    let done = ok(acknowledged.topic.finish_service(world.staff, note("已更换灯泡"), t0() + days(2)));
    assert_eq!(status(&done.topic), Some(ServiceStatus::Done { at: t0() + days(2) }));
    assert_eq!(done.event.kind, EventKind::ServiceDone { report: note("已更换灯泡") });
    let confirmed = ok(done.topic.confirm_service(world.submitter, Some(note("谢谢")), t0() + days(3)));
    assert_eq!(status(&confirmed.topic), Some(ServiceStatus::Confirmed { at: t0() + days(3), by_default: false }));
    assert_eq!(confirmed.event.kind, EventKind::ServiceConfirmed { by_default: false });
    assert_eq!(confirmed.event.actor, Some(world.submitter));
    assert_eq!(confirmed.topic.stage(), Stage::Service);
    assert!(confirmed.topic.state.is_finished());
}

#[test]
fn a_job_done_on_the_spot_may_skip_the_acknowledgement() {
    let world = World::new();
    assert!(world.routed().finish_service(world.staff, note("当场处理"), t0() + days(1)).is_ok());
}

#[test]
fn acknowledging_twice_or_after_the_job_is_done_is_refused() {
    let world = World::new();
    let acknowledged = step(world.routed().acknowledge_service(world.staff, t0()));
    assert_eq!(
        acknowledged.acknowledge_service(world.staff, t0()),
        Err(TopicError::WrongStage { action: "acknowledge", state: "service_acknowledged" })
    );
    assert_eq!(
        world.service_done().acknowledge_service(world.staff, t0()),
        Err(TopicError::WrongStage { action: "acknowledge", state: "service_done" })
    );
}

#[test]
fn only_the_submitter_confirms_or_disputes_the_job() {
    let world = World::new();
    assert_eq!(world.service_done().confirm_service(world.staff, None, t0()), Err(TopicError::NotSubmitter));
    assert_eq!(
        world.service_done().dispute_service(world.staff, reason("没修好"), t0()),
        Err(TopicError::NotSubmitter)
    );
}

#[test]
fn a_request_cannot_be_confirmed_or_disputed_before_it_is_done() {
    let world = World::new();
    assert_eq!(
        world.routed().confirm_service(world.submitter, None, t0()),
        Err(TopicError::WrongStage { action: "confirm", state: "service_routed" })
    );
    assert_eq!(
        world.routed().dispute_service(world.submitter, reason("没修好"), t0()),
        Err(TopicError::WrongStage { action: "dispute", state: "service_routed" })
    );
}

#[test]
fn a_dispute_sends_the_request_back_to_the_company_to_do_again() {
    let world = World::new();
    let disputed = ok(world.service_done().dispute_service(world.submitter, reason("灯还是不亮"), t0() + days(3)));
    assert_eq!(status(&disputed.topic), Some(ServiceStatus::Acknowledged { at: t0() + days(3) }));
    assert_eq!(disputed.event.kind, EventKind::ServiceDisputed { reason: reason("灯还是不亮") });
    let redone = step(disputed.topic.finish_service(world.staff, note("更换了线路"), t0() + days(4)));
    assert!(redone.confirm_service(world.submitter, None, t0() + days(5)).is_ok());
}

#[test]
fn a_confirmed_request_can_be_neither_disputed_nor_confirmed_again() {
    let world = World::new();
    let confirmed = step(world.service_done().confirm_service(world.submitter, None, t0() + days(3)));
    assert_eq!(
        confirmed.clone().dispute_service(world.submitter, reason("又坏了"), t0() + days(4)),
        Err(TopicError::WrongStage { action: "dispute", state: "service_confirmed" })
    );
    assert_eq!(
        confirmed.confirm_service(world.submitter, None, t0() + days(4)),
        Err(TopicError::WrongStage { action: "confirm", state: "service_confirmed" })
    );
}

#[test]
fn the_system_confirms_by_default_only_after_the_confirmation_window() {
    let world = World::new();
    let done = world.service_done();
    let due = t0() + days(2) + days(7);
    let deadline = done.deadline(&world.deadlines).map(|d| (d.kind, d.due_at));
    assert_eq!(deadline, Some((DeadlineKind::ServiceConfirmation, due)));
    assert_eq!(
        done.clone().confirm_service_by_default(&world.deadlines, due),
        Err(TopicError::ConfirmationWindowOpen { until: due })
    );
    let confirmed = ok(done.confirm_service_by_default(&world.deadlines, due + days(1)));
    assert_eq!(status(&confirmed.topic), Some(ServiceStatus::Confirmed { at: due + days(1), by_default: true }));
    assert_eq!(confirmed.event.actor, None);
    assert_eq!(confirmed.event.kind, EventKind::ServiceConfirmed { by_default: true });
}

#[test]
fn the_system_cannot_confirm_a_job_not_reported_done() {
    let world = World::new();
    assert_eq!(
        world.routed().confirm_service_by_default(&world.deadlines, t0() + days(60)),
        Err(TopicError::WrongStage { action: "confirm by default", state: "service_routed" })
    );
}

#[test]
fn a_service_request_never_enters_deliberation() {
    let world = World::new();
    assert_eq!(
        world.routed().resolve(world.staff, resolution(), t0()),
        Err(TopicError::WrongStage { action: "resolve", state: "service_routed" })
    );
    assert_eq!(
        world.routed().check_deliberating(),
        Err(TopicError::WrongStage { action: "deliberate on", state: "service_routed" })
    );
}

#[test]
fn service_steps_are_refused_on_an_accepted_topic() {
    let world = World::new();
    assert_eq!(
        world.accepted(false).acknowledge_service(world.staff, t0()),
        Err(TopicError::WrongStage { action: "acknowledge", state: "deliberating" })
    );
}

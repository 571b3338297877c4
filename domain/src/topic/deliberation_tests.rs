//! Deliberation, reconsideration, announcement, implementation and escalation while they last.

use uuid::Uuid;

use crate::ids::{MeetingId, TaskId, VoteId};
use crate::topic::testing::{World, announcement, days, ok, plan, reason, resolution, step, t0};
use crate::topic::{EscalationLevel, EventKind, Phase, Stage, TaskProgress, TopicError};

fn tasks() -> Vec<TaskId> {
    vec![TaskId::from_uuid(Uuid::new_v4()), TaskId::from_uuid(Uuid::new_v4())]
}

#[test]
fn a_deliberating_topic_reaches_a_resolution_with_minutes() {
    let world = World::new();
    let resolved = ok(world.accepted(false).resolve(world.staff, resolution(), t0() + days(10)));
    assert_eq!(resolved.topic.state.phase(), Some(Phase::Resolved { at: t0() + days(10) }));
    assert_eq!(resolved.topic.stage(), Stage::Deliberating);
    assert_eq!(resolved.event.kind, EventKind::Resolved { resolution: resolution() });
}

#[test]
fn resolving_twice_is_refused() {
    let world = World::new();
    assert_eq!(
        world.resolved(false).resolve(world.staff, resolution(), t0() + days(11)),
        Err(TopicError::WrongStage { action: "resolve", state: "resolved" })
    );
}

#[test]
fn meetings_and_votes_are_recorded_only_while_deliberating() {
    let world = World::new();
    let meeting = MeetingId::from_uuid(Uuid::new_v4());
    let vote = VoteId::from_uuid(Uuid::new_v4());
    let topic = world.accepted(false);
    assert_eq!(ok(topic.record_meeting(world.staff, meeting, t0())).kind, EventKind::MeetingScheduled { meeting });
    assert_eq!(ok(topic.record_vote(world.staff, vote, t0())).kind, EventKind::VoteOpened { vote });
    let resolved = world.resolved(false);
    let refused = Err(TopicError::WrongStage { action: "deliberate on", state: "resolved" });
    assert_eq!(resolved.record_meeting(world.staff, meeting, t0()), refused.clone());
    assert_eq!(resolved.record_vote(world.staff, vote, t0()), refused);
    assert!(world.submitted().check_deliberating().is_err());
}

#[test]
fn the_plan_is_revised_only_while_deliberating() {
    let world = World::new();
    let revised = ok(world.accepted(false).revise_plan(world.staff, plan(true), t0() + days(2)));
    assert_eq!(revised.topic.state.plan(), Some(&plan(true)));
    assert_eq!(revised.event.kind, EventKind::PlanRevised { plan: plan(true) });
    assert_eq!(
        world.resolved(false).revise_plan(world.staff, plan(true), t0()),
        Err(TopicError::WrongStage { action: "revise the plan of", state: "resolved" })
    );
}

#[test]
fn a_resolution_goes_back_to_deliberation_on_reconsideration() {
    let world = World::new();
    let reconsidered = ok(world.resolved(false).reconsider(world.staff, reason("出现新的费用报价"), t0() + days(12)));
    assert_eq!(reconsidered.topic.state.phase(), Some(Phase::Deliberating { since: t0() + days(12) }));
    assert_eq!(reconsidered.event.kind, EventKind::Reconsidered { reason: reason("出现新的费用报价") });
    let announced = step(world.resolved(true).announce(world.staff, announcement(), t0() + days(11)));
    assert!(announced.reconsider(world.staff, reason("公告期间收到反对意见"), t0() + days(12)).is_ok());
}

#[test]
fn reconsideration_is_refused_before_a_resolution_and_once_implementation_has_started() {
    let world = World::new();
    assert_eq!(
        world.accepted(false).reconsider(world.staff, reason("新情况"), t0()),
        Err(TopicError::WrongStage { action: "reconsider", state: "deliberating" })
    );
    assert_eq!(
        world.implementing().reconsider(world.staff, reason("新情况"), t0()),
        Err(TopicError::WrongStage { action: "reconsider", state: "implementing" })
    );
}

#[test]
fn a_major_matter_must_be_announced_before_implementation() {
    let world = World::new();
    assert_eq!(
        world.resolved(true).start_implementation(world.staff, tasks(), t0()),
        Err(TopicError::AnnouncementRequired)
    );
}

#[test]
fn a_major_matter_is_implemented_after_its_written_announcement() {
    let world = World::new();
    let announced = ok(world.resolved(true).announce(world.staff, announcement(), t0() + days(11)));
    assert_eq!(announced.topic.state.phase(), Some(Phase::Announced { at: t0() + days(11) }));
    assert_eq!(announced.event.kind, EventKind::Announced { text: announcement() });
    let started = ok(announced.topic.start_implementation(world.staff, tasks(), t0() + days(18)));
    assert_eq!(started.topic.state.phase(), Some(Phase::Implementing { since: t0() + days(18) }));
    assert_eq!(started.topic.stage(), Stage::Implementing);
}

#[test]
fn an_ordinary_matter_is_implemented_straight_after_its_resolution() {
    let world = World::new();
    let tasks = tasks();
    let started = ok(world.resolved(false).start_implementation(world.staff, tasks.clone(), t0() + days(11)));
    assert_eq!(started.event.kind, EventKind::ImplementationStarted { tasks });
}

#[test]
fn announcing_is_refused_before_a_resolution_and_twice() {
    let world = World::new();
    assert_eq!(
        world.accepted(true).announce(world.staff, announcement(), t0()),
        Err(TopicError::WrongStage { action: "announce", state: "deliberating" })
    );
    let announced = step(world.resolved(true).announce(world.staff, announcement(), t0() + days(11)));
    assert_eq!(
        announced.announce(world.staff, announcement(), t0() + days(12)),
        Err(TopicError::WrongStage { action: "announce", state: "announced" })
    );
}

#[test]
fn implementation_without_tasks_is_refused() {
    let world = World::new();
    assert_eq!(world.resolved(false).start_implementation(world.staff, vec![], t0()), Err(TopicError::NoTasks));
}

#[test]
fn implementation_cannot_start_before_a_resolution() {
    let world = World::new();
    assert_eq!(
        world.accepted(false).start_implementation(world.staff, tasks(), t0()),
        Err(TopicError::WrongStage { action: "start implementing", state: "deliberating" })
    );
}

#[test]
fn a_topic_is_complete_only_when_every_task_is_accepted() {
    let world = World::new();
    let topic = world.implementing();
    assert_eq!(
        topic.clone().complete(Some(world.staff), TaskProgress { total: 3, accepted: 2 }, t0()),
        Err(TopicError::TasksOutstanding { open: 1 })
    );
    assert_eq!(topic.clone().complete(None, TaskProgress { total: 0, accepted: 0 }, t0()), Err(TopicError::NoTasks));
    let completed = ok(topic.complete(None, TaskProgress { total: 3, accepted: 3 }, t0() + days(20)));
    assert_eq!(completed.topic.state.phase(), Some(Phase::Completed { at: t0() + days(20) }));
    assert_eq!(completed.topic.stage(), Stage::Implementing);
    assert_eq!((completed.event.kind, completed.event.actor), (EventKind::Completed, None));
}

#[test]
fn completing_is_refused_unless_implementing() {
    let world = World::new();
    assert_eq!(
        world.resolved(false).complete(None, TaskProgress { total: 1, accepted: 1 }, t0()),
        Err(TopicError::WrongStage { action: "complete", state: "resolved" })
    );
}

#[test]
fn a_dispute_during_implementation_rises_to_the_street_then_the_district_and_no_further() {
    let world = World::new();
    let to_street = ok(world.implementing().escalate(world.staff, reason("物业拒不整改"), t0() + days(15)));
    assert_eq!(to_street.topic.level, EscalationLevel::Street);
    assert_eq!(to_street.topic.state.code(), "implementing");
    assert_eq!(to_street.topic.jurisdiction(), Some(world.street.id()));
    let to_district = step(to_street.topic.escalate(world.staff, reason("街道协调未果"), t0() + days(20)));
    assert_eq!(to_district.level, EscalationLevel::District);
    assert_eq!(to_district.stage(), Stage::Implementing);
    assert_eq!(
        to_district.escalate(world.staff, reason("再上报"), t0() + days(25)),
        Err(TopicError::EscalationLimit { level: EscalationLevel::District })
    );
}

#[test]
fn a_deadlocked_deliberation_may_be_escalated_to_the_street() {
    let world = World::new();
    let escalated = step(world.accepted(false).escalate(world.staff, reason("各方意见分歧较大"), t0() + days(5)));
    assert_eq!((escalated.level, escalated.state.code()), (EscalationLevel::Street, "deliberating"));
}

#[test]
fn a_topic_between_stages_or_finished_cannot_be_escalated() {
    let world = World::new();
    for topic in [world.resolved(false), world.completed(), world.closed(), world.routed()] {
        let state = topic.state.code();
        assert_eq!(
            topic.escalate(world.staff, reason("上报"), t0()),
            Err(TopicError::WrongStage { action: "escalate", state })
        );
    }
}

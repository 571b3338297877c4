//! Publication, rating, closing and reopening.

use crate::topic::testing::{World, days, ok, person, reason, summary, t0};
use crate::topic::{DeadlineKind, EventKind, Phase, Stage, TopicError};

#[test]
fn a_completed_topic_is_published_then_rated_then_closed() {
    let world = World::new();
    let published = ok(world.completed().publish(world.staff, summary(), t0() + days(21)));
    assert_eq!(published.topic.state.phase(), Some(Phase::Published { at: t0() + days(21) }));
    assert_eq!(published.topic.stage(), Stage::Feedback);
    assert_eq!(published.event.kind, EventKind::Published { summary: summary() });
    let rating = ok(published.topic.open_rating(None, &world.deadlines, t0() + days(22)));
    let closes_at = t0() + days(36);
    assert_eq!(rating.topic.state.phase(), Some(Phase::RatingOpen { closes_at }));
    assert_eq!(rating.topic.stage(), Stage::Feedback);
    assert_eq!(rating.event.kind, EventKind::RatingOpened { closes_at });
    let closed = ok(rating.topic.close(None, closes_at));
    assert_eq!(closed.topic.state.phase(), Some(Phase::Closed { at: closes_at }));
    assert_eq!(closed.topic.stage(), Stage::Closed);
    assert_eq!((closed.event.kind, closed.event.actor), (EventKind::Closed, None));
    assert!(closed.topic.state.is_finished());
}

#[test]
fn publication_is_due_seven_days_after_completion_and_overdue_after() {
    let world = World::new();
    let completed = world.completed();
    let due = t0() + days(27);
    assert_eq!(
        completed.deadline(&world.deadlines).map(|d| (d.kind, d.due_at)),
        Some((DeadlineKind::Publication, due))
    );
    assert!(!completed.is_publication_overdue(&world.deadlines, due));
    assert!(completed.is_publication_overdue(&world.deadlines, due + chrono::Duration::seconds(1)));
    assert!(completed.publish(world.staff, summary(), due + days(3)).is_ok());
}

#[test]
fn publishing_is_refused_before_completion_and_twice() {
    let world = World::new();
    assert_eq!(
        world.implementing().publish(world.staff, summary(), t0()),
        Err(TopicError::WrongStage { action: "publish", state: "implementing" })
    );
    assert_eq!(
        world.published().publish(world.staff, summary(), t0()),
        Err(TopicError::WrongStage { action: "publish", state: "published" })
    );
}

#[test]
fn rating_opens_only_on_a_published_outcome() {
    let world = World::new();
    assert_eq!(
        world.completed().open_rating(None, &world.deadlines, t0()),
        Err(TopicError::WrongStage { action: "open rating on", state: "completed" })
    );
}

#[test]
fn a_topic_cannot_close_while_its_rating_is_open() {
    let world = World::new();
    let closes_at = t0() + days(35);
    assert_eq!(
        world.rating_open().close(Some(world.staff), closes_at - chrono::Duration::seconds(1)),
        Err(TopicError::RatingStillOpen { closes_at })
    );
    assert_eq!(
        world.published().close(Some(world.staff), closes_at),
        Err(TopicError::WrongStage { action: "close", state: "published" })
    );
}

#[test]
fn a_resident_asks_to_reopen_a_published_outcome() {
    let world = World::new();
    let resident = person();
    for topic in [world.published(), world.rating_open(), world.closed()] {
        let event = ok(topic.request_reopen(resident, reason("充电桩仍然不够用"), t0() + days(40)));
        assert_eq!(
            (event.actor, event.kind),
            (Some(resident), EventKind::ReopenRequested { reason: reason("充电桩仍然不够用") })
        );
    }
}

#[test]
fn reopening_is_refused_before_the_outcome_is_published() {
    let world = World::new();
    for topic in [world.completed(), world.implementing(), world.submitted(), world.service_done()] {
        let state = topic.state.code();
        assert_eq!(
            topic.request_reopen(person(), reason("不满意"), t0()),
            Err(TopicError::WrongStage { action: "request reopening of", state })
        );
        assert_eq!(
            topic.reopen(world.staff, person(), reason("不满意"), t0()),
            Err(TopicError::WrongStage { action: "reopen", state })
        );
    }
}

#[test]
fn staff_grant_a_reopen_request_and_the_topic_deliberates_again_under_its_plan() {
    let world = World::new();
    let resident = person();
    let closed = world.closed();
    let plan = closed.state.plan().cloned();
    let reopened = ok(closed.reopen(world.staff, resident, reason("多数居民不满意"), t0() + days(40)));
    assert_eq!(reopened.topic.state.phase(), Some(Phase::Deliberating { since: t0() + days(40) }));
    assert_eq!(reopened.topic.stage(), Stage::Deliberating);
    assert_eq!(reopened.topic.state.plan().cloned(), plan);
    assert_eq!(reopened.event.kind, EventKind::Reopened { requested_by: resident, reason: reason("多数居民不满意") });
}

#[test]
fn staff_decline_a_reopen_request_with_a_reason() {
    let world = World::new();
    let resident = person();
    let closed = world.closed();
    let event = ok(closed.decline_reopen(world.staff, resident, reason("已按决议完成"), t0() + days(40)));
    assert_eq!(event.kind, EventKind::ReopenDeclined { requested_by: resident, reason: reason("已按决议完成") });
    assert_eq!(closed.stage(), Stage::Closed);
}

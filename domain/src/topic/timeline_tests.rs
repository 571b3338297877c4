//! The timeline's codes and visibility, and the state and stage codes storage persists.

use serde::Deserialize;
use serde::de::value::{Error, MapDeserializer};
use uuid::Uuid;

use crate::ids::{CategoryId, MeetingId, TaskId, TopicId, VoteId};
use crate::topic::testing::{World, announcement, note, person, plan, reason, resolution, summary, t0};
use crate::topic::{EscalationLevel, EventKind, Stage, TopicState, Visibility};

/// One event of every kind.
fn every_kind() -> Vec<EventKind> {
    let world = World::new();
    let topic = TopicId::from_uuid(Uuid::new_v4());
    vec![
        EventKind::Submitted,
        EventKind::CoSigned,
        EventKind::Withdrawn,
        EventKind::Reclassified {
            from: CategoryId::from_uuid(Uuid::new_v4()),
            to: CategoryId::from_uuid(Uuid::new_v4()),
        },
        EventKind::Accepted { plan: plan(false) },
        EventKind::Merged { into: topic },
        EventKind::MergedIn { from: topic },
        EventKind::Routed { company: world.company },
        EventKind::Rejected { reason: reason("重复") },
        EventKind::Escalated {
            from: EscalationLevel::Community,
            to: EscalationLevel::Street,
            reason: reason("跨社区"),
        },
        EventKind::ServiceAcknowledged,
        EventKind::ServiceDone { report: note("已处理") },
        EventKind::ServiceDisputed { reason: reason("没修好") },
        EventKind::ServiceConfirmed { by_default: false },
        EventKind::PlanRevised { plan: plan(true) },
        EventKind::MeetingScheduled { meeting: MeetingId::from_uuid(Uuid::new_v4()) },
        EventKind::VoteOpened { vote: VoteId::from_uuid(Uuid::new_v4()) },
        EventKind::Resolved { resolution: resolution() },
        EventKind::Reconsidered { reason: reason("新情况") },
        EventKind::Announced { text: announcement() },
        EventKind::ImplementationStarted { tasks: vec![TaskId::from_uuid(Uuid::new_v4())] },
        EventKind::Completed,
        EventKind::Published { summary: summary() },
        EventKind::RatingOpened { closes_at: t0() },
        EventKind::Closed,
        EventKind::ReopenRequested { reason: reason("不满意") },
        EventKind::ReopenDeclined { requested_by: person(), reason: reason("已完成") },
        EventKind::Reopened { requested_by: person(), reason: reason("不满意") },
        EventKind::StaffNote { text: note("已电话联系业主") },
    ]
}

#[test]
fn every_kind_code_is_distinct_and_snake_case() {
    let kinds = every_kind();
    assert_eq!(kinds.len(), 29);
    for (i, kind) in kinds.iter().enumerate() {
        let code = kind.kind_code();
        assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{code}");
        assert!(kinds[..i].iter().all(|other| other.kind_code() != code), "{code} twice");
    }
}

/// The JSON form carries the code as its `"kind"` tag. Deserializing the bare tag proves serde knows
/// the code as a variant: unit kinds come back whole, the others miss only their fields.
#[test]
fn every_kind_code_is_the_serde_tag_of_its_json_form() {
    for kind in every_kind() {
        let code = kind.kind_code();
        let bare = MapDeserializer::<_, Error>::new([("kind", code)].into_iter());
        match EventKind::deserialize(bare) {
            Ok(read) => assert_eq!(read.kind_code(), code),
            Err(error) => assert!(error.to_string().starts_with("missing field"), "{code}: {error}"),
        }
    }
    let unknown = MapDeserializer::<_, Error>::new([("kind", "teleported")].into_iter());
    assert!(EventKind::deserialize(unknown).is_err());
}

#[test]
fn a_stored_payload_is_parsed_again_on_the_way_in() {
    let empty_reason = MapDeserializer::<_, Error>::new([("kind", "rejected"), ("reason", "  ")].into_iter());
    let refused = EventKind::deserialize(empty_reason).map_err(|e| e.to_string());
    assert_eq!(refused, Err("a refusal needs a reason".to_owned()));
    let good = MapDeserializer::<_, Error>::new([("kind", "rejected"), ("reason", "重复提交")].into_iter());
    assert_eq!(EventKind::deserialize(good), Ok(EventKind::Rejected { reason: reason("重复提交") }));
}

#[test]
fn only_co_signatures_and_staff_notes_are_hidden_from_residents() {
    for kind in every_kind() {
        let expected = match kind {
            EventKind::CoSigned | EventKind::StaffNote { .. } => Visibility::Staff,
            _ => Visibility::Public,
        };
        assert_eq!(kind.visibility(), expected, "{}", kind.kind_code());
    }
}

#[test]
fn a_note_is_public_only_on_a_residents_own_public_step() {
    for kind in every_kind() {
        let expected = match kind {
            EventKind::Submitted
            | EventKind::Withdrawn
            | EventKind::ServiceConfirmed { .. }
            | EventKind::ServiceDisputed { .. }
            | EventKind::ReopenRequested { .. } => Visibility::Public,
            _ => Visibility::Staff,
        };
        assert_eq!(kind.note_visibility(), expected, "{}", kind.kind_code());
    }
}

#[test]
fn a_staff_note_may_be_added_at_any_stage_and_changes_nothing() {
    let world = World::new();
    for topic in world.in_every_state() {
        let event = topic.add_note(world.staff, note("已电话联系业主"), t0());
        assert_eq!((event.topic, event.visibility()), (topic.id, Visibility::Staff));
    }
}

#[test]
fn the_walk_reaches_every_state_code_once_and_each_has_its_stage() {
    let world = World::new();
    let codes: Vec<&str> = world.in_every_state().iter().map(|t| t.state.code()).collect();
    assert_eq!(codes, TopicState::CODES);
    let stages: Vec<Stage> = world.in_every_state().iter().map(|t| t.stage()).collect();
    use Stage::*;
    assert_eq!(
        stages,
        [
            Collecting,
            Withdrawn,
            Rejected,
            Merged,
            Service,
            Service,
            Service,
            Service,
            Deliberating,
            Deliberating,
            Deliberating,
            Implementing,
            Implementing,
            Feedback,
            Feedback,
            Closed
        ]
    );
}

#[test]
fn only_final_states_are_finished() {
    let world = World::new();
    let finished: Vec<&str> =
        world.in_every_state().iter().filter(|t| t.state.is_finished()).map(|t| t.state.code()).collect();
    assert_eq!(finished, ["withdrawn", "rejected", "merged", "service_confirmed", "closed"]);
}

#[test]
fn the_list_of_codes_holds_every_kind_once() {
    let mut codes = EventKind::CODES.to_vec();
    codes.sort_unstable();
    codes.dedup();

    assert_eq!(codes.len(), EventKind::CODES.len());
    for kind in [EventKind::Submitted, EventKind::Completed, EventKind::Closed, EventKind::Withdrawn] {
        assert!(EventKind::CODES.contains(&kind.kind_code()));
    }
}

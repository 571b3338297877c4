//! Tests of `opinion.rs`.

use chrono::{NaiveDate, TimeZone};
use uuid::Uuid;

use super::*;
use crate::ids::{CategoryId, PlaceId};
use crate::place::Ancestry;
use crate::topic::{
    DeliberationForm, DeliberationPlan, EscalationLevel, Party, Photos, PlanDraft, TopicDescription, TopicState,
    TopicTitle,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).single().unwrap_or_default()
}

fn person() -> PersonId {
    PersonId::from_uuid(Uuid::new_v4())
}

fn topic(state: TopicState) -> Topic {
    let path: Vec<PlaceId> = (0..5).map(|_| PlaceId::from_uuid(Uuid::new_v4())).collect();
    Topic {
        id: TopicId::from_uuid(Uuid::new_v4()),
        submitter: person(),
        place: Ancestry::from_path(&path).unwrap(),
        category: CategoryId::from_uuid(Uuid::new_v4()),
        round: None,
        title: TopicTitle::parse("电动车停放").unwrap(),
        description: TopicDescription::parse("楼道停放电动车").unwrap(),
        location: None,
        photos: Photos::default(),
        submitted_at: now(),
        level: EscalationLevel::Community,
        state,
    }
}

fn deliberating() -> Topic {
    let plan = DeliberationPlan::new(PlanDraft {
        form: DeliberationForm::Online,
        parties: vec![Party::ResidentsCommittee],
        invitees: vec![],
        starts_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        ends_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        major: false,
    })
    .unwrap();
    topic(TopicState::Accepted(crate::topic::Deliberation {
        plan,
        phase: crate::topic::Phase::Deliberating { since: now() },
    }))
}

fn id() -> OpinionId {
    OpinionId::from_uuid(Uuid::new_v4())
}

fn text(t: &str) -> OpinionText {
    OpinionText::parse(t).unwrap()
}

fn reason() -> Reason {
    Reason::parse("含人身攻击").unwrap()
}

#[test]
fn opinions_are_posted_only_while_the_topic_is_deliberating() {
    let waiting = topic(TopicState::AwaitingTriage { since: now() });
    let refused = Opinion::post(&waiting, id(), person(), Stance::For, text("同意"), now());
    assert_eq!(
        refused,
        Err(OpinionError::Topic(TopicError::WrongStage { action: "deliberate on", state: "awaiting_triage" }))
    );
    let posted = Opinion::post(&deliberating(), id(), person(), Stance::Against, text("反对"), now()).unwrap();
    assert_eq!((posted.stance, posted.parent), (Some(Stance::Against), None));
}

#[test]
fn replies_go_one_level_deep_and_carry_no_stance() {
    let topic = deliberating();
    let opinion = Opinion::post(&topic, id(), person(), Stance::For, text("同意"), now()).unwrap();
    let reply = opinion.reply(&topic, id(), person(), text("为什么？"), now()).unwrap();
    assert_eq!((reply.parent, reply.stance), (Some(opinion.id), None));
    assert_eq!(reply.reply(&topic, id(), person(), text("因为"), now()), Err(OpinionError::NestedReply));
}

#[test]
fn a_hidden_opinion_takes_no_replies_or_reports_and_is_hidden_once() {
    let topic = deliberating();
    let (author, moderator, neighbour) = (person(), person(), person());
    let opinion = Opinion::post(&topic, id(), author, Stance::For, text("同意"), now()).unwrap();
    assert_eq!(opinion.check_reportable(author), Err(OpinionError::OwnOpinion));
    assert_eq!(opinion.check_reportable(neighbour), Ok(()));
    let hidden = opinion.hide(moderator, reason(), now()).unwrap();
    assert_eq!(hidden.reply(&topic, id(), neighbour, text("？"), now()), Err(OpinionError::Hidden));
    assert_eq!(hidden.check_reportable(neighbour), Err(OpinionError::Hidden));
    assert_eq!(hidden.clone().hide(moderator, reason(), now()), Err(OpinionError::AlreadyHidden));
    assert!(!hidden.is_visible_to(neighbour, false));
    assert!(hidden.is_visible_to(neighbour, true), "moderators see it");
    assert!(hidden.is_visible_to(author, false), "its author sees it, with the reason");
}

#[test]
fn opinion_text_keeps_paragraphs_up_to_a_thousand_characters() {
    assert_eq!(text(" 第一段\r\n第二段 ").as_str(), "第一段\n第二段");
    assert!(OpinionText::parse(&"意".repeat(1000)).is_ok());
    assert_eq!(OpinionText::parse(&"意".repeat(1001)), Err(Invalid::TooLong { field: "text", max: 1000 }));
    assert_eq!(OpinionText::parse("  "), Err(Invalid::Required { field: "text" }));
}

#[test]
fn compound_people_and_staff_post_but_only_staff_moderate_and_neighbours_elsewhere_do_neither() {
    use crate::Denied;
    use crate::place::{CompoundFacts, PlaceContext};
    use crate::policy::{Action, Actor, authorize};
    use crate::role::{Grant, Role};

    let ids: Vec<PlaceId> = (0..8).map(|_| PlaceId::from_uuid(Uuid::new_v4())).collect();
    let path = |levels: &[usize]| Ancestry::from_path(&levels.iter().map(|i| ids[*i]).collect::<Vec<_>>()).unwrap();
    let (community, compound, building, household) =
        (path(&[0, 1, 2, 3]), path(&[0, 1, 2, 3, 4]), path(&[0, 1, 2, 3, 4, 5]), path(&[0, 1, 2, 3, 4, 5, 6]));
    let other_compound = path(&[0, 1, 2, 3, 7]);
    let ctx = PlaceContext { ancestry: compound.clone(), compound: Some(CompoundFacts::default()) };
    let one = |role: Role, place: &Ancestry| Actor {
        person: person(),
        grants: vec![Grant {
            id: crate::ids::RoleGrantId::from_uuid(Uuid::new_v4()),
            role,
            place: place.clone(),
            company: None,
        }],
    };
    let (resident, leader, staff) = (
        one(Role::Resident, &household),
        one(Role::BuildingLeader, &building),
        one(Role::ResidentsCommitteeStaff, &community),
    );
    let neighbour = one(Role::BuildingLeader, &other_compound);
    let lawyer = one(Role::Lawyer, &community);
    for poster in [&resident, &leader, &staff] {
        assert_eq!(authorize(poster, Action::PostOpinion, &ctx), Ok(()));
    }
    for outsider in [&neighbour, &lawyer] {
        assert_eq!(authorize(outsider, Action::PostOpinion, &ctx), Err(Denied::Forbidden));
    }
    assert_eq!(authorize(&staff, Action::ModerateOpinions, &ctx), Ok(()));
    for not_staff in [&resident, &leader, &lawyer] {
        assert_eq!(authorize(not_staff, Action::ModerateOpinions, &ctx), Err(Denied::Forbidden));
    }
}

#[test]
fn stances_round_trip_through_their_codes() {
    for stance in Stance::ALL {
        assert_eq!(Stance::parse(stance.as_str()), Ok(stance));
    }
}

//! Tests of `meeting.rs`.

use chrono::TimeZone;
use uuid::Uuid;

use super::*;
use crate::ids::{PlaceId, RoleGrantId};
use crate::place::{Ancestry, CompoundFacts, PlaceKind};
use crate::role::Grant;

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, hour, minute, 0).single().unwrap_or_default()
}

fn person() -> PersonId {
    PersonId::from_uuid(Uuid::new_v4())
}

fn meeting() -> Meeting {
    let window = MeetingWindow::new(at(14, 0), at(16, 0), at(8, 0)).unwrap();
    Meeting::schedule(
        MeetingId::from_uuid(Uuid::new_v4()),
        TopicId::from_uuid(Uuid::new_v4()),
        MeetingTitle::parse("电动车停放联席会议").unwrap(),
        DeliberationForm::CoordinationMeeting,
        window,
        MeetingLocation::parse("社区党群服务中心二楼").unwrap(),
        person(),
        at(8, 0),
    )
    .unwrap()
}

fn minutes(text: &str) -> Minutes {
    Minutes::parse(text).unwrap()
}

#[test]
fn a_meeting_ends_after_it_starts_in_the_future_and_within_twelve_hours() {
    assert_eq!(MeetingWindow::new(at(14, 0), at(14, 0), at(8, 0)), Err(MeetingError::Window));
    assert_eq!(MeetingWindow::new(at(6, 0), at(7, 0), at(8, 0)), Err(MeetingError::Window));
    assert_eq!(MeetingWindow::new(at(1, 0), at(13, 1), at(0, 0)), Err(MeetingError::TooLong { max_hours: 12 }));
    assert!(MeetingWindow::new(at(1, 0), at(13, 0), at(0, 0)).is_ok());
}

#[test]
fn online_deliberation_is_not_a_meeting() {
    let m = meeting();
    let online =
        Meeting::schedule(m.id, m.topic, m.title, DeliberationForm::Online, m.window, m.location, person(), at(8, 0));
    assert_eq!(online, Err(MeetingError::OnlineForm));
}

#[test]
fn invitees_check_themselves_in_from_half_an_hour_before_the_start_until_the_end() {
    let window = meeting().window;
    let closed = Err(MeetingError::CheckInClosed { opens_at: at(13, 30), closes_at: at(16, 0) });
    assert_eq!(window.check_self_in(at(13, 29)), closed);
    assert_eq!(window.check_self_in(at(13, 30)), Ok(()));
    assert_eq!(window.check_self_in(at(15, 59)), Ok(()));
    assert_eq!(window.check_self_in(at(16, 0)), closed);
    assert_eq!(window.check_in_by_staff(at(13, 29)), closed, "not even staff before the desk opens");
    assert_eq!(window.check_in_by_staff(at(20, 0)), Ok(()), "staff enter the paper sheet afterwards");
}

#[test]
fn invitations_stop_at_the_end_and_take_nobody_twice() {
    let m = meeting();
    let (a, b) = (person(), person());
    let invite = |person| Invitation { person, capacity: Capacity::Resident };
    assert_eq!(m.check_invitations(&[], &[invite(a), invite(b)], at(9, 0)), Ok(()));
    assert_eq!(m.check_invitations(&[], &[invite(a), invite(a)], at(9, 0)), Err(MeetingError::DuplicateInvitee));
    assert_eq!(m.check_invitations(&[a], &[invite(a)], at(9, 0)), Err(MeetingError::AlreadyInvited));
    assert_eq!(m.check_invitations(&[], &[invite(a)], at(16, 0)), Err(MeetingError::Ended { ended_at: at(16, 0) }));
    let many: Vec<PersonId> = (0..100).map(|_| person()).collect();
    assert_eq!(m.check_invitations(&many, &[invite(a)], at(9, 0)), Err(MeetingError::TooManyInvitees { max: 100 }));
}

#[test]
fn minutes_are_written_once_the_meeting_has_started_and_corrections_give_a_reason() {
    let m = meeting();
    let by = person();
    let early = m.write_minutes(None, by, minutes("纪要"), Attachments::default(), None, at(13, 59));
    assert_eq!(early, Err(MeetingError::NotStarted { starts_at: at(14, 0) }));
    let first = m.write_minutes(None, by, minutes("纪要"), Attachments::default(), None, at(14, 0)).unwrap();
    assert_eq!(first.version, 1);
    let unexplained = m.write_minutes(Some(1), by, minutes("纪要（改）"), Attachments::default(), None, at(17, 0));
    assert_eq!(unexplained, Err(MeetingError::CorrectionReason));
    let reason = Reason::parse("补充物业表态").ok();
    let second = m.write_minutes(Some(1), by, minutes("纪要（改）"), Attachments::default(), reason, at(17, 0));
    assert_eq!(second.map(|v| v.version), Ok(2));
}

#[test]
fn at_most_nine_distinct_attachments_with_storage_keys() {
    let keys = |n: usize| (0..n).map(|i| format!("minutes/scan-{i}.pdf")).collect::<Vec<_>>();
    assert_eq!(Attachments::parse(&keys(9)).map(|a| a.keys().len()), Ok(9));
    assert_eq!(Attachments::parse(&keys(10)), Err(MeetingError::TooManyAttachments { max: 9 }));
    assert_eq!(Attachments::parse(&["a.pdf", "a.pdf"]), Err(MeetingError::DuplicateAttachment));
    assert!(matches!(Attachments::parse(&["纪要.pdf"]), Err(MeetingError::AttachmentKey { .. })));
}

#[test]
fn capacities_round_trip_through_their_codes() {
    for capacity in Capacity::ALL {
        assert_eq!(Capacity::parse(capacity.as_str()), Ok(capacity));
    }
    assert!(Capacity::parse("emperor").is_err());
}

#[test]
fn third_parties_are_invited_only_as_what_they_are_on_the_communitys_roster() {
    let ids: Vec<PlaceId> = (0..6).map(|_| PlaceId::from_uuid(Uuid::new_v4())).collect();
    let compound = Ancestry::from_path(&ids[..5]).unwrap();
    let community = Ancestry::from_path(&ids[..4]).unwrap();
    assert_eq!(compound.kind(), PlaceKind::Compound);
    let ctx = PlaceContext { ancestry: compound.clone(), compound: Some(CompoundFacts::default()) };
    let other_community = Ancestry::from_path(&[ids[0], ids[1], ids[2], ids[5]]);
    let lawyer_on = |place: &Ancestry| Actor {
        person: person(),
        grants: vec![Grant {
            id: RoleGrantId::from_uuid(Uuid::new_v4()),
            role: Role::Lawyer,
            place: place.clone(),
            company: None,
        }],
    };
    let lawyer = lawyer_on(&community);
    assert!(Capacity::Lawyer.is_held_by(&lawyer, &ctx));
    assert!(!Capacity::Mediator.is_held_by(&lawyer, &ctx));
    assert!(!Capacity::Resident.is_held_by(&lawyer, &ctx));
    let elsewhere = lawyer_on(&other_community.unwrap());
    assert!(!Capacity::Lawyer.is_held_by(&elsewhere, &ctx), "on another community's roster");
}

#[test]
fn a_meeting_moves_until_it_starts() {
    let original = meeting();
    let later = MeetingWindow::new(at(18, 0), at(19, 0), at(9, 0)).unwrap();
    let hall = MeetingLocation::parse("小区会所一楼").unwrap();

    let moved = original.reschedule(later, hall.clone(), at(9, 0)).unwrap();
    let too_late = original.reschedule(later, hall, at(14, 0));

    assert_eq!(moved.window, later);
    assert_eq!(moved.location.as_str(), "小区会所一楼");
    assert_eq!((moved.id, moved.title.as_str()), (original.id, original.title.as_str()));
    assert_eq!(too_late, Err(MeetingError::Started { starts_at: at(14, 0) }));
}

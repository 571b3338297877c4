//! 会议: meetings on a topic under deliberation. The topic's leads schedule them (recording
//! `meeting_scheduled` on the timeline in the same transaction), invite people, take attendance and write
//! the minutes, each correction a new version beside the old ones.
//!
//! Who sees a meeting: whoever sees its topic, and its invitees (a lawyer or deputy on the community's
//! roster does not see the compound's topics, but sees the meeting they are invited to and checks in).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gongzhi_domain::Denied;
use gongzhi_domain::ids::{MeetingId, PersonId, TopicId};
use gongzhi_domain::meeting::{
    Attachments, Capacity, Invitation, Meeting, MeetingError, MeetingLocation, MeetingTitle, MeetingWindow,
    MinutesVersion,
};
use gongzhi_domain::policy::Actor;
use gongzhi_domain::topic::{DeliberationForm, Minutes, Reason};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder, QuerySelect, SqlErr};
use tracing::instrument;

use super::write::TopicWrite;
use super::{Loaded, authorize_lead, events, load_visible};
use crate::entities::{meeting, meeting_attendee, meeting_minutes, person};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::people::actor_of;
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

/// A meeting to schedule on a topic.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub topic: TopicId,
    pub title: String,
    pub form: DeliberationForm,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: String,
    pub invitees: Vec<Invitation>,
}

/// Someone on a meeting's list: an invitee (with the capacity they were invited in), or a walk-in the
/// leads checked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub person: PersonId,
    /// `None` for a walk-in.
    pub capacity: Option<Capacity>,
    pub invited_at: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// The person themselves, or the lead who checked them in.
    pub checked_in_by: Option<PersonId>,
}

impl Participant {
    pub fn is_invited(&self) -> bool {
        self.capacity.is_some()
    }

    pub fn is_checked_in(&self) -> bool {
        self.checked_in_at.is_some()
    }
}

/// A meeting with its list of invitees and attendees. The minutes are read on their own
/// ([`Store::minutes_of`]): they can be long and have many versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub meeting: Meeting,
    pub participants: Vec<Participant>,
}

impl MeetingRecord {
    pub fn participant(&self, person: PersonId) -> Option<&Participant> {
        self.participants.iter().find(|p| p.person == person)
    }
}

pub(super) fn meeting_of(row: &meeting::Model) -> Result<Meeting, DbErr> {
    let bad = || corrupt("meeting", row.id);
    Ok(Meeting {
        id: MeetingId::from_uuid(row.id),
        topic: TopicId::from_uuid(row.topic_id),
        title: MeetingTitle::parse(&row.title).map_err(|_| bad())?,
        form: DeliberationForm::parse(&row.form).map_err(|_| bad())?,
        window: MeetingWindow { starts_at: row.starts_at, ends_at: row.ends_at },
        location: MeetingLocation::parse(&row.location).map_err(|_| bad())?,
        scheduled_by: PersonId::from_uuid(row.scheduled_by),
        scheduled_at: row.scheduled_at,
    })
}

pub(super) fn participant_of(row: &meeting_attendee::Model) -> Result<Participant, DbErr> {
    let capacity = row
        .capacity
        .as_deref()
        .map(Capacity::parse)
        .transpose()
        .map_err(|_| corrupt("meeting attendee", row.person_id))?;
    Ok(Participant {
        person: PersonId::from_uuid(row.person_id),
        capacity,
        invited_at: row.invited_at,
        checked_in_at: row.checked_in_at,
        checked_in_by: row.checked_in_by.map(PersonId::from_uuid),
    })
}

pub(super) fn minutes_of(row: &meeting_minutes::Model) -> Result<MinutesVersion, DbErr> {
    let bad = || corrupt("meeting minutes", row.id);
    let keys: Vec<String> = serde_json::from_str(&row.attachments).map_err(|_| bad())?;
    Ok(MinutesVersion {
        meeting: MeetingId::from_uuid(row.meeting_id),
        version: u32::try_from(row.version).map_err(|_| bad())?,
        text: Minutes::parse(&row.text).map_err(|_| bad())?,
        attachments: Attachments::parse(&keys).map_err(|_| bad())?,
        reason: row.reason.as_deref().map(Reason::parse).transpose().map_err(|_| bad())?,
        written_by: PersonId::from_uuid(row.written_by),
        written_at: row.written_at,
    })
}

/// The participants of these meetings by meeting, each list in the order people were put on it
/// (invited, or checked in as walk-ins).
async fn participants_of(db: &impl ConnectionTrait, meetings: &[Uuid]) -> Result<BTreeMap<Uuid, Vec<Participant>>> {
    let rows = meeting_attendee::Entity::find()
        .filter(meeting_attendee::Column::MeetingId.is_in(meetings.iter().copied()))
        .order_by_asc(meeting_attendee::Column::Position)
        .order_by_asc(meeting_attendee::Column::PersonId)
        .all(db)
        .await?;
    let mut by_meeting: BTreeMap<Uuid, Vec<Participant>> = BTreeMap::new();
    for row in &rows {
        by_meeting.entry(row.meeting_id).or_default().push(participant_of(row)?);
    }
    Ok(by_meeting)
}

/// The position the next person put on the meeting's list takes.
async fn next_position(db: &impl ConnectionTrait, id: MeetingId) -> Result<i32> {
    let last: Option<i32> = meeting_attendee::Entity::find()
        .select_only()
        .column_as(meeting_attendee::Column::Position.max(), "last")
        .filter(meeting_attendee::Column::MeetingId.eq(id.as_uuid()))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(last.map_or(0, |p| p.saturating_add(1)))
}

async fn record_of(db: &impl ConnectionTrait, row: &meeting::Model) -> Result<MeetingRecord> {
    let participants = participants_of(db, &[row.id]).await?.remove(&row.id).unwrap_or_default();
    Ok(MeetingRecord { meeting: meeting_of(row)?, participants })
}

/// A meeting as the actor may see it, with its topic when they may see that too (invitees from outside
/// the compound see the meeting without it).
async fn load_meeting(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: MeetingId,
) -> Result<(meeting::Model, Meeting, Option<Loaded>)> {
    let row = meeting::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("meeting"))?;
    let meeting = meeting_of(&row)?;
    match load_visible(db, actor, meeting.topic).await {
        Ok(loaded) => Ok((row, meeting, Some(loaded))),
        Err(err) if err.hides_existence() => {
            if invitation(db, id, actor.person).await?.is_some() {
                Ok((row, meeting, None))
            } else {
                Err(Error::NotFound("meeting"))
            }
        }
        Err(err) => Err(err),
    }
}

/// The person's invitation to the meeting, if they are invited (walk-ins are not).
async fn invitation(db: &impl ConnectionTrait, id: MeetingId, person: PersonId) -> Result<Option<Participant>> {
    let row = meeting_attendee::Entity::find_by_id((id.as_uuid(), person.as_uuid())).one(db).await?;
    Ok(row.map(|r| participant_of(&r)).transpose()?.filter(Participant::is_invited))
}

/// Refuses unless the actor leads the meeting's topic.
fn authorize_meeting_lead(actor: &Actor, loaded: Option<&Loaded>) -> Result<()> {
    match loaded {
        Some(loaded) => authorize_lead(actor, loaded),
        None => Err(Denied::Forbidden.into()),
    }
}

/// Checks that each invitee holds the capacity they are invited in, at the topic's place.
async fn check_eligible(db: &impl ConnectionTrait, loaded: &Loaded, invitees: &[Invitation]) -> Result<()> {
    for invite in invitees {
        let person = actor_of(db, invite.person).await?;
        if !invite.capacity.is_held_by(&person, &loaded.ctx) {
            return Err(MeetingError::NotEligible { capacity: invite.capacity.as_str() }.into());
        }
    }
    Ok(())
}

async fn insert_invitations(
    db: &impl ConnectionTrait,
    id: MeetingId,
    by: PersonId,
    invitees: &[Invitation],
    now: DateTime<Utc>,
) -> Result<()> {
    if invitees.is_empty() {
        return Ok(());
    }
    let first = next_position(db, id).await?;
    let rows = invitees.iter().zip(first..).map(|(invite, position)| meeting_attendee::ActiveModel {
        meeting_id: Set(id.as_uuid()),
        person_id: Set(invite.person.as_uuid()),
        position: Set(position),
        capacity: Set(Some(invite.capacity.as_str().to_owned())),
        invited_by: Set(Some(by.as_uuid())),
        invited_at: Set(Some(now)),
        checked_in_at: Set(None),
        checked_in_by: Set(None),
    });
    meeting_attendee::Entity::insert_many(rows).exec(db).await.map_err(|err| match err.sql_err() {
        // Someone invited the same person at the same moment.
        Some(SqlErr::UniqueConstraintViolation(_)) => MeetingError::AlreadyInvited.into(),
        _ => Error::from(err),
    })?;
    Ok(())
}

/// Records who was just invited; the fact tells each of them (`outbox::facts`).
async fn invited(
    db: &TopicWrite,
    row: &meeting::Model,
    by: PersonId,
    invitees: &[Invitation],
    now: DateTime<Utc>,
) -> Result<()> {
    if invitees.is_empty() {
        return Ok(());
    }
    let people = invitees.iter().map(|i| i.person.as_uuid()).collect();
    let event = WireEvent::MeetingInvited { meeting: row.id, people };
    let fact =
        NewEvent::new(event, now, Audience::Participants).actor(Some(by)).topic(TopicId::from_uuid(row.topic_id));
    crate::event_log::record(db, fact).await
}

impl Store {
    /// Schedules a meeting on a topic under deliberation, with its first invitees (the topic's leads).
    #[instrument(skip_all)]
    pub async fn schedule_meeting(&self, actor: &Actor, input: NewMeeting) -> Result<MeetingRecord> {
        let title = MeetingTitle::parse(&input.title)?;
        let location = MeetingLocation::parse(&input.location)?;
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, input.topic).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let window = MeetingWindow::new(input.starts_at, input.ends_at, now)?;
        let id = MeetingId::from_uuid(new_id());
        let meeting = Meeting::schedule(id, input.topic, title, input.form, window, location, actor.person, now)?;
        let event = loaded.topic().record_meeting(actor.person, id, now)?;
        meeting.check_invitations(&[], &input.invitees, now)?;
        check_eligible(&txn, &loaded, &input.invitees).await?;
        meeting::ActiveModel {
            id: Set(id.as_uuid()),
            topic_id: Set(input.topic.as_uuid()),
            title: Set(meeting.title.as_str().to_owned()),
            form: Set(meeting.form.as_str().to_owned()),
            starts_at: Set(window.starts_at),
            ends_at: Set(window.ends_at),
            location: Set(meeting.location.as_str().to_owned()),
            scheduled_by: Set(actor.person.as_uuid()),
            scheduled_at: Set(now),
        }
        .insert(&txn)
        .await?;
        insert_invitations(&txn, id, actor.person, &input.invitees, now).await?;
        events::append(&txn, &event).await?;
        let row = meeting::Entity::find_by_id(id.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("meeting"))?;
        let scheduled = WireEvent::MeetingScheduled {
            meeting: row.id,
            form: row.form.clone(),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
        };
        let fact = NewEvent::new(scheduled, now, Audience::Public)
            .actor(Some(actor.person))
            .topic(input.topic)
            .text("title", Audience::Public, &row.title)
            .text("location", Audience::Public, &row.location);
        crate::event_log::record(&txn, fact).await?;
        invited(&txn, &row, actor.person, &input.invitees, now).await?;
        let record = record_of(&txn, &row).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Invites more people, until the meeting ends (the topic's leads).
    #[instrument(skip_all)]
    pub async fn invite_to_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
        invitees: Vec<Invitation>,
    ) -> Result<MeetingRecord> {
        let txn = self.write().await?;
        let (row, meeting, loaded) = load_meeting(&txn, actor, id).await?;
        let Some(loaded) = loaded else { return Err(Denied::Forbidden.into()) };
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        loaded.topic().check_deliberating()?;
        let listed = participants_of(&txn, &[id.as_uuid()]).await?.remove(&id.as_uuid()).unwrap_or_default();
        let listed: Vec<PersonId> = listed.iter().map(|p| p.person).collect();
        meeting.check_invitations(&listed, &invitees, now)?;
        check_eligible(&txn, &loaded, &invitees).await?;
        insert_invitations(&txn, id, actor.person, &invitees, now).await?;
        invited(&txn, &row, actor.person, &invitees, now).await?;
        let record = record_of(&txn, &row).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Moves a meeting or changes where it is held, until it starts (the topic's leads); everyone invited
    /// is told.
    #[instrument(skip_all)]
    pub async fn reschedule_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        location: &str,
    ) -> Result<MeetingRecord> {
        let location = MeetingLocation::parse(location)?;
        let txn = self.write().await?;
        let (row, meeting, loaded) = load_meeting(&txn, actor, id).await?;
        let Some(loaded) = loaded else { return Err(Denied::Forbidden.into()) };
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        loaded.topic().check_deliberating()?;
        let moved = meeting.reschedule(MeetingWindow::new(starts_at, ends_at, now)?, location, now)?;
        let mut active: meeting::ActiveModel = row.into();
        active.starts_at = Set(moved.window.starts_at);
        active.ends_at = Set(moved.window.ends_at);
        active.location = Set(moved.location.as_str().to_owned());
        let row = active.update(&txn).await?;
        // The fact tells everyone invited (`outbox::facts`).
        let event = WireEvent::MeetingMoved { meeting: row.id, starts_at: row.starts_at, ends_at: row.ends_at };
        let fact = NewEvent::new(event, now, Audience::Public).actor(Some(actor.person)).topic(moved.topic).text(
            "location",
            Audience::Public,
            &row.location,
        );
        crate::event_log::record(&txn, fact).await?;
        let record = record_of(&txn, &row).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// 签到. Without `person` (or with oneself), an invitee checks themselves in while check-in is open;
    /// otherwise one of the topic's leads checks someone in, invited or not (a walk-in), from the opening of
    /// check-in on. Checking in someone already checked in keeps the first check-in.
    #[instrument(skip_all)]
    pub async fn check_in(&self, actor: &Actor, id: MeetingId, person: Option<PersonId>) -> Result<MeetingRecord> {
        let target = person.unwrap_or(actor.person);
        let txn = self.write().await?;
        let (row, meeting, loaded) = load_meeting(&txn, actor, id).await?;
        let now = self.clock.now();
        let invited = invitation(&txn, id, target).await?.is_some();
        if target == actor.person && invited {
            meeting.window.check_self_in(now)?;
        } else {
            authorize_meeting_lead(actor, loaded.as_ref())?;
            meeting.window.check_in_by_staff(now)?;
            person::Entity::find_by_id(target.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("person"))?;
        }
        // A walk-in gets a row of their own; an invitee's row is already there.
        let position = next_position(&txn, id).await?;
        meeting_attendee::Entity::insert(meeting_attendee::ActiveModel {
            meeting_id: Set(id.as_uuid()),
            person_id: Set(target.as_uuid()),
            position: Set(position),
            capacity: Set(None),
            invited_by: Set(None),
            invited_at: Set(None),
            checked_in_at: Set(None),
            checked_in_by: Set(None),
        })
        .on_conflict_do_nothing_on([meeting_attendee::Column::MeetingId, meeting_attendee::Column::PersonId])
        .exec_without_returning(&txn)
        .await?;
        let checked = meeting_attendee::Entity::update_many()
            .col_expr(meeting_attendee::Column::CheckedInAt, Expr::value(Some(now)))
            .col_expr(meeting_attendee::Column::CheckedInBy, Expr::value(Some(actor.person.as_uuid())))
            .filter(meeting_attendee::Column::MeetingId.eq(id.as_uuid()))
            .filter(meeting_attendee::Column::PersonId.eq(target.as_uuid()))
            .filter(meeting_attendee::Column::CheckedInAt.is_null())
            .exec(&txn)
            .await?;
        if checked.rows_affected == 1 {
            let event = WireEvent::MeetingCheckedIn { meeting: row.id, person: target.as_uuid() };
            let fact = NewEvent::new(event, now, Audience::Participants)
                .actor(Some(actor.person))
                .topic(TopicId::from_uuid(row.topic_id));
            crate::event_log::record(&txn, fact).await?;
        }
        let record = record_of(&txn, &row).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Writes the minutes (the topic's leads, once the meeting has started): the first version, or a
    /// correction stored as the next version with its reason. Earlier versions are never changed.
    #[instrument(skip_all)]
    pub async fn write_minutes(
        &self,
        actor: &Actor,
        id: MeetingId,
        text: &str,
        attachments: Vec<String>,
        reason: Option<&str>,
    ) -> Result<MeetingRecord> {
        let text = Minutes::parse(text)?;
        let attachments = Attachments::parse(&attachments)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(Reason::parse).transpose()?;
        let txn = self.write().await?;
        let (row, meeting, loaded) = load_meeting(&txn, actor, id).await?;
        authorize_meeting_lead(actor, loaded.as_ref())?;
        let latest: Option<i32> = meeting_minutes::Entity::find()
            .select_only()
            .column_as(meeting_minutes::Column::Version.max(), "latest")
            .filter(meeting_minutes::Column::MeetingId.eq(id.as_uuid()))
            .into_tuple::<Option<i32>>()
            .one(&txn)
            .await?
            .flatten();
        let previous =
            latest.map(|v| u32::try_from(v).map_err(|_| corrupt("meeting minutes", id.as_uuid()))).transpose()?;
        let version = meeting.write_minutes(previous, actor.person, text, attachments, reason, self.clock.now())?;
        let keys: Vec<&str> = version.attachments.keys().iter().map(|k| k.as_str()).collect();
        meeting_minutes::ActiveModel {
            id: Set(new_id()),
            meeting_id: Set(id.as_uuid()),
            version: Set(i32::try_from(version.version).map_err(|_| corrupt("meeting minutes", id.as_uuid()))?),
            text: Set(version.text.as_str().to_owned()),
            attachments: Set(serde_json::to_string(&keys).map_err(|e| DbErr::Custom(e.to_string()))?),
            reason: Set(version.reason.as_ref().map(|r| r.as_str().to_owned())),
            written_by: Set(actor.person.as_uuid()),
            written_at: Set(version.written_at),
        }
        .insert(&txn)
        .await
        .map_err(|err| match err.sql_err() {
            // Two leads wrote the same version at once: the second must see the first before correcting.
            Some(SqlErr::UniqueConstraintViolation(_)) => MeetingError::MinutesChanged.into(),
            _ => Error::from(err),
        })?;
        let event = gongzhi_domain::topic::TimelineEvent {
            topic: meeting.topic,
            actor: Some(actor.person),
            at: version.written_at,
            note: None,
            kind: gongzhi_domain::topic::EventKind::MinutesRecorded { meeting: id, version: version.version },
        };
        super::events::append(&txn, &event).await?;
        let record = record_of(&txn, &row).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// A meeting, if the actor may see it (they see its topic, or they are invited).
    pub async fn meeting(&self, actor: &Actor, id: MeetingId) -> Result<MeetingRecord> {
        let (row, _, _) = load_meeting(&self.db, actor, id).await?;
        record_of(&self.db, &row).await
    }
}

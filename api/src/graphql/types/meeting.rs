//! Meetings on a topic under deliberation (会议): who is invited and in what capacity, who checked in,
//! and the minutes with every version kept.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::meeting::{Capacity, MinutesVersion as Inner};
use gongzhi_domain::topic::Party;
use gongzhi_infra::topics::{MeetingRecord, Participant, Standing};

use super::enums::DeliberationForm;
use super::person::Person;
use super::topic::{Refusal, Topic};
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::{MinutesLoader, PlaceContextLoader, TopicRecordLoader};

/// In what capacity someone is invited: for one of the five parties, as a third party on the
/// community's roster, or as a resident of the compound concerned.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum InviteeCapacity {
    PartyOrganisation,
    ResidentsCommittee,
    OwnersCommittee,
    BuildingLeaders,
    PropertyCompany,
    Lawyer,
    Mediator,
    /// 人大代表/政协委员.
    Deputy,
    SocialWorker,
    Resident,
}

impl From<Capacity> for InviteeCapacity {
    fn from(capacity: Capacity) -> Self {
        match capacity {
            Capacity::Party(Party::PartyOrganisation) => InviteeCapacity::PartyOrganisation,
            Capacity::Party(Party::ResidentsCommittee) => InviteeCapacity::ResidentsCommittee,
            Capacity::Party(Party::OwnersCommittee) => InviteeCapacity::OwnersCommittee,
            Capacity::Party(Party::BuildingLeaders) => InviteeCapacity::BuildingLeaders,
            Capacity::Party(Party::PropertyCompany) => InviteeCapacity::PropertyCompany,
            Capacity::Lawyer => InviteeCapacity::Lawyer,
            Capacity::Mediator => InviteeCapacity::Mediator,
            Capacity::Deputy => InviteeCapacity::Deputy,
            Capacity::SocialWorker => InviteeCapacity::SocialWorker,
            Capacity::Resident => InviteeCapacity::Resident,
        }
    }
}

impl From<InviteeCapacity> for Capacity {
    fn from(capacity: InviteeCapacity) -> Self {
        match capacity {
            InviteeCapacity::PartyOrganisation => Capacity::Party(Party::PartyOrganisation),
            InviteeCapacity::ResidentsCommittee => Capacity::Party(Party::ResidentsCommittee),
            InviteeCapacity::OwnersCommittee => Capacity::Party(Party::OwnersCommittee),
            InviteeCapacity::BuildingLeaders => Capacity::Party(Party::BuildingLeaders),
            InviteeCapacity::PropertyCompany => Capacity::Party(Party::PropertyCompany),
            InviteeCapacity::Lawyer => Capacity::Lawyer,
            InviteeCapacity::Mediator => Capacity::Mediator,
            InviteeCapacity::Deputy => Capacity::Deputy,
            InviteeCapacity::SocialWorker => Capacity::SocialWorker,
            InviteeCapacity::Resident => Capacity::Resident,
        }
    }
}

/// A meeting (联席会议, 恳谈会, 协调会, 听证会 or 评议会) on a topic under deliberation.
pub struct Meeting(pub MeetingRecord);

/// Someone on a meeting's list: invited (with a capacity), or a walk-in the topic's leads checked in.
pub struct MeetingParticipant(pub Participant);

/// How many came.
#[derive(SimpleObject)]
pub struct Attendance {
    invited: u32,
    /// Invitees who checked in.
    invitees_checked_in: u32,
    /// People checked in without an invitation.
    walk_ins: u32,
}

/// One version of a meeting's minutes (会议纪要). Versions are never changed: a correction is the next one.
pub struct MinutesVersion(pub Inner);

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

async fn person(ctx: &Context<'_>, id: gongzhi_domain::ids::PersonId) -> async_graphql::Result<Option<Person>> {
    Ok(ctx.people()?.load_one(id).await.gql()?.map(Person))
}

#[Object]
impl Meeting {
    pub async fn id(&self) -> ID {
        encode(NodeType::Meeting, self.0.meeting.id)
    }

    async fn title(&self) -> &str {
        self.0.meeting.title.as_str()
    }

    async fn form(&self) -> DeliberationForm {
        self.0.meeting.form.into()
    }

    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.meeting.window.starts_at
    }

    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.meeting.window.ends_at
    }

    /// Invitees may check in from this moment (half an hour before the start) until the end.
    async fn check_in_opens_at(&self) -> DateTime<Utc> {
        self.0.meeting.window.check_in_opens_at()
    }

    /// Whether invitees may check themselves in now.
    async fn check_in_open(&self, ctx: &Context<'_>) -> bool {
        self.0.meeting.window.check_self_in(ctx.store().clock().now()).is_ok()
    }

    async fn location(&self) -> &str {
        self.0.meeting.location.as_str()
    }

    async fn scheduled_at(&self) -> DateTime<Utc> {
        self.0.meeting.scheduled_at
    }

    async fn scheduled_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.meeting.scheduled_by).await
    }

    /// The topic, when the viewer may see it (an invited lawyer or deputy from outside the compound sees
    /// the meeting, not the topic).
    async fn topic(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Topic>> {
        let actor = ctx.actor().await?;
        let Some(record) = ctx.loader::<TopicRecordLoader>()?.load_one(self.0.meeting.topic).await.gql()? else {
            return Ok(None);
        };
        let place = ctx.loader::<PlaceContextLoader>()?.load_one(record.topic.place.id()).await.gql()?;
        let Some(place) = place else { return Ok(None) };
        match Standing::of(actor, record.topic.id, &place) {
            Ok(_) => Ok(Some(Topic(record))),
            Err(err) if err.hides_existence() => Ok(None),
            Err(err) => Err(crate::error::ApiError::from(err).into_graphql()),
        }
    }

    /// Everyone invited, in the order they were invited, with whether they checked in.
    async fn invitees(&self) -> Vec<MeetingParticipant> {
        self.0.participants.iter().filter(|p| p.is_invited()).cloned().map(MeetingParticipant).collect()
    }

    /// Everyone checked in: invitees and walk-ins.
    async fn attendees(&self) -> Vec<MeetingParticipant> {
        self.0.participants.iter().filter(|p| p.is_checked_in()).cloned().map(MeetingParticipant).collect()
    }

    async fn attendance(&self) -> Attendance {
        let listed = &self.0.participants;
        Attendance {
            invited: count(listed.iter().filter(|p| p.is_invited()).count()),
            invitees_checked_in: count(listed.iter().filter(|p| p.is_invited() && p.is_checked_in()).count()),
            walk_ins: count(listed.iter().filter(|p| !p.is_invited() && p.is_checked_in()).count()),
        }
    }

    /// The logged-in person's place on the list, if they are on it.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<MeetingParticipant>> {
        let actor = ctx.actor().await?;
        Ok(self.0.participant(actor.person).cloned().map(MeetingParticipant))
    }

    /// The latest version of the minutes, `null` before any were written.
    async fn minutes(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<MinutesVersion>> {
        let versions = ctx.loader::<MinutesLoader>()?.load_one(self.0.meeting.id).await.gql()?;
        Ok(versions.unwrap_or_default().into_iter().last().map(MinutesVersion))
    }

    /// Every version of the minutes, oldest first: the record of what was corrected, when and why.
    async fn minutes_versions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MinutesVersion>> {
        let versions = ctx.loader::<MinutesLoader>()?.load_one(self.0.meeting.id).await.gql()?;
        Ok(versions.unwrap_or_default().into_iter().map(MinutesVersion).collect())
    }
}

#[Object]
impl MeetingParticipant {
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.person).await
    }

    /// `null` for a walk-in.
    async fn capacity(&self) -> Option<InviteeCapacity> {
        self.0.capacity.map(Into::into)
    }

    async fn invited(&self) -> bool {
        self.0.is_invited()
    }

    async fn invited_at(&self) -> Option<DateTime<Utc>> {
        self.0.invited_at
    }

    async fn checked_in(&self) -> bool {
        self.0.is_checked_in()
    }

    async fn checked_in_at(&self) -> Option<DateTime<Utc>> {
        self.0.checked_in_at
    }

    /// Whether one of the topic's leads checked them in (rather than they themselves).
    async fn checked_in_by_staff(&self) -> Option<bool> {
        self.0.checked_in_by.map(|by| by != self.0.person)
    }
}

#[Object]
impl MinutesVersion {
    /// 1 for the first version, one more for each correction.
    async fn version(&self) -> u32 {
        self.0.version
    }

    async fn text(&self) -> &str {
        self.0.text.as_str()
    }

    /// Storage keys of the attached files (scans, the sign-in sheet), in order.
    async fn attachments(&self) -> Vec<&str> {
        self.0.attachments.keys().iter().map(|k| k.as_str()).collect()
    }

    /// The attached files, in order, each with a signed link to show or download it by. A key that names
    /// no upload gets a link that answers 404.
    async fn attachment_files(&self, ctx: &Context<'_>) -> Vec<super::file_link::FileLink> {
        super::file_link::FileLink::mint_all(ctx, self.0.attachments.keys().iter().map(|k| k.as_str()))
    }

    /// Why this version corrects the one before; `null` on a first version written without one.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_ref().map(|r| r.as_str())
    }

    async fn written_at(&self) -> DateTime<Utc> {
        self.0.written_at
    }

    async fn written_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.written_by).await
    }
}

/// The result of a meeting step. `refusal` is set when the step was refused for a reason the client
/// expects (the topic is not deliberating, check-in is not open, the meeting has not started or has
/// ended): nothing changed, and `meeting` shows it as it stands (`null` when none was scheduled).
#[derive(SimpleObject)]
pub struct MeetingPayload {
    pub ok: bool,
    pub refusal: Option<Refusal>,
    pub meeting: Option<Meeting>,
    /// Set when the content check held the minutes back (decision 135): pending, seen by their author and
    /// the residents' committee only; `meeting` shows the meeting without them until they are published.
    pub held: Option<crate::graphql::types::content_hold::ContentHold>,
}

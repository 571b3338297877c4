//! 会议: the meetings a topic under deliberation is talked through at (联席会议, 恳谈会, 协调会, 听证会, 评议会).
//! A meeting is a record of its own beside the topic: the topic's leads schedule it (which records
//! `meeting_scheduled` on the topic's timeline, through [`Topic::record_meeting`](crate::topic::Topic)),
//! invite the people of the five parties and third parties on the community's roster, take attendance
//! (签到), and write its minutes (会议纪要).
//!
//! Minutes are one of the three disclosures, and published records are append-only: writing them again
//! adds a new [`MinutesVersion`] with the reason for the correction, and every earlier version is kept.
//!
//! Rules on time, all against an instant passed in:
//! - a meeting lasts from `starts_at` to `ends_at` (at most [`MeetingWindow::MAX_HOURS`] hours) and is
//!   scheduled before it ends;
//! - an invitee checks themselves in from [`MeetingWindow::CHECK_IN_EARLY_MINUTES`] minutes before the start
//!   (the sign-in desk opens early) until the end; the leads may check anyone in from that same moment
//!   on, with no end, since a paper sign-in sheet is often entered afterwards;
//! - invitations are sent until the meeting ends; minutes are written once it has started.

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use crate::Invalid;
use crate::ids::{MeetingId, PersonId, TopicId};
use crate::place::PlaceContext;
use crate::policy::{Action, Actor, authorize};
use crate::role::Role;
use crate::topic::{DeliberationForm, Minutes, Party, PhotoKey, Reason};

/// Why a meeting step was refused. [`MeetingError::code`] is the stable code a payload refusal carries.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MeetingError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("online deliberation happens in the topic's opinion thread, not at a meeting")]
    OnlineForm,
    #[error("a meeting must end after it starts, and in the future")]
    Window,
    #[error("a meeting lasts at most {max_hours} hours")]
    TooLong { max_hours: i64 },
    #[error("the meeting ended at {ended_at}")]
    Ended { ended_at: DateTime<Utc> },
    #[error("the meeting started at {starts_at}; a meeting under way is not moved")]
    Started { starts_at: DateTime<Utc> },
    #[error("check-in is open from {opens_at} until {closes_at}")]
    CheckInClosed { opens_at: DateTime<Utc>, closes_at: DateTime<Utc> },
    #[error("the meeting starts at {starts_at}; minutes are written once it has started")]
    NotStarted { starts_at: DateTime<Utc> },
    #[error("at most {max} invitees")]
    TooManyInvitees { max: usize },
    #[error("the same person is invited twice")]
    DuplicateInvitee,
    #[error("the person is already invited to this meeting")]
    AlreadyInvited,
    #[error("the person cannot be invited as {capacity}")]
    NotEligible { capacity: &'static str },
    #[error("a correction of the minutes needs the reason for it")]
    CorrectionReason,
    #[error("at most {max} attachments")]
    TooManyAttachments { max: usize },
    #[error("the same attachment is given twice")]
    DuplicateAttachment,
    #[error("attachment key {given:?} is not an opaque storage key")]
    AttachmentKey { given: String },
    #[error("the minutes changed while this version was being written; reload them and try again")]
    MinutesChanged,
}

impl MeetingError {
    pub const fn code(&self) -> &'static str {
        match self {
            MeetingError::Invalid(_) => "invalid",
            MeetingError::OnlineForm => "online_form",
            MeetingError::Window => "meeting_window",
            MeetingError::TooLong { .. } => "meeting_too_long",
            MeetingError::Ended { .. } => "meeting_ended",
            MeetingError::Started { .. } => "meeting_started",
            MeetingError::CheckInClosed { .. } => "check_in_closed",
            MeetingError::NotStarted { .. } => "meeting_not_started",
            MeetingError::TooManyInvitees { .. } => "too_many_invitees",
            MeetingError::DuplicateInvitee => "duplicate_invitee",
            MeetingError::AlreadyInvited => "already_invited",
            MeetingError::NotEligible { .. } => "not_eligible",
            MeetingError::CorrectionReason => "correction_reason",
            MeetingError::TooManyAttachments { .. } => "too_many_attachments",
            MeetingError::DuplicateAttachment => "duplicate_attachment",
            MeetingError::AttachmentKey { .. } => "attachment_key",
            MeetingError::MinutesChanged => "minutes_changed",
        }
    }
}

crate::person::bounded_text_type!(
    /// 会议名称: one line, e.g. "锦绣花园电动车停放联席会议".
    MeetingTitle, "title", 60
);

crate::person::bounded_text_type!(
    /// Where the meeting is held, as people there say it: "社区党群服务中心二楼会议室".
    MeetingLocation, "location", 100
);

/// When the meeting is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingWindow {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl MeetingWindow {
    /// A meeting that would last longer is a mistyped date, not a meeting.
    pub const MAX_HOURS: i64 = 12;
    /// The sign-in desk opens this long before the start.
    pub const CHECK_IN_EARLY_MINUTES: i64 = 30;

    pub fn new(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Self, MeetingError> {
        if ends_at <= starts_at || ends_at <= now {
            return Err(MeetingError::Window);
        }
        if ends_at - starts_at > Duration::hours(Self::MAX_HOURS) {
            return Err(MeetingError::TooLong { max_hours: Self::MAX_HOURS });
        }
        Ok(Self { starts_at, ends_at })
    }

    pub fn check_in_opens_at(&self) -> DateTime<Utc> {
        self.starts_at - Duration::minutes(Self::CHECK_IN_EARLY_MINUTES)
    }

    pub fn has_started(&self, now: DateTime<Utc>) -> bool {
        now >= self.starts_at
    }

    pub fn has_ended(&self, now: DateTime<Utc>) -> bool {
        now >= self.ends_at
    }

    /// An invitee checks in from the opening of the sign-in desk until the end.
    pub fn check_self_in(&self, now: DateTime<Utc>) -> Result<(), MeetingError> {
        if now < self.check_in_opens_at() || self.has_ended(now) {
            return Err(self.check_in_closed());
        }
        Ok(())
    }

    /// The leads record attendance from the opening of the sign-in desk on, also after the end.
    pub fn check_in_by_staff(&self, now: DateTime<Utc>) -> Result<(), MeetingError> {
        if now < self.check_in_opens_at() { Err(self.check_in_closed()) } else { Ok(()) }
    }

    fn check_in_closed(&self) -> MeetingError {
        MeetingError::CheckInClosed { opens_at: self.check_in_opens_at(), closes_at: self.ends_at }
    }
}

/// In what capacity someone is invited: for one of the five parties, as a third party on the community's
/// roster, or as a resident directly concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capacity {
    Party(Party),
    /// 律师.
    Lawyer,
    /// 调解员.
    Mediator,
    /// 人大代表/政协委员.
    Deputy,
    /// 社工.
    SocialWorker,
    /// 居民: a resident, owner, building leader or committee member of the compound concerned.
    Resident,
}

impl Capacity {
    pub const ALL: [Capacity; 10] = [
        Capacity::Party(Party::PartyOrganisation),
        Capacity::Party(Party::ResidentsCommittee),
        Capacity::Party(Party::OwnersCommittee),
        Capacity::Party(Party::BuildingLeaders),
        Capacity::Party(Party::PropertyCompany),
        Capacity::Lawyer,
        Capacity::Mediator,
        Capacity::Deputy,
        Capacity::SocialWorker,
        Capacity::Resident,
    ];

    /// The party codes of [`Party::as_str`], and `lawyer`, `mediator`, `deputy`, `social_worker`, `resident`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Capacity::Party(party) => party.as_str(),
            Capacity::Lawyer => "lawyer",
            Capacity::Mediator => "mediator",
            Capacity::Deputy => "deputy",
            Capacity::SocialWorker => "social_worker",
            Capacity::Resident => "resident",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|capacity| capacity.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "capacity", given: input.to_owned() })
    }

    /// The roster role a third party must hold on the topic's community (or above it).
    const fn roster_role(self) -> Option<Role> {
        match self {
            Capacity::Lawyer => Some(Role::Lawyer),
            Capacity::Mediator => Some(Role::Mediator),
            Capacity::Deputy => Some(Role::Deputy),
            Capacity::SocialWorker => Some(Role::SocialWorker),
            Capacity::Party(_) | Capacity::Resident => None,
        }
    }

    /// Whether the person may be invited in this capacity to a meeting on a topic about `ctx`: they act
    /// for the party there (as the policy decides), are on the roster of its community, or live in (or
    /// serve from within) its compound.
    pub fn is_held_by(self, person: &Actor, ctx: &PlaceContext) -> bool {
        match self {
            Capacity::Party(party) => authorize(person, Action::ActForParty(party), ctx).is_ok(),
            Capacity::Resident => authorize(person, Action::CoSignTopic, ctx).is_ok(),
            third_party => person
                .grants
                .iter()
                .any(|grant| Some(grant.role) == third_party.roster_role() && ctx.ancestry.is_within(grant.place.id())),
        }
    }
}

/// One person invited, and as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invitation {
    pub person: PersonId,
    pub capacity: Capacity,
}

/// A meeting as scheduled. Fields are public so storage can rebuild it from its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    pub topic: TopicId,
    pub title: MeetingTitle,
    pub form: DeliberationForm,
    pub window: MeetingWindow,
    pub location: MeetingLocation,
    pub scheduled_by: PersonId,
    pub scheduled_at: DateTime<Utc>,
}

impl Meeting {
    /// At most this many invitees: a public hearing may invite many residents, not a whole compound.
    pub const MAX_INVITEES: usize = 100;

    /// A new meeting. Whether the topic may have one now (it must be deliberating) is the topic's rule,
    /// [`Topic::record_meeting`](crate::topic::Topic::record_meeting), checked in the same step.
    #[allow(clippy::too_many_arguments)]
    pub fn schedule(
        id: MeetingId,
        topic: TopicId,
        title: MeetingTitle,
        form: DeliberationForm,
        window: MeetingWindow,
        location: MeetingLocation,
        by: PersonId,
        now: DateTime<Utc>,
    ) -> Result<Self, MeetingError> {
        if form == DeliberationForm::Online {
            return Err(MeetingError::OnlineForm);
        }
        Ok(Self { id, topic, title, form, window, location, scheduled_by: by, scheduled_at: now })
    }

    /// Moves the meeting or changes where it is held, until it starts.
    pub fn reschedule(
        &self,
        window: MeetingWindow,
        location: MeetingLocation,
        now: DateTime<Utc>,
    ) -> Result<Self, MeetingError> {
        if self.window.has_started(now) {
            return Err(MeetingError::Started { starts_at: self.window.starts_at });
        }
        Ok(Self { window, location, ..self.clone() })
    }

    /// Checks invitations to add to the `already` invited: the meeting has not ended, nobody twice, not
    /// over the limit. Whether each person holds their capacity is [`Capacity::is_held_by`].
    pub fn check_invitations(
        &self,
        already: &[PersonId],
        new: &[Invitation],
        now: DateTime<Utc>,
    ) -> Result<(), MeetingError> {
        if self.window.has_ended(now) {
            return Err(MeetingError::Ended { ended_at: self.window.ends_at });
        }
        if new.iter().enumerate().any(|(i, invite)| new[..i].iter().any(|other| other.person == invite.person)) {
            return Err(MeetingError::DuplicateInvitee);
        }
        if new.iter().any(|invite| already.contains(&invite.person)) {
            return Err(MeetingError::AlreadyInvited);
        }
        if already.len() + new.len() > Self::MAX_INVITEES {
            return Err(MeetingError::TooManyInvitees { max: Self::MAX_INVITEES });
        }
        Ok(())
    }

    /// The next version of the minutes after `previous` (the latest stored version, if any). A correction
    /// needs its reason; the first version may carry one too (e.g. "据纸质签到表整理").
    pub fn write_minutes(
        &self,
        previous: Option<u32>,
        by: PersonId,
        text: Minutes,
        attachments: Attachments,
        reason: Option<Reason>,
        now: DateTime<Utc>,
    ) -> Result<MinutesVersion, MeetingError> {
        if !self.window.has_started(now) {
            return Err(MeetingError::NotStarted { starts_at: self.window.starts_at });
        }
        if previous.is_some() && reason.is_none() {
            return Err(MeetingError::CorrectionReason);
        }
        Ok(MinutesVersion {
            meeting: self.id,
            version: previous.map_or(1, |v| v + 1),
            text,
            attachments,
            reason,
            written_by: by,
            written_at: now,
        })
    }
}

/// One version of a meeting's minutes. Versions are numbered from 1 and never changed once stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesVersion {
    pub meeting: MeetingId,
    pub version: u32,
    pub text: Minutes,
    pub attachments: Attachments,
    /// Why this version corrects the one before (required from version 2 on).
    pub reason: Option<Reason>,
    pub written_by: PersonId,
    pub written_at: DateTime<Utc>,
}

/// An uploaded file attached to the minutes (a scan of the signed minutes, the sign-in sheet, a photo of
/// the meeting): the opaque storage key the upload step returned, shaped like a [`PhotoKey`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttachmentKey(String);

impl AttachmentKey {
    pub fn parse(input: &str) -> Result<Self, MeetingError> {
        PhotoKey::parse(input)
            .map(|key| Self(key.as_str().to_owned()))
            .map_err(|_| MeetingError::AttachmentKey { given: input.to_owned() })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Up to nine attachments, in the order given, none twice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attachments(Vec<AttachmentKey>);

impl Attachments {
    pub const MAX: usize = 9;

    pub fn parse<S: AsRef<str>>(keys: &[S]) -> Result<Self, MeetingError> {
        if keys.len() > Self::MAX {
            return Err(MeetingError::TooManyAttachments { max: Self::MAX });
        }
        let keys = keys.iter().map(|key| AttachmentKey::parse(key.as_ref())).collect::<Result<Vec<_>, _>>()?;
        if keys.iter().enumerate().any(|(i, key)| keys[..i].contains(key)) {
            return Err(MeetingError::DuplicateAttachment);
        }
        Ok(Self(keys))
    }

    pub fn keys(&self) -> &[AttachmentKey] {
        &self.0
    }
}

#[cfg(test)]
#[path = "meeting_tests.rs"]
mod tests;

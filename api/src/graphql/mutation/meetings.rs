//! Meetings on a topic under deliberation: scheduling, invitations, check-in and minutes. Each returns a
//! `MeetingPayload`; see `crate::deliberation_messages` for which refusals are data and which are errors.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{MeetingId, PersonId};
use gongzhi_domain::meeting::Invitation;
use gongzhi_infra::content::Checked;
use gongzhi_infra::topics::{MeetingRecord, NewMeeting};

use super::topics::topic_id;
use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::content_hold::ContentHold;
use crate::graphql::types::enums::DeliberationForm;
use crate::graphql::types::meeting::{InviteeCapacity, Meeting, MeetingPayload};
use crate::refusals::refusal_of;

#[derive(Default)]
pub struct MeetingMutation;

#[derive(InputObject)]
pub struct MeetingInviteeInput {
    person_id: ID,
    capacity: InviteeCapacity,
}

#[derive(InputObject)]
pub struct ScheduleMeetingInput {
    topic_id: ID,
    title: String,
    /// Any form but ONLINE, which is the opinion thread.
    form: DeliberationForm,
    starts_at: DateTime<Utc>,
    /// At most 12 hours after the start, and in the future.
    ends_at: DateTime<Utc>,
    location: String,
    #[graphql(default)]
    invitees: Vec<MeetingInviteeInput>,
    /// See docs/api.md, "Idempotency".
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct InviteToMeetingInput {
    meeting_id: ID,
    invitees: Vec<MeetingInviteeInput>,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct RescheduleMeetingInput {
    meeting_id: ID,
    starts_at: DateTime<Utc>,
    /// At most 12 hours after the start, and in the future.
    ends_at: DateTime<Utc>,
    location: String,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct CheckInInput {
    meeting_id: ID,
    /// Someone the topic's leads check in; omitted, the logged-in invitee checks themselves in.
    person_id: Option<ID>,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

#[derive(InputObject)]
pub struct WriteMinutesInput {
    meeting_id: ID,
    text: String,
    /// Storage keys of uploaded files (scans, the sign-in sheet); at most nine.
    #[graphql(default)]
    attachments: Vec<String>,
    /// Why this version corrects the last one: required once minutes exist.
    reason: Option<String>,
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

fn meeting_id(id: &ID) -> async_graphql::Result<MeetingId> {
    decode(NodeType::Meeting, id).gql()
}

fn invitations(invitees: Vec<MeetingInviteeInput>) -> async_graphql::Result<Vec<Invitation>> {
    invitees
        .into_iter()
        .map(|i| {
            Ok(Invitation {
                person: decode::<PersonId>(NodeType::Person, &i.person_id).gql()?,
                capacity: i.capacity.into(),
            })
        })
        .collect()
}

/// Turns a meeting step's result into a payload: done, refused for an expected business reason (with the
/// meeting as it stands, when there is one), or an error.
async fn payload(
    ctx: &Context<'_>,
    meeting: Option<MeetingId>,
    result: gongzhi_infra::Result<MeetingRecord>,
) -> async_graphql::Result<MeetingPayload> {
    let lang = ctx.request()?.lang;
    let refusal = match result {
        Ok(record) => {
            return Ok(MeetingPayload { ok: true, refusal: None, meeting: Some(Meeting(record)), held: None });
        }
        Err(err) => match refusal_of(&err, lang) {
            Some(refusal) => refusal,
            None => return Err(ApiError::from(err).into_graphql()),
        },
    };
    ctx.request()?.note_refusal();
    let current = match meeting {
        Some(id) => Some(Meeting(ctx.store().meeting(ctx.actor().await?, id).await.gql()?)),
        None => None,
    };
    Ok(MeetingPayload { ok: false, refusal: Some(refusal), meeting: current, held: None })
}

#[Object]
impl MeetingMutation {
    /// Schedules a meeting on a topic under deliberation, with its first invitees (the topic's leads).
    /// Records `meeting_scheduled` on the topic's timeline.
    async fn schedule_meeting(
        &self,
        ctx: &Context<'_>,
        input: ScheduleMeetingInput,
    ) -> async_graphql::Result<MeetingPayload> {
        let actor = ctx.actor().await?;
        let new = NewMeeting {
            topic: topic_id(&input.topic_id)?,
            title: input.title,
            form: input.form.into(),
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            location: input.location,
            invitees: invitations(input.invitees)?,
        };
        let result = ctx.store().schedule_meeting(actor, new).await;
        payload(ctx, None, result).await
    }

    /// Invites more people of the parties, third parties on the community's roster, or residents, until
    /// the meeting ends (the topic's leads).
    async fn invite_to_meeting(
        &self,
        ctx: &Context<'_>,
        input: InviteToMeetingInput,
    ) -> async_graphql::Result<MeetingPayload> {
        let actor = ctx.actor().await?;
        let id = meeting_id(&input.meeting_id)?;
        let result = ctx.store().invite_to_meeting(actor, id, invitations(input.invitees)?).await;
        payload(ctx, Some(id), result).await
    }

    /// Moves a meeting or changes where it is held, until it starts (the topic's leads). Everyone invited
    /// is notified.
    async fn reschedule_meeting(
        &self,
        ctx: &Context<'_>,
        input: RescheduleMeetingInput,
    ) -> async_graphql::Result<MeetingPayload> {
        let actor = ctx.actor().await?;
        let id = meeting_id(&input.meeting_id)?;
        let result = ctx.store().reschedule_meeting(actor, id, input.starts_at, input.ends_at, &input.location).await;
        payload(ctx, Some(id), result).await
    }

    /// 签到: an invitee checks themselves in (from half an hour before the start until the end), or one of
    /// the topic's leads checks someone in, invited or not.
    async fn check_in_to_meeting(
        &self,
        ctx: &Context<'_>,
        input: CheckInInput,
    ) -> async_graphql::Result<MeetingPayload> {
        let actor = ctx.actor().await?;
        let id = meeting_id(&input.meeting_id)?;
        let person = input.person_id.as_ref().map(|p| decode::<PersonId>(NodeType::Person, p)).transpose().gql()?;
        let result = ctx.store().check_in(actor, id, person).await;
        payload(ctx, Some(id), result).await
    }

    /// Writes the minutes once the meeting has started (the topic's leads). Writing again stores a new
    /// version with the reason; every earlier version is kept.
    async fn write_meeting_minutes(
        &self,
        ctx: &Context<'_>,
        input: WriteMinutesInput,
    ) -> async_graphql::Result<MeetingPayload> {
        let actor = ctx.actor().await?;
        let id = meeting_id(&input.meeting_id)?;
        // The content check first (decision 135): flagged or unchecked minutes are held back.
        let gate = ctx.state().content.on(ctx.store());
        match gate.write_minutes(actor, id, &input.text, input.attachments, input.reason.as_deref()).await {
            Ok(Checked::Held(hold)) => {
                let meeting = Some(Meeting(ctx.store().meeting(actor, id).await.gql()?));
                Ok(MeetingPayload { ok: true, refusal: None, meeting, held: Some(ContentHold(*hold)) })
            }
            Ok(Checked::Published(record)) => payload(ctx, Some(id), Ok(record)).await,
            Err(err) => payload(ctx, Some(id), Err(err)).await,
        }
    }
}

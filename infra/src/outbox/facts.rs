//! Notifications derived from the facts the event log records (other than the topic's timeline steps,
//! which `events::on_event` turns into messages): meeting invitations and moves, a vote's closing notice,
//! an explanation's answer. Called as the fact is recorded, inside the step's transaction, so the enqueue
//! stays atomic with the step (decision 18) while the fact, not the step's code, says who is told.

use gongzhi_domain::ids::{MeetingId, PersonId, TopicId, VoteId};
use gongzhi_domain::notify::{NotificationKind, TemplateData, china_time};
use sea_orm::ConnectionTrait;
use sea_orm::prelude::*;

use super::enqueue::{Notice, notify};
use super::recipients::Recipients;
use crate::entities::meeting;
use crate::event_log::NewEvent;
use crate::event_log::wire::WireEvent;
use crate::{Error, Result};

pub(crate) async fn notify_of(db: &impl ConnectionTrait, event: &NewEvent) -> Result<()> {
    match &event.event {
        WireEvent::MeetingInvited { meeting, people } if !people.is_empty() => {
            let recipients = Recipients::People(people.iter().copied().map(PersonId::from_uuid).collect());
            meeting_notice(db, *meeting, NotificationKind::MeetingInvited, &recipients, event).await
        }
        WireEvent::MeetingMoved { meeting, .. } => {
            let recipients = Recipients::Invitees(MeetingId::from_uuid(*meeting));
            meeting_notice(db, *meeting, NotificationKind::MeetingChanged, &recipients, event).await
        }
        WireEvent::VoteClosingNoticed { vote, closes_at } => {
            let row = crate::entities::vote::Entity::find_by_id(*vote).one(db).await?.ok_or(Error::NotFound("vote"))?;
            let notice = Notice {
                kind: NotificationKind::VoteClosing,
                topic: Some(TopicId::from_uuid(row.topic_id)),
                data: TemplateData {
                    subject: row.title,
                    at: *closes_at,
                    detail: format!("将于{}截止，您尚未表决", china_time(*closes_at)),
                },
            };
            notify(db, &notice, &Recipients::NotYetVoted(VoteId::from_uuid(*vote)), event.at).await?;
            Ok(())
        }
        WireEvent::ExplanationAnswered { asked_by, .. } => {
            let topic = event.topic.ok_or(Error::NotFound("topic"))?;
            let answer = event.text_of("answer").unwrap_or_default();
            super::events::explanation_answered(
                db,
                TopicId::from_uuid(topic),
                PersonId::from_uuid(*asked_by),
                answer,
                event.at,
            )
            .await
        }
        WireEvent::DisclosureQuestioned { .. }
        | WireEvent::DisclosureAnswered { .. }
        | WireEvent::DisclosureLetterSent { .. }
        | WireEvent::DisclosureQuestionReminded { .. } => super::disclosure_notices::notify_of(db, event).await,
        WireEvent::RectificationPlanDrafted { .. }
        | WireEvent::RectificationPlanRevised { .. }
        | WireEvent::RectificationPlanSentBack { .. } => super::rectification_notices::notify_of(db, event).await,
        WireEvent::SurveyOpened { closes_at, .. } => {
            let compound = event.place.ok_or(Error::NotFound("place"))?;
            let notice = Notice {
                kind: NotificationKind::SurveyToAnswer,
                topic: None,
                data: TemplateData {
                    subject: event.text_of("title").unwrap_or_default().to_owned(),
                    at: *closes_at,
                    detail: format!("请于{}前完成，每户一份，匿名", china_time(*closes_at)),
                },
            };
            let recipients = Recipients::Households(gongzhi_domain::ids::PlaceId::from_uuid(compound));
            notify(db, &notice, &recipients, event.at).await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A meeting's message: its title, when it starts and where.
async fn meeting_notice(
    db: &impl ConnectionTrait,
    id: Uuid,
    kind: NotificationKind,
    recipients: &Recipients,
    event: &NewEvent,
) -> Result<()> {
    let row = meeting::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("meeting"))?;
    let notice = Notice {
        kind,
        topic: Some(TopicId::from_uuid(row.topic_id)),
        data: TemplateData { subject: row.title, at: row.starts_at, detail: row.location },
    };
    notify(db, &notice, recipients, event.at).await?;
    Ok(())
}

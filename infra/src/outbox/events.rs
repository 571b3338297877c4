//! The pipeline's events, turned into messages to the people each concerns. (Partners' webhooks are the
//! event log's `webhooks` consumer, `webhook_feed`.)
//! Called from the timeline's `append`, so every step that records an event notifies in its own
//! transaction — a step that rolls back sends nothing, one that commits cannot lose its messages.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::TopicId;
use gongzhi_domain::notify::{NotificationKind, TemplateData, china_time};
use gongzhi_domain::task::Letter;
use gongzhi_domain::topic::{EventKind, Party, TimelineEvent};
use sea_orm::ConnectionTrait;
use sea_orm::prelude::*;

use super::enqueue::{Notice, notify};
use super::recipients::Recipients;
use crate::entities::{task, topic, vote};
use crate::rows::corrupt;
use crate::{Error, Result};

pub(crate) async fn on_event(db: &impl ConnectionTrait, event: &TimelineEvent) -> Result<()> {
    // Most events (a co-sign above all) concern nobody in particular: they cost no statement here.
    let notifies = matches!(
        event.kind,
        EventKind::Accepted { .. }
            | EventKind::Rejected { .. }
            | EventKind::Routed { .. }
            | EventKind::Rerouted { .. }
            | EventKind::Merged { .. }
            | EventKind::VoteOpened { .. }
            | EventKind::ImplementationStarted { .. }
            | EventKind::TaskLetter { .. }
            | EventKind::Published { .. }
            | EventKind::RatingOpened { .. }
    );
    // Partners' webhooks are fed from the event log after commit (`webhook_feed`), not from here.
    if !notifies {
        return Ok(());
    }
    let Some(row) = topic::Entity::find_by_id(event.topic.as_uuid()).one(db).await? else {
        return Err(Error::NotFound("topic"));
    };
    let title = row.title.clone();
    let raisers = Recipients::Raisers(event.topic);
    let notice = |kind, detail: String| Notice {
        kind,
        topic: Some(event.topic),
        data: TemplateData { subject: title.clone(), at: event.at, detail },
    };
    match &event.kind {
        EventKind::Accepted { .. } => {
            notify(db, &notice(NotificationKind::TopicAccepted, "已进入协商议事".into()), &raisers, event.at).await?;
        }
        EventKind::Rejected { reason } => {
            notify(db, &notice(NotificationKind::TopicRejected, reason.as_str().to_owned()), &raisers, event.at)
                .await?;
        }
        EventKind::Routed { .. } => {
            let detail = "已转物业服务企业办理".to_owned();
            notify(db, &notice(NotificationKind::TopicRouted, detail), &raisers, event.at).await?;
        }
        EventKind::Rerouted { .. } => {
            let detail = "原物业服务企业合同已终止，已转现物业服务企业办理".to_owned();
            notify(db, &notice(NotificationKind::TopicRouted, detail), &raisers, event.at).await?;
        }
        EventKind::Merged { .. } => {
            let detail = "已并入同类议题，附议随之转入".to_owned();
            notify(db, &notice(NotificationKind::TopicMerged, detail), &raisers, event.at).await?;
        }
        EventKind::VoteOpened { vote } => {
            let row = vote::Entity::find_by_id(vote.as_uuid()).one(db).await?.ok_or(Error::NotFound("vote"))?;
            let detail = format!("{}，{}截止", row.title, china_time(row.closes_at));
            notify(db, &notice(NotificationKind::VoteOpened, detail), &Recipients::Roll(*vote), event.at).await?;
        }
        EventKind::ImplementationStarted { tasks } => {
            for id in tasks {
                let (party, detail) = task_line(db, *id).await?;
                let recipients = Recipients::Party { party, topic: event.topic };
                notify(db, &notice(NotificationKind::TaskAssigned, detail), &recipients, event.at).await?;
            }
        }
        EventKind::TaskLetter { task, letter } => {
            let (party, detail) = task_line(db, *task).await?;
            let kind = match letter {
                Letter::Reminder => NotificationKind::TaskOverdue,
                Letter::Warning => NotificationKind::TaskWarning,
            };
            notify(db, &notice(kind, detail), &Recipients::Party { party, topic: event.topic }, event.at).await?;
        }
        EventKind::Published { summary } => {
            notify(db, &notice(NotificationKind::OutcomePublished, summary.as_str().to_owned()), &raisers, event.at)
                .await?;
        }
        EventKind::RatingOpened { closes_at } => {
            let detail = format!("请于{}前评价", china_time(*closes_at));
            notify(db, &notice(NotificationKind::RatingRequested, detail), &raisers, event.at).await?;
        }
        _ => {}
    }
    Ok(())
}

/// A task's owner party and its line in the message: the task and when it is due.
async fn task_line(db: &impl ConnectionTrait, id: gongzhi_domain::ids::TaskId) -> Result<(Party, String)> {
    let row = task::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("task"))?;
    let party = Party::parse(&row.owner_party).map_err(|_| corrupt("task", row.id))?;
    Ok((party, format!("{}，{}到期", row.title, china_time(row.due_at))))
}

/// Explanations are requests, not timeline events; the answer goes to whoever asked.
pub(crate) async fn explanation_answered(
    db: &impl ConnectionTrait,
    topic: TopicId,
    asked_by: gongzhi_domain::ids::PersonId,
    answer: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let row = topic::Entity::find_by_id(topic.as_uuid()).one(db).await?.ok_or(Error::NotFound("topic"))?;
    let notice = Notice {
        kind: NotificationKind::ExplanationAnswered,
        topic: Some(topic),
        data: TemplateData { subject: row.title, at, detail: answer.to_owned() },
    };
    notify(db, &notice, &Recipients::People(vec![asked_by]), at).await?;
    Ok(())
}

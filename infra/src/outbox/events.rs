//! The pipeline's events, turned into messages: the people each concerns, and the partners' webhooks.
//! Called from the timeline's `append`, so every step that records an event notifies in its own
//! transaction — a step that rolls back sends nothing, one that commits cannot lose its messages.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::TopicId;
use gongzhi_domain::notify::{NotificationKind, TemplateData, china_time};
use gongzhi_domain::task::Letter;
use gongzhi_domain::topic::{EventKind, Party, TimelineEvent, Visibility};
use sea_orm::ConnectionTrait;
use sea_orm::prelude::*;

use super::endpoints::{self, Endpoint};
use super::enqueue::{Notice, notify};
use super::queued::{QueuedMessage, Recipient, WebhookEvent, queue};
use super::recipients::Recipients;
use crate::entities::{place, task, topic, vote};
use crate::rows::corrupt;
use crate::{Error, Result, new_id};

pub(crate) async fn on_event(db: &impl ConnectionTrait, event: &TimelineEvent) -> Result<()> {
    // Most events (a co-sign above all) concern nobody in particular: they cost no statement here.
    let notifies = matches!(
        event.kind,
        EventKind::Accepted { .. }
            | EventKind::Rejected { .. }
            | EventKind::Routed { .. }
            | EventKind::Merged { .. }
            | EventKind::VoteOpened { .. }
            | EventKind::ImplementationStarted { .. }
            | EventKind::TaskLetter { .. }
            | EventKind::Published { .. }
            | EventKind::RatingOpened { .. }
    );
    let endpoints = if event.visibility() == Visibility::Public { endpoints::live(db).await? } else { Vec::new() };
    if !notifies && endpoints.is_empty() {
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
    if !endpoints.is_empty() {
        queue_webhooks(db, &row, event, endpoints).await?;
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

/// Partners hear of every public step on topics within the place they subscribed to (or everywhere),
/// filtered by the event kinds they chose, in the Standard Webhooks body (decision 70). What a resident
/// did is told without who did it, as on the public timeline.
async fn queue_webhooks(
    db: &impl ConnectionTrait,
    topic: &topic::Model,
    event: &TimelineEvent,
    endpoints: Vec<Endpoint>,
) -> Result<()> {
    let place = place::Entity::find_by_id(topic.place_id).one(db).await?.ok_or(Error::NotFound("place"))?;
    let path: Vec<Uuid> = [
        place.city_id,
        place.district_id,
        place.street_id,
        place.community_id,
        place.compound_id,
        place.building_id,
        Some(place.id),
    ]
    .into_iter()
    .flatten()
    .collect();
    let code = event.kind.kind_code();
    let mut messages = Vec::new();
    for endpoint in endpoints {
        if !endpoint.wants(code, &path) {
            continue;
        }
        let id = new_id();
        let body = serde_json::json!({
            "type": code,
            "timestamp": event.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": {
                "topicId": topic.id,
                "placeId": topic.place_id,
                "event": event.kind,
            },
        });
        messages.push(QueuedMessage {
            id,
            kind: code.to_owned(),
            to: Recipient::Endpoint(endpoint.row.id),
            address: endpoint.row.url,
            data: body.to_string(),
            page: None,
            topic: Some(topic.id),
            at: event.at,
            webhook: Some(WebhookEvent { seq: None, id: format!("msg_{}", id.simple()) }),
        });
    }
    queue(db, messages).await?;
    Ok(())
}

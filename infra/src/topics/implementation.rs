//! 落实: a resolution becomes tasks, each owned by one party; owners report progress and finish; the
//! residents' committee accepts each task, and accepting the last one completes the topic.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, TaskId, TopicId};
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::task::{Task, TaskState};
use gongzhi_domain::topic::{EventKind, Party, TaskProgress, TimelineEvent, Transition};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, PaginatorTrait};
use tracing::instrument;

use super::{TopicRecord, authorize_lead, events, load_visible, record_of, save};
use crate::entities::{task, task_progress};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

#[derive(Debug, Clone)]
pub struct NewTask {
    pub owner: Party,
    pub title: String,
    pub criteria: String,
    pub due_at: DateTime<Utc>,
}

pub(crate) fn task_of(row: &task::Model) -> Result<Task, DbErr> {
    let bad = || corrupt("task", row.id);
    let state = match row.state.as_str() {
        "open" => TaskState::Open,
        "done" => {
            TaskState::Done { at: row.done_at.ok_or_else(bad)?, by: PersonId::from_uuid(row.done_by.ok_or_else(bad)?) }
        }
        "accepted" => TaskState::Accepted {
            at: row.accepted_at.ok_or_else(bad)?,
            by: PersonId::from_uuid(row.accepted_by.ok_or_else(bad)?),
        },
        _ => return Err(bad()),
    };
    Ok(Task {
        id: TaskId::from_uuid(row.id),
        topic: TopicId::from_uuid(row.topic_id),
        owner: Party::parse(&row.owner_party).map_err(|_| bad())?,
        title: row.title.clone(),
        criteria: row.criteria.clone(),
        due_at: row.due_at,
        state,
        reminder_at: row.reminder_at,
        warning_at: row.warning_at,
    })
}

/// Writes a task's state back, guarded by the state it was loaded in.
pub(crate) async fn save_task(db: &impl ConnectionTrait, before: &task::Model, after: &Task) -> Result<()> {
    let (done_at, done_by, accepted_at, accepted_by) = match after.state {
        TaskState::Open => (None, None, None, None),
        TaskState::Done { at, by } => (Some(at), Some(by.as_uuid()), None, None),
        TaskState::Accepted { at, by } => (before.done_at, before.done_by, Some(at), Some(by.as_uuid())),
    };
    let updated = task::Entity::update_many()
        .col_expr(task::Column::State, Expr::value(after.state.code()))
        .col_expr(task::Column::DoneAt, Expr::value(done_at))
        .col_expr(task::Column::DoneBy, Expr::value(done_by))
        .col_expr(task::Column::AcceptedAt, Expr::value(accepted_at))
        .col_expr(task::Column::AcceptedBy, Expr::value(accepted_by))
        .col_expr(task::Column::ReminderAt, Expr::value(after.reminder_at))
        .col_expr(task::Column::WarningAt, Expr::value(after.warning_at))
        .filter(task::Column::Id.eq(before.id))
        .filter(task::Column::State.eq(before.state.clone()))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(gongzhi_domain::Conflict::TopicChanged.into());
    }
    Ok(())
}

async fn find_task(db: &impl ConnectionTrait, id: TaskId) -> Result<task::Model> {
    task::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("task"))
}

async fn progress_of(db: &impl ConnectionTrait, topic: TopicId) -> Result<TaskProgress> {
    let total = task::Entity::find().filter(task::Column::TopicId.eq(topic.as_uuid())).count(db).await?;
    let accepted = task::Entity::find()
        .filter(task::Column::TopicId.eq(topic.as_uuid()))
        .filter(task::Column::State.eq("accepted"))
        .count(db)
        .await?;
    Ok(TaskProgress { total: u32::try_from(total).unwrap_or(u32::MAX), accepted: u32::try_from(accepted).unwrap_or(0) })
}

impl Store {
    /// Starts implementing a resolution with its tasks (the topic's leads).
    #[instrument(skip_all)]
    pub async fn start_implementation(&self, actor: &Actor, id: TopicId, tasks: Vec<NewTask>) -> Result<TopicRecord> {
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let mut made = Vec::with_capacity(tasks.len());
        for new in &tasks {
            made.push(Task::new(
                TaskId::from_uuid(new_id()),
                id,
                new.owner,
                &new.title,
                &new.criteria,
                new.due_at,
                now,
            )?);
        }
        let Transition { topic, event } =
            loaded.topic().clone().start_implementation(actor.person, made.iter().map(|t| t.id).collect(), now)?;
        // The tasks exist before the event that names them: its notifications read them.
        for task in &made {
            task::ActiveModel {
                id: Set(task.id.as_uuid()),
                topic_id: Set(id.as_uuid()),
                owner_party: Set(task.owner.as_str().to_owned()),
                title: Set(task.title.clone()),
                criteria: Set(task.criteria.clone()),
                due_at: Set(task.due_at),
                state: Set(task.state.code().to_owned()),
                done_at: Set(None),
                done_by: Set(None),
                accepted_at: Set(None),
                accepted_by: Set(None),
                reminder_at: Set(None),
                warning_at: Set(None),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        let row = save(&txn, &loaded.row, &topic, &event, &self.deadlines, now).await?;
        txn.commit().await?;
        Ok(record_of(&row, topic))
    }

    /// The owner party reports progress, with evidence photos.
    #[instrument(skip_all)]
    pub async fn report_task_progress(
        &self,
        actor: &Actor,
        id: TaskId,
        note: &str,
        photos: Vec<String>,
    ) -> Result<Task> {
        let note = gongzhi_domain::person::bounded_text("note", note, 500)?;
        let photos = gongzhi_domain::topic::Photos::parse(&photos)?;
        let txn = self.write().await?;
        let row = find_task(&txn, id).await?;
        let task = task_of(&row)?;
        let loaded = load_visible(&txn, actor, task.topic).await?;
        require(actor, Action::ActForParty(task.owner), &loaded.ctx)?;
        task.check_open()?;
        let keys: Vec<&str> = photos.keys().iter().map(|k| k.as_str()).collect();
        crate::uploads::check_owned(&txn, actor.person, &keys).await?;
        task_progress::ActiveModel {
            id: Set(new_id()),
            task_id: Set(id.as_uuid()),
            author_id: Set(actor.person.as_uuid()),
            note: Set(note.clone()),
            photos: Set(serde_json::to_string(&keys).map_err(|e| DbErr::Custom(e.to_string()))?),
            at: Set(self.clock.now()),
        }
        .insert(&txn)
        .await?;
        let event = WireEvent::TaskProgressReported { task: id.as_uuid(), photos: keys.len() };
        let fact = NewEvent::new(event, self.clock.now(), Audience::Public)
            .actor(Some(actor.person))
            .topic(task.topic)
            .text("note", Audience::Public, &note);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(task)
    }

    /// The owner party says the task is done.
    #[instrument(skip_all)]
    pub async fn finish_task(&self, actor: &Actor, id: TaskId) -> Result<Task> {
        let txn = self.write().await?;
        let row = find_task(&txn, id).await?;
        let task = task_of(&row)?;
        let loaded = load_visible(&txn, actor, task.topic).await?;
        require(actor, Action::ActForParty(task.owner), &loaded.ctx)?;
        let done = task.finish(actor.person, self.clock.now())?;
        save_task(&txn, &row, &done).await?;
        let fact = NewEvent::new(
            WireEvent::TaskFinished { task: id.as_uuid(), due_at: Some(done.due_at) },
            self.clock.now(),
            Audience::Public,
        )
        .actor(Some(actor.person))
        .topic(done.topic);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(done)
    }

    /// The residents' committee accepts a done task, or sends it back. Accepting the last task completes
    /// the topic in the same transaction.
    #[instrument(skip_all)]
    pub async fn review_task(&self, actor: &Actor, id: TaskId, accept: bool) -> Result<Task> {
        let txn = self.write().await?;
        let row = find_task(&txn, id).await?;
        let task = task_of(&row)?;
        let loaded = load_visible(&txn, actor, task.topic).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let reviewed = if accept { task.accept(actor.person, now)? } else { task.send_back()? };
        save_task(&txn, &row, &reviewed).await?;
        if accept {
            let event = TimelineEvent {
                topic: reviewed.topic,
                actor: Some(actor.person),
                at: now,
                note: None,
                kind: EventKind::TaskAccepted { task: reviewed.id },
            };
            events::append(&txn, &event).await?;
            let progress = progress_of(&txn, reviewed.topic).await?;
            if progress.accepted == progress.total {
                let Transition { topic, event } = loaded.topic().clone().complete(None, progress, now)?;
                let before = crate::entities::topic::Entity::find_by_id(reviewed.topic.as_uuid())
                    .one(&txn)
                    .await?
                    .ok_or(Error::NotFound("topic"))?;
                save(&txn, &before, &topic, &event, &self.deadlines, now).await?;
            }
        } else {
            let fact = NewEvent::new(WireEvent::TaskSentBack { task: id.as_uuid() }, now, Audience::Public)
                .actor(Some(actor.person))
                .topic(reviewed.topic);
            crate::event_log::record(&txn, fact).await?;
        }
        txn.commit().await?;
        Ok(reviewed)
    }

    /// A warning letter at once, for a strong complaint (强烈投诉直接发警示函).
    #[instrument(skip_all)]
    pub async fn warn_task(&self, actor: &Actor, id: TaskId) -> Result<Task> {
        let txn = self.write().await?;
        let row = find_task(&txn, id).await?;
        let task = task_of(&row)?;
        let loaded = load_visible(&txn, actor, task.topic).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let warned = task.warn_now(now)?;
        save_task(&txn, &row, &warned).await?;
        let event = TimelineEvent {
            topic: warned.topic,
            actor: Some(actor.person),
            at: now,
            note: None,
            kind: EventKind::TaskLetter { task: warned.id, letter: gongzhi_domain::task::Letter::Warning },
        };
        events::append(&txn, &event).await?;
        txn.commit().await?;
        Ok(warned)
    }
}

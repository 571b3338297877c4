//! A task's progress reports as clients read them: the owning party's notes and evidence photos, oldest
//! first. Read for tasks already shown to the viewer (a topic's `tasks`, `myTasks`), so whoever sees a task
//! sees how it went.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, TaskId};
use gongzhi_domain::topic::Photos;
use sea_orm::QueryOrder;
use sea_orm::prelude::*;

use crate::entities::task_progress;
use crate::rows::corrupt;
use crate::{Result, Store};

/// One progress report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressReport {
    pub id: Uuid,
    pub task: TaskId,
    pub author: PersonId,
    pub note: String,
    pub photos: Photos,
    pub at: DateTime<Utc>,
}

fn report_of(row: &task_progress::Model) -> Result<ProgressReport> {
    let keys: Vec<String> = serde_json::from_str(&row.photos).map_err(|_| corrupt("task progress", row.id))?;
    Ok(ProgressReport {
        id: row.id,
        task: TaskId::from_uuid(row.task_id),
        author: PersonId::from_uuid(row.author_id),
        note: row.note.clone(),
        photos: Photos::parse(&keys).map_err(|_| corrupt("task progress", row.id))?,
        at: row.at,
    })
}

impl Store {
    /// Each task's progress reports, oldest first, in one statement; an empty list for a task with none.
    pub async fn progress_of(&self, tasks: &[TaskId]) -> Result<HashMap<TaskId, Vec<ProgressReport>>> {
        let rows = task_progress::Entity::find()
            .filter(task_progress::Column::TaskId.is_in(tasks.iter().map(TaskId::as_uuid)))
            .order_by_asc(task_progress::Column::At)
            .order_by_asc(task_progress::Column::Id)
            .all(&self.db)
            .await?;
        let mut reports: HashMap<TaskId, Vec<ProgressReport>> = tasks.iter().map(|id| (*id, Vec::new())).collect();
        for row in &rows {
            let report = report_of(row)?;
            reports.entry(report.task).or_default().push(report);
        }
        Ok(reports)
    }
}

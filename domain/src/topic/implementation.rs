//! 议题落实: the resolution becomes tasks, each owned by one party; the topic is complete when every task
//! has been accepted. Tasks are records of their own (with owners, due dates, reminder and warning
//! letters); the topic only needs to know that they exist and how many are still open.

use chrono::{DateTime, Utc};

use crate::ids::{PersonId, TaskId};
use crate::topic::topic::wrong_stage;
use crate::topic::{DeliberationPlan, EventKind, Phase, Topic, TopicError, Transition};

/// How far the topic's tasks are, as storage counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskProgress {
    pub total: u32,
    pub accepted: u32,
}

impl Topic {
    /// Starts implementing a resolution with the tasks storage created for it in the same transaction.
    /// A major matter must have been announced first.
    pub fn start_implementation(
        mut self,
        by: PersonId,
        tasks: Vec<TaskId>,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let major = self.state.plan().is_some_and(DeliberationPlan::is_major);
        match self.state.phase() {
            Some(Phase::Resolved { .. }) if major => return Err(TopicError::AnnouncementRequired),
            Some(Phase::Resolved { .. } | Phase::Announced { .. }) => {}
            _ => return Err(wrong_stage("start implementing", &self.state)),
        }
        if tasks.is_empty() {
            return Err(TopicError::NoTasks);
        }
        let ready = |phase| matches!(phase, Phase::Resolved { .. } | Phase::Announced { .. });
        self.set_phase("start implementing", ready, Phase::Implementing { since: now })?;
        Ok(self.record(Some(by), now, None, EventKind::ImplementationStarted { tasks }))
    }

    /// Every task has been accepted. `by` is `None` when storage completes the topic itself upon
    /// accepting its last task.
    pub fn complete(
        mut self,
        by: Option<PersonId>,
        tasks: TaskProgress,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        if !matches!(self.state.phase(), Some(Phase::Implementing { .. })) {
            return Err(wrong_stage("complete", &self.state));
        }
        if tasks.total == 0 {
            return Err(TopicError::NoTasks);
        }
        if tasks.accepted < tasks.total {
            return Err(TopicError::TasksOutstanding { open: tasks.total - tasks.accepted });
        }
        let implementing = |phase| matches!(phase, Phase::Implementing { .. });
        self.set_phase("complete", implementing, Phase::Completed { at: now })?;
        Ok(self.record(by, now, None, EventKind::Completed))
    }
}

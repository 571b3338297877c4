//! 落实: the tasks a resolution becomes. Each is owned by one of the five parties and has a due date and
//! acceptance criteria; the owner reports progress and marks it done; the residents' committee accepts it
//! (or sends it back). Supervision is a rule over time: a reminder letter (提示函) at the due date, a
//! warning letter (警示函) after a grace period, then escalation of the topic if it is still not done.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::Invalid;
use crate::ids::{PersonId, TaskId, TopicId};
use crate::person::bounded_text;
use crate::topic::Party;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Letter {
    /// 提示函: the task is due and not done.
    Reminder,
    /// 警示函: still not done after the grace period, or a strong complaint.
    Warning,
}

impl Letter {
    pub const fn as_str(self) -> &'static str {
        match self {
            Letter::Reminder => "reminder",
            Letter::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    Open,
    Done { at: DateTime<Utc>, by: PersonId },
    Accepted { at: DateTime<Utc>, by: PersonId },
}

impl TaskState {
    pub const fn code(&self) -> &'static str {
        match self {
            TaskState::Open => "open",
            TaskState::Done { .. } => "done",
            TaskState::Accepted { .. } => "accepted",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TaskError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("the task is {state}")]
    WrongState { state: &'static str },
    #[error("a task must be due in the future")]
    DueInPast,
    #[error("a {letter} letter was already sent for this task")]
    LetterAlreadySent { letter: &'static str },
}

impl TaskError {
    pub const fn code(&self) -> &'static str {
        match self {
            TaskError::Invalid(_) => "invalid",
            TaskError::WrongState { .. } => "wrong_state",
            TaskError::DueInPast => "due_in_past",
            TaskError::LetterAlreadySent { .. } => "letter_already_sent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: TaskId,
    pub topic: TopicId,
    pub owner: Party,
    pub title: String,
    pub criteria: String,
    pub due_at: DateTime<Utc>,
    pub state: TaskState,
    pub reminder_at: Option<DateTime<Utc>>,
    pub warning_at: Option<DateTime<Utc>>,
}

/// What supervision finds a task needs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supervision {
    Send(Letter),
    /// The warning went unheeded through the grace period: hand the topic up a level.
    Escalate,
}

impl Task {
    pub fn new(
        id: TaskId,
        topic: TopicId,
        owner: Party,
        title: &str,
        criteria: &str,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, TaskError> {
        if due_at <= now {
            return Err(TaskError::DueInPast);
        }
        Ok(Self {
            id,
            topic,
            owner,
            title: bounded_text("title", title, 60)?,
            criteria: bounded_text("criteria", criteria, 500)?,
            due_at,
            state: TaskState::Open,
            reminder_at: None,
            warning_at: None,
        })
    }

    fn wrong(&self) -> TaskError {
        TaskError::WrongState { state: self.state.code() }
    }

    /// Progress can be reported while the task is open.
    pub fn check_open(&self) -> Result<(), TaskError> {
        if self.state == TaskState::Open { Ok(()) } else { Err(self.wrong()) }
    }

    pub fn finish(mut self, by: PersonId, now: DateTime<Utc>) -> Result<Self, TaskError> {
        self.check_open()?;
        self.state = TaskState::Done { at: now, by };
        Ok(self)
    }

    pub fn accept(mut self, by: PersonId, now: DateTime<Utc>) -> Result<Self, TaskError> {
        match self.state {
            TaskState::Done { .. } => {
                self.state = TaskState::Accepted { at: now, by };
                Ok(self)
            }
            _ => Err(self.wrong()),
        }
    }

    /// Not done to the criteria: back to its owner.
    pub fn send_back(mut self) -> Result<Self, TaskError> {
        match self.state {
            TaskState::Done { .. } => {
                self.state = TaskState::Open;
                Ok(self)
            }
            _ => Err(self.wrong()),
        }
    }

    /// A warning letter sent at once by staff, for a strong complaint (强烈投诉直接发警示函).
    pub fn warn_now(mut self, now: DateTime<Utc>) -> Result<Self, TaskError> {
        self.check_open()?;
        if self.warning_at.is_some() {
            return Err(TaskError::LetterAlreadySent { letter: Letter::Warning.as_str() });
        }
        self.warning_at = Some(now);
        Ok(self)
    }

    /// The rule: a reminder once the task is due and open; a warning `grace` after the due date; then,
    /// `grace` after the warning, escalation. A task done (even if not yet accepted) draws no letters.
    pub fn supervise(&self, now: DateTime<Utc>, grace: Duration) -> Option<Supervision> {
        if self.state != TaskState::Open || now < self.due_at {
            return None;
        }
        match (self.reminder_at, self.warning_at) {
            (None, None) => Some(Supervision::Send(Letter::Reminder)),
            (_, None) if now >= self.due_at + grace => Some(Supervision::Send(Letter::Warning)),
            (_, Some(warned)) if now >= warned + grace => Some(Supervision::Escalate),
            _ => None,
        }
    }

    /// Records a letter the rule called for.
    pub fn record_letter(mut self, letter: Letter, now: DateTime<Utc>) -> Self {
        match letter {
            Letter::Reminder => self.reminder_at = Some(now),
            Letter::Warning => self.warning_at = Some(now),
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, 9, 0, 0).single().unwrap_or_default()
    }

    fn task() -> Task {
        let made = Task::new(
            TaskId::from_uuid(Uuid::new_v4()),
            TopicId::from_uuid(Uuid::new_v4()),
            Party::PropertyCompany,
            "划定电动车停放区",
            "北侧消防通道无车辆停放",
            day(10),
            day(1),
        );
        let Ok(task) = made else { panic!("valid task") };
        task
    }

    #[test]
    fn a_task_must_be_due_in_the_future() {
        let late = Task::new(
            TaskId::from_uuid(Uuid::new_v4()),
            TopicId::from_uuid(Uuid::new_v4()),
            Party::PropertyCompany,
            "t",
            "c",
            day(1),
            day(2),
        );
        assert_eq!(late, Err(TaskError::DueInPast));
    }

    #[test]
    fn supervision_sends_a_reminder_then_a_warning_then_escalates() {
        let grace = Duration::days(3);
        let t = task();
        assert_eq!(t.supervise(day(9), grace), None, "not yet due");
        assert_eq!(t.supervise(day(10), grace), Some(Supervision::Send(Letter::Reminder)));
        let t = t.record_letter(Letter::Reminder, day(10));
        assert_eq!(t.supervise(day(12), grace), None, "within the grace period");
        assert_eq!(t.supervise(day(13), grace), Some(Supervision::Send(Letter::Warning)));
        let t = t.record_letter(Letter::Warning, day(13));
        assert_eq!(t.supervise(day(15), grace), None);
        assert_eq!(t.supervise(day(16), grace), Some(Supervision::Escalate));
    }

    #[test]
    fn a_done_task_draws_no_letters() {
        let done = task().finish(PersonId::from_uuid(Uuid::new_v4()), day(11));
        assert_eq!(done.map(|t| t.supervise(day(20), Duration::days(3))), Ok(None));
    }

    #[test]
    fn a_task_is_accepted_only_once_done_and_may_be_sent_back() {
        let staff = PersonId::from_uuid(Uuid::new_v4());
        assert!(matches!(task().accept(staff, day(2)), Err(TaskError::WrongState { state: "open" })));
        let done = task().finish(staff, day(3)).and_then(Task::send_back);
        assert_eq!(done.map(|t| t.state), Ok(TaskState::Open));
    }

    #[test]
    fn a_strong_complaint_warns_at_once_but_only_once() {
        let warned = task().warn_now(day(2));
        assert_eq!(warned.clone().map(|t| t.warning_at), Ok(Some(day(2))));
        assert_eq!(warned.and_then(|t| t.warn_now(day(3))), Err(TaskError::LetterAlreadySent { letter: "warning" }));
    }
}

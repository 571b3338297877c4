//! The small lifecycle of a topic routed to the property company (一口受理、一口办结、一口回复):
//!
//! ```text
//! routed ──acknowledge──▶ acknowledged ──finish──▶ done ──confirm (submitter)─────────────▶ confirmed
//! routed ──finish (a job done on the spot)───────▶ done ──confirm by default (scheduler,
//!                                                          after the confirmation window)──▶ confirmed
//!                         acknowledged ◀──dispute (submitter, with a reason)── done
//! ```
//!
//! The types are [`ServiceRequest`](crate::topic::ServiceRequest) and
//! [`ServiceStatus`](crate::topic::ServiceStatus) in `state.rs`.

use chrono::{DateTime, Utc};

use crate::ids::PersonId;
use crate::topic::topic::wrong_stage;
use crate::topic::{
    Deadline, DeadlineKind, Deadlines, EventKind, Note, Reason, ServiceStatus, Topic, TopicError, TopicState,
    Transition,
};

impl Topic {
    /// Replaces the service status when `allowed` accepts the current one.
    fn set_service_status(
        &mut self,
        action: &'static str,
        allowed: impl Fn(ServiceStatus) -> bool,
        status: ServiceStatus,
    ) -> Result<(), TopicError> {
        match &mut self.state {
            TopicState::Routed(request) if allowed(request.status) => {
                request.status = status;
                Ok(())
            }
            other => Err(wrong_stage(action, other)),
        }
    }

    /// The property company has seen the request and takes it on.
    pub fn acknowledge_service(mut self, by: PersonId, now: DateTime<Utc>) -> Result<Transition, TopicError> {
        let routed = |status| matches!(status, ServiceStatus::Routed);
        self.set_service_status("acknowledge", routed, ServiceStatus::Acknowledged { at: now })?;
        Ok(self.record(Some(by), now, None, EventKind::ServiceAcknowledged))
    }

    /// The company reports the job done, saying what it did; the submitter reads the report. A job done
    /// on the spot may skip the acknowledgement.
    pub fn finish_service(mut self, by: PersonId, report: Note, now: DateTime<Utc>) -> Result<Transition, TopicError> {
        let open = |status| matches!(status, ServiceStatus::Routed | ServiceStatus::Acknowledged { .. });
        self.set_service_status("finish", open, ServiceStatus::Done { at: now })?;
        Ok(self.record(Some(by), now, None, EventKind::ServiceDone { report }))
    }

    /// The submitter confirms the job is done.
    pub fn confirm_service(
        mut self,
        by: PersonId,
        note: Option<Note>,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        if !self.is_submitter(by) {
            return Err(TopicError::NotSubmitter);
        }
        let done = |status| matches!(status, ServiceStatus::Done { .. });
        self.set_service_status("confirm", done, ServiceStatus::Confirmed { at: now, by_default: false })?;
        Ok(self.record(Some(by), now, note, EventKind::ServiceConfirmed { by_default: false }))
    }

    /// The submitter says the job is not done; the company must take it up again.
    pub fn dispute_service(
        mut self,
        by: PersonId,
        reason: Reason,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        if !self.is_submitter(by) {
            return Err(TopicError::NotSubmitter);
        }
        let done = |status| matches!(status, ServiceStatus::Done { .. });
        self.set_service_status("dispute", done, ServiceStatus::Acknowledged { at: now })?;
        Ok(self.record(Some(by), now, None, EventKind::ServiceDisputed { reason }))
    }

    /// The scheduler confirms for a submitter who stayed silent through the confirmation window.
    pub fn confirm_service_by_default(
        mut self,
        deadlines: &Deadlines,
        now: DateTime<Utc>,
    ) -> Result<Transition, TopicError> {
        let Some(Deadline { kind: DeadlineKind::ServiceConfirmation, due_at }) = self.deadline(deadlines) else {
            return Err(wrong_stage("confirm by default", &self.state));
        };
        if now <= due_at {
            return Err(TopicError::ConfirmationWindowOpen { until: due_at });
        }
        let done = |status| matches!(status, ServiceStatus::Done { .. });
        self.set_service_status("confirm by default", done, ServiceStatus::Confirmed { at: now, by_default: true })?;
        Ok(self.record(None, now, None, EventKind::ServiceConfirmed { by_default: true }))
    }
}

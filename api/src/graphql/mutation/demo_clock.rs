//! Demo time travel: in the demo profile, a city administrator moves the server's clock forward, so
//! trainers and testers can show a deadline passing — a reminder or warning letter, an escalation, a
//! vote's close and its result, the rating's close — without waiting days (decision 62). Production runs
//! on the wall clock and refuses the mutation with `FORBIDDEN` (`reason: DEMO_ONLY`).

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use gongzhi_domain::clock::Clock;
use gongzhi_domain::policy::authorize_clock_travel;
use gongzhi_infra::topics::SupervisionReport;

use crate::error::{ApiError, BadRequest, Gql};
use crate::graphql::context::CtxExt;

/// The most the clock moves in one step; a longer trip is several steps.
const MAX_DAYS: i64 = 366;

/// The deadline rules are applied in rounds of a bounded batch; a trip past many deadlines may need
/// several. The scheduler finishes what these leave.
const MAX_ROUNDS: usize = 20;

#[derive(Default)]
pub struct DemoClockMutation;

/// What the deadline rules did at the new time.
#[derive(SimpleObject, Default)]
pub struct DeadlineRulesApplied {
    /// Reminder letters (提示函) for tasks past due.
    reminders: u32,
    /// Warning letters (警示函) for tasks still not done after the grace period.
    warnings: u32,
    /// Topics handed up a level because their tasks stayed undone.
    escalations: u32,
    /// Service requests confirmed because the submitter did not answer in time.
    confirmed_by_default: u32,
    /// Topics whose rating closed.
    closed: u32,
    /// Votes whose non-voters were told it closes within a day.
    closing_notices: u32,
}

impl DeadlineRulesApplied {
    fn add(&mut self, report: SupervisionReport) {
        self.reminders += report.reminders;
        self.warnings += report.warnings;
        self.escalations += report.escalations;
        self.confirmed_by_default += report.confirmed_by_default;
        self.closed += report.closed;
        self.closing_notices += report.closing_notices;
    }
}

#[derive(SimpleObject)]
pub struct DemoClockPayload {
    /// The server's time now.
    now: DateTime<Utc>,
    /// How far ahead of the wall clock the demo runs, in seconds.
    offset_seconds: i64,
    applied: DeadlineRulesApplied,
}

/// The step asked for, checked: forward only, by a positive amount, at most `MAX_DAYS`.
fn step(days: i32, hours: i32, minutes: i32) -> Result<Duration, ApiError> {
    if days < 0 || hours < 0 || minutes < 0 {
        return Err(ApiError::Bad(BadRequest::ClockNotForward));
    }
    let by = Duration::days(days.into()) + Duration::hours(hours.into()) + Duration::minutes(minutes.into());
    if by > Duration::days(MAX_DAYS) {
        return Err(ApiError::Bad(BadRequest::ClockTooFar { max_days: MAX_DAYS }));
    }
    if by <= Duration::zero() {
        return Err(ApiError::Bad(BadRequest::ClockNotForward));
    }
    Ok(by)
}

#[Object]
impl DemoClockMutation {
    /// Demo profile only, city administrators: moves the server's clock forward by the days, hours and
    /// minutes given (never back), then applies the deadline rules at the new time, as the scheduler
    /// would. Everything reads the moved time from then on: deadlines, votes, the delivery worker in the
    /// server, and token expiry — access tokens issued before the move may have expired (refresh them, or
    /// log in again). The move is stored: it outlasts a restart, and other instances on the same
    /// database follow it when they start and at their scheduler's next round.
    async fn advance_demo_clock(
        &self,
        ctx: &Context<'_>,
        days: Option<i32>,
        hours: Option<i32>,
        minutes: Option<i32>,
    ) -> async_graphql::Result<DemoClockPayload> {
        let state = ctx.state();
        let Some(clock) = state.demo_clock.as_ref() else {
            return Err(ApiError::DemoOnly.into_graphql());
        };
        let actor = ctx.actor().await?;
        authorize_clock_travel(actor).map_err(gongzhi_infra::Error::from).gql()?;
        let by = step(days.unwrap_or(0), hours.unwrap_or(0), minutes.unwrap_or(0)).gql()?;
        // Stored first, so a restart keeps it and every instance on the database moves too (decision 83).
        let offset = state.store.advance_demo_clock_offset(by).await.gql()?;
        clock.catch_up(offset);
        let now = clock.now();
        let grace = Duration::days(i64::from(state.settings.pipeline.letter_grace_days));
        let mut applied = DeadlineRulesApplied::default();
        for _ in 0..MAX_ROUNDS {
            let report = state.store.supervise(grace).await.gql()?;
            if report == SupervisionReport::default() {
                break;
            }
            applied.add(report);
        }
        Ok(DemoClockPayload { now, offset_seconds: clock.offset().num_seconds(), applied })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_forward_by_a_positive_amount_of_at_most_a_year() {
        assert_eq!(step(3, 0, 0).ok(), Some(Duration::days(3)));
        assert_eq!(step(0, 1, 30).ok(), Some(Duration::minutes(90)));
        assert_eq!(step(366, 0, 0).ok(), Some(Duration::days(366)));
        assert!(matches!(step(0, -1, 0), Err(ApiError::Bad(BadRequest::ClockNotForward))));
        assert!(matches!(step(0, 0, 0), Err(ApiError::Bad(BadRequest::ClockNotForward))));
        assert!(matches!(step(366, 1, 0), Err(ApiError::Bad(BadRequest::ClockTooFar { max_days: 366 }))));
    }
}

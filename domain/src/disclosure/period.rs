//! A disclosure's period: a calendar month or quarter in China time, and when its disclosure falls due.
//! Seed 003 asks for minutes "in time" (准时) and seed 002 for 双晒 each quarter; how many days "in time"
//! is, is the city's to configure (`DisclosureRules`).

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::DisclosureError;
use super::kind::Cadence;

const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// From `start` to `end`, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

impl Period {
    /// The period of this cadence starting on `start`, which must be the first day of a month (monthly)
    /// or of January, April, July or October (quarterly).
    pub fn starting(cadence: Cadence, start: NaiveDate) -> Result<Self, DisclosureError> {
        let months = months_of(cadence);
        if start.day() != 1 || !start.month0().is_multiple_of(months) {
            return Err(DisclosureError::PeriodStart { given: start });
        }
        let next =
            start.checked_add_months(Months::new(months)).ok_or(DisclosureError::PeriodStart { given: start })?;
        let end = next.pred_opt().ok_or(DisclosureError::PeriodStart { given: start })?;
        Ok(Self { start, end })
    }

    /// The period of this cadence that contains the day `at` falls on, in China.
    pub fn containing(cadence: Cadence, at: DateTime<Utc>) -> Self {
        let day = at.with_timezone(&CHINA).date_naive();
        let months = months_of(cadence);
        let month0 = day.month0() - day.month0() % months;
        let start = NaiveDate::from_ymd_opt(day.year(), month0 + 1, 1).unwrap_or(day);
        Self::starting(cadence, start).unwrap_or(Self { start: day, end: day })
    }

    /// The last whole period that had ended by `at`.
    pub fn last_ended(cadence: Cadence, at: DateTime<Utc>) -> Self {
        let current = Self::containing(cadence, at);
        let before = current.start.pred_opt().unwrap_or(current.start);
        Self::containing(
            cadence,
            CHINA
                .from_local_datetime(&before.and_hms_opt(12, 0, 0).unwrap_or_default())
                .single()
                .map_or(at, |t| t.with_timezone(&Utc)),
        )
    }

    /// Every whole period that had ended by `at` and ended no earlier than `since`, newest first; the
    /// last ended one always, so a round never opens nothing for want of look-back.
    pub fn ended_since(cadence: Cadence, at: DateTime<Utc>, since: DateTime<Utc>) -> Vec<Self> {
        let mut periods = vec![Self::last_ended(cadence, at)];
        while let Some(last) = periods.last() {
            let before = Self::last_ended(cadence, last.starts_at());
            if before.ends_at() < since || before == *last {
                break;
            }
            periods.push(before);
        }
        periods
    }

    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    pub const fn end(&self) -> NaiveDate {
        self.end
    }

    /// Its first instant: midnight in China on its first day.
    pub fn starts_at(&self) -> DateTime<Utc> {
        midnight(self.start)
    }

    /// The first instant after the period: midnight in China at the start of the next day.
    pub fn ends_at(&self) -> DateTime<Utc> {
        midnight(self.end.succ_opt().unwrap_or(self.end))
    }

    /// Due `days` whole days after the period ends: midnight in China starting the day after those days.
    pub fn due_at(&self, days: u32) -> DateTime<Utc> {
        self.ends_at() + Duration::days(i64::from(days))
    }

    /// Whether the period has ended at `now`: accounts are published for a whole period, not part of one.
    pub fn has_ended(&self, now: DateTime<Utc>) -> bool {
        now >= self.ends_at()
    }
}

const fn months_of(cadence: Cadence) -> u32 {
    match cadence {
        Cadence::Monthly => 1,
        Cadence::Quarterly => 3,
    }
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    CHINA
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or_else(|| day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn a_quarter_starts_on_the_first_of_january_april_july_or_october() {
        let q4 = Period::starting(Cadence::Quarterly, date(2026, 10, 1));
        assert_eq!(q4.map(|p| p.end()), Ok(date(2026, 12, 31)));
        assert_eq!(
            Period::starting(Cadence::Quarterly, date(2026, 11, 1)),
            Err(DisclosureError::PeriodStart { given: date(2026, 11, 1) })
        );
        assert!(Period::starting(Cadence::Monthly, date(2026, 2, 2)).is_err());
        assert_eq!(Period::starting(Cadence::Monthly, date(2028, 2, 1)).map(|p| p.end()), Ok(date(2028, 2, 29)));
    }

    #[test]
    fn periods_follow_the_china_calendar_not_utc() {
        // 2026-09-30 17:00 UTC is already 1 October in China: the fourth quarter.
        let p = Period::containing(Cadence::Quarterly, utc(2026, 9, 30, 17));
        assert_eq!(p.start(), date(2026, 10, 1));
        let p = Period::containing(Cadence::Quarterly, utc(2026, 9, 30, 15));
        assert_eq!(p.start(), date(2026, 7, 1));
    }

    #[test]
    fn the_last_ended_period_is_the_one_before_today() {
        let at = utc(2027, 1, 5, 3);
        assert_eq!(Period::last_ended(Cadence::Quarterly, at).start(), date(2026, 10, 1));
        assert_eq!(Period::last_ended(Cadence::Monthly, at).start(), date(2026, 12, 1));
        assert_eq!(Period::last_ended(Cadence::Monthly, utc(2027, 3, 10, 3)).end(), date(2027, 2, 28));
    }

    #[test]
    fn due_counts_whole_days_after_the_period_in_china() {
        let Ok(q3) = Period::starting(Cadence::Quarterly, date(2026, 7, 1)) else { panic!("a quarter") };
        // Ends at midnight 1 October in China = 30 September 16:00 UTC; 15 days later.
        assert_eq!(q3.ends_at(), utc(2026, 9, 30, 16));
        assert_eq!(q3.due_at(15), utc(2026, 10, 15, 16));
        assert!(!q3.has_ended(utc(2026, 9, 30, 15)));
        assert!(q3.has_ended(utc(2026, 9, 30, 16)));
    }
}

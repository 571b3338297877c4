//! A disclosure owed: for a place and a period, by a party, due on a day the city configures. A missing
//! one draws the same letters as an overdue task (seed 001, 建立警示制度: 提示函 to remind early, 警示函 when
//! it goes on, then it is handed up): a reminder when due, a warning a grace period later, escalation to
//! the street a grace period after the warning. Publishing the first version fulfils it; late is recorded
//! as late, for the credit record (seed 000/001: 诚信档案).

use chrono::{DateTime, Duration, Utc};

use super::kind::DisclosureKind;
use super::period::Period;
use crate::task::{Letter, Supervision};

/// How many days after its period each disclosure falls due, how long questions wait for an answer,
/// and the grace between letters. Configurable per deployment (`[disclosures]` in the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisclosureRules {
    pub minutes_due_days: u32,
    pub accounts_due_days: u32,
    pub committee_due_days: u32,
    pub answer_days: u32,
    pub letter_grace_days: u32,
    /// How far back a scheduler round looks for ended periods whose obligations it has not opened yet
    /// (decision 106): a scheduler stopped over a period's end still opens it when it starts again.
    pub look_back_days: u32,
}

impl Default for DisclosureRules {
    fn default() -> Self {
        Self {
            minutes_due_days: 10,
            accounts_due_days: 15,
            committee_due_days: 15,
            answer_days: 15,
            letter_grace_days: 7,
            look_back_days: 365,
        }
    }
}

impl DisclosureRules {
    pub const fn due_days(&self, kind: DisclosureKind) -> u32 {
        match kind {
            DisclosureKind::Minutes => self.minutes_due_days,
            DisclosureKind::PropertyAccounts => self.accounts_due_days,
            DisclosureKind::CommitteeFunds => self.committee_due_days,
        }
    }

    pub fn due_at(&self, kind: DisclosureKind, period: &Period) -> DateTime<Utc> {
        period.due_at(self.due_days(kind))
    }

    /// The ended periods of `kind` a round at `now` opens obligations for, newest first: the last 12
    /// months or 4 quarters with the default year of look-back.
    pub fn periods_to_open(&self, kind: DisclosureKind, now: DateTime<Utc>) -> Vec<Period> {
        let since = now - Duration::days(i64::from(self.look_back_days));
        Period::ended_since(kind.cadence(), now, since)
    }

    pub fn grace(&self) -> Duration {
        Duration::days(i64::from(self.letter_grace_days))
    }

    pub fn answer_due(&self, asked_at: DateTime<Utc>) -> DateTime<Utc> {
        asked_at + Duration::days(i64::from(self.answer_days))
    }
}

/// Where an obligation stands with its letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Obligation {
    pub due_at: DateTime<Utc>,
    pub fulfilled_at: Option<DateTime<Utc>>,
    pub reminder_at: Option<DateTime<Utc>>,
    pub warning_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
}

impl Obligation {
    /// The next letter the rule calls for at `now`, if any; a fulfilled obligation draws none, and
    /// escalation happens once.
    pub fn supervise(&self, now: DateTime<Utc>, grace: Duration) -> Option<Supervision> {
        if self.fulfilled_at.is_some() || now < self.due_at || self.escalated_at.is_some() {
            return None;
        }
        match (self.reminder_at, self.warning_at) {
            (None, None) => Some(Supervision::Send(Letter::Reminder)),
            (_, None) if now >= self.due_at + grace => Some(Supervision::Send(Letter::Warning)),
            (_, Some(warned)) if now >= warned + grace => Some(Supervision::Escalate),
            _ => None,
        }
    }

    /// Published by the due date (to the second): on time.
    pub fn on_time(&self) -> Option<bool> {
        self.fulfilled_at.map(|at| at <= self.due_at)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, d, 0, 0, 0).single().unwrap_or_default()
    }

    fn owed() -> Obligation {
        Obligation { due_at: day(10), fulfilled_at: None, reminder_at: None, warning_at: None, escalated_at: None }
    }

    #[test]
    fn a_missing_disclosure_draws_a_reminder_a_warning_then_escalation_once() {
        let grace = Duration::days(7);
        let o = owed();
        assert_eq!(o.supervise(day(9), grace), None, "not yet due");
        assert_eq!(o.supervise(day(10), grace), Some(Supervision::Send(Letter::Reminder)));
        let o = Obligation { reminder_at: Some(day(10)), ..o };
        assert_eq!(o.supervise(day(16), grace), None, "within the grace period");
        assert_eq!(o.supervise(day(17), grace), Some(Supervision::Send(Letter::Warning)));
        let o = Obligation { warning_at: Some(day(17)), ..o };
        assert_eq!(o.supervise(day(23), grace), None);
        assert_eq!(o.supervise(day(24), grace), Some(Supervision::Escalate));
        let o = Obligation { escalated_at: Some(day(24)), ..o };
        assert_eq!(o.supervise(day(31), grace), None, "escalated once");
    }

    #[test]
    fn a_published_disclosure_draws_nothing_and_is_on_time_only_by_its_due_date() {
        let o = Obligation { fulfilled_at: Some(day(10)), ..owed() };
        assert_eq!(o.supervise(day(20), Duration::days(7)), None);
        assert_eq!(o.on_time(), Some(true), "published at the due instant");
        let late = Obligation { fulfilled_at: Some(day(10) + Duration::seconds(1)), ..owed() };
        assert_eq!(late.on_time(), Some(false));
        assert_eq!(owed().on_time(), None);
    }

    #[test]
    fn the_due_day_follows_the_configured_days() {
        let rules = DisclosureRules { accounts_due_days: 20, ..DisclosureRules::default() };
        let Ok(q) = Period::starting(
            crate::disclosure::Cadence::Quarterly,
            chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default(),
        ) else {
            panic!("a quarter")
        };
        assert_eq!(rules.due_at(DisclosureKind::PropertyAccounts, &q), q.ends_at() + Duration::days(20));
        assert_eq!(rules.due_at(DisclosureKind::Minutes, &q), q.ends_at() + Duration::days(10));
    }

    #[test]
    fn a_round_opens_every_period_ended_within_the_look_back_newest_first() {
        // 2027-03-02 in China: January and February have ended; with a year of look-back, the twelve
        // months back to March 2026 and the four quarters back to 2026 Q1; with none, only the last.
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2027, 3, 2, 0, 0, 0).single().unwrap_or_default();
        let starts = |kind, rules: &DisclosureRules| -> Vec<String> {
            rules.periods_to_open(kind, now).iter().map(|p| p.start().to_string()).collect()
        };
        let year = DisclosureRules::default();
        let months = starts(DisclosureKind::Minutes, &year);
        assert_eq!(months.len(), 12, "{months:?}");
        assert_eq!((months[0].as_str(), months[1].as_str()), ("2027-02-01", "2027-01-01"));
        assert_eq!(months[11], "2026-03-01");
        assert_eq!(
            starts(DisclosureKind::PropertyAccounts, &year),
            ["2026-10-01", "2026-07-01", "2026-04-01", "2026-01-01"]
        );
        let none = DisclosureRules { look_back_days: 0, ..year };
        assert_eq!(starts(DisclosureKind::Minutes, &none), ["2027-02-01"], "the last ended period, always");
        let two_months = DisclosureRules { look_back_days: 40, ..year };
        assert_eq!(starts(DisclosureKind::Minutes, &two_months), ["2027-02-01", "2027-01-01"]);
    }
}

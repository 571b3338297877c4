//! The period every accountability figure is kept for: a calendar quarter in China time (the seeds'
//! 季度测评 and quarterly 双晒 run by the calendar of the place, UTC+8).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};

use super::AccountabilityError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    year: i32,
    /// 1–4.
    number: u8,
}

/// UTC+8; `east_opt` refuses only offsets beyond a day.
fn china() -> FixedOffset {
    const EIGHT_HOURS: i32 = 8 * 3600;
    FixedOffset::east_opt(EIGHT_HOURS).unwrap_or_else(|| unreachable!("eight hours is a valid offset"))
}

impl Quarter {
    /// `2026Q4` (or `2026-Q4`, any case).
    pub fn parse(code: &str) -> Result<Self, AccountabilityError> {
        let bad = || AccountabilityError::QuarterFormat { given: code.to_owned() };
        let upper = code.trim().to_ascii_uppercase().replace('-', "");
        let (year, number) = upper.split_once('Q').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let number: u8 = number.parse().map_err(|_| bad())?;
        if !(2000..=2200).contains(&year) || !(1..=4).contains(&number) {
            return Err(bad());
        }
        Ok(Quarter { year, number })
    }

    /// The quarter an instant falls in, by the calendar in China.
    pub fn of(at: DateTime<Utc>) -> Self {
        let local = at.with_timezone(&china());
        Quarter { year: local.year(), number: (local.month0() / 3 + 1) as u8 }
    }

    pub fn code(self) -> String {
        format!("{}Q{}", self.year, self.number)
    }

    pub fn previous(self) -> Self {
        if self.number == 1 {
            Quarter { year: self.year - 1, number: 4 }
        } else {
            Quarter { year: self.year, number: self.number - 1 }
        }
    }

    pub fn next(self) -> Self {
        if self.number == 4 {
            Quarter { year: self.year + 1, number: 1 }
        } else {
            Quarter { year: self.year, number: self.number + 1 }
        }
    }

    /// The first instant of the quarter (00:00 China time on its first day).
    pub fn starts_at(self) -> DateTime<Utc> {
        let month = u32::from(self.number - 1) * 3 + 1;
        let day = NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or_default();
        let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        china().from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    /// The first instant after the quarter.
    pub fn ends_at(self) -> DateTime<Utc> {
        self.next().starts_at()
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

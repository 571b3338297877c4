//! Published records are append-only (DOMAIN.md; seed 003 准时予以公开): the first version of a period is
//! published once, and every later one is a correction with its stated reason, made against the latest
//! version (so two correctors cannot silently overwrite each other), and it must change something.

use chrono::{DateTime, Utc};

use super::DisclosureError;
use super::content::Body;
use super::diff::diff;
use super::period::Period;
use crate::person::bounded_text;

/// What a new version is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Publication {
    First,
    Correction { reason: String },
}

/// The first version of a period: only once, and only for a period that has ended.
pub fn check_first(latest: Option<i32>, period: &Period, now: DateTime<Utc>) -> Result<Publication, DisclosureError> {
    if latest.is_some() {
        return Err(DisclosureError::AlreadyPublished);
    }
    if !period.has_ended(now) {
        return Err(DisclosureError::PeriodNotEnded { ends_at: period.ends_at() });
    }
    Ok(Publication::First)
}

/// A correction of `latest` (its number and body), made by someone who read version `against`.
pub fn check_correction(
    latest: Option<(i32, &Body)>,
    against: i32,
    reason: &str,
    body: &Body,
) -> Result<Publication, DisclosureError> {
    let Some((number, previous)) = latest else { return Err(DisclosureError::NothingToCorrect) };
    let reason = match bounded_text("reason", reason, 500) {
        Ok(reason) => reason,
        Err(crate::Invalid::Required { .. }) => return Err(DisclosureError::CorrectionReason),
        Err(other) => return Err(other.into()),
    };
    if against != number {
        return Err(DisclosureError::StaleVersion { latest: number });
    }
    if diff(previous, body).is_empty() {
        return Err(DisclosureError::NothingChanged);
    }
    Ok(Publication::Correction { reason })
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;
    use crate::disclosure::content::Totals;
    use crate::disclosure::kind::Cadence;

    fn body(summary: &str) -> Body {
        Body { summary: summary.into(), lines: vec![], totals: Totals::default(), attachments: vec![] }
    }

    fn q3() -> Period {
        Period::starting(Cadence::Quarterly, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default())
            .unwrap_or_else(|_| panic!("a quarter"))
    }

    #[test]
    fn a_period_is_published_once_and_only_once_it_has_ended() {
        let after = Utc.with_ymd_and_hms(2026, 10, 2, 0, 0, 0).single().unwrap_or_default();
        assert_eq!(check_first(None, &q3(), after), Ok(Publication::First));
        assert_eq!(check_first(Some(1), &q3(), after), Err(DisclosureError::AlreadyPublished));
        let during = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).single().unwrap_or_default();
        assert!(matches!(check_first(None, &q3(), during), Err(DisclosureError::PeriodNotEnded { .. })));
    }

    #[test]
    fn a_correction_needs_a_reason_the_latest_version_and_a_change() {
        let v1 = body("一");
        let v2 = body("二");
        assert_eq!(check_correction(None, 1, "r", &v2), Err(DisclosureError::NothingToCorrect));
        assert_eq!(check_correction(Some((1, &v1)), 1, "  ", &v2), Err(DisclosureError::CorrectionReason));
        assert_eq!(check_correction(Some((2, &v1)), 1, "r", &v2), Err(DisclosureError::StaleVersion { latest: 2 }));
        assert_eq!(check_correction(Some((1, &v1)), 1, "r", &v1), Err(DisclosureError::NothingChanged));
        assert_eq!(
            check_correction(Some((1, &v1)), 1, " 停车费少计 ", &v2),
            Ok(Publication::Correction { reason: "停车费少计".into() })
        );
    }
}

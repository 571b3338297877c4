//! A person's copy of their own data (个人信息查阅、复制, PIPL art. 45; decisions 143–145): requested by
//! the person, built into one archive, downloaded through a signed link that expires.

use chrono::{DateTime, Utc};

use crate::Denied;
use crate::ids::{DataExportId, PersonId};
use crate::policy::Actor;

/// PIPL art. 45 gives the right to the person whose data it is: nobody exports another's, whatever their
/// role. Staff who must answer for a resident (a court order, say) read the records through their own
/// audited reads, not as the person.
pub fn authorize_export(actor: &Actor, person: PersonId) -> Result<(), Denied> {
    if actor.person == person { Ok(()) } else { Err(Denied::Forbidden) }
}

/// Where an export stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportStatus {
    /// Asked for; the archive is being built.
    Requested,
    /// Built and stored under `key`.
    Ready { at: DateTime<Utc>, key: String, size_bytes: u64 },
}

impl ExportStatus {
    pub const fn code(&self) -> &'static str {
        match self {
            ExportStatus::Requested => "requested",
            ExportStatus::Ready { .. } => "ready",
        }
    }
}

/// Why a transition was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExportRefusal {
    #[error("the export is already built")]
    AlreadyReady,
    /// The person exported within the last interval (decision 139); they may ask again after this long.
    #[error("one export a day; again in {retry_after_seconds} s")]
    TooSoon { retry_after_seconds: u64 },
}

/// At most one export per person in this span (decision 139): building one reads every record of the
/// person, and a copy a day is what the right to one needs. A refused request writes nothing.
pub fn export_interval() -> chrono::Duration {
    chrono::Duration::hours(24)
}

/// Archives built before this instant are deleted (decision 148): a copy is for taking, not for keeping
/// on the platform. `None` (0 days) keeps them.
pub fn archive_cutoff(now: DateTime<Utc>, export_days: u32) -> Option<DateTime<Utc>> {
    (export_days > 0).then(|| now - chrono::Duration::days(i64::from(export_days)))
}

/// Whether a person whose last export was asked for at `last` may ask again `now`.
pub fn may_request_export(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<(), ExportRefusal> {
    match last.map(|last| last + export_interval()) {
        Some(next) if now < next => {
            let seconds = (next - now).num_seconds().max(1);
            Err(ExportRefusal::TooSoon { retry_after_seconds: u64::try_from(seconds).unwrap_or(1) })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod interval_tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::{ExportRefusal, may_request_export};

    #[test]
    fn a_second_export_waits_a_day_from_the_first_to_the_second() {
        let first = Utc.with_ymd_and_hms(2026, 12, 8, 9, 0, 0).single().unwrap_or_default();
        assert_eq!(may_request_export(None, first), Ok(()));
        let almost = first + Duration::hours(24) - Duration::seconds(1);
        assert_eq!(may_request_export(Some(first), almost), Err(ExportRefusal::TooSoon { retry_after_seconds: 1 }));
        assert_eq!(may_request_export(Some(first), first + Duration::hours(24)), Ok(()));
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataExport {
    pub id: DataExportId,
    pub person: PersonId,
    pub requested_at: DateTime<Utc>,
    pub status: ExportStatus,
}

impl DataExport {
    pub fn requested(id: DataExportId, person: PersonId, at: DateTime<Utc>) -> Self {
        Self { id, person, requested_at: at, status: ExportStatus::Requested }
    }

    /// The archive is stored: the export is ready, once.
    pub fn ready(self, at: DateTime<Utc>, key: String, size_bytes: u64) -> Result<Self, ExportRefusal> {
        match self.status {
            ExportStatus::Requested => Ok(Self { status: ExportStatus::Ready { at, key, size_bytes }, ..self }),
            ExportStatus::Ready { .. } => Err(ExportRefusal::AlreadyReady),
        }
    }

    /// The storage key the archive of `id` is kept under. The `exports/` prefix is how the file route knows
    /// a download of it is to be audited (decision 145).
    pub fn key_of(id: DataExportId) -> String {
        format!("{}{id}.zip", Self::KEY_PREFIX)
    }

    pub const KEY_PREFIX: &'static str = "exports/";
}

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

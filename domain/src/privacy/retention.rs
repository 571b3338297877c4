//! How long the access log and phone numbers are kept (decision 146). PIPL art. 19: no longer than the
//! purpose needs. The access log serves the person asking who looked at their data and the city answering
//! for it; a phone number serves reaching a resident, so it is kept while the person holds a role and for a
//! grace period after their last one ends (moved out, sold the flat), then erased.

use chrono::{DateTime, Duration, Utc};

/// Days to keep each; 0 keeps forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub access_log_days: u32,
    pub phone_days: u32,
}

impl Default for Retention {
    /// Three years of the log (the limitation period of a civil claim, 民法典 art. 188), and 180 days of a
    /// phone number after the last role ends.
    fn default() -> Self {
        Self { access_log_days: 1095, phone_days: 180 }
    }
}

impl Retention {
    /// Access-log rows from before this instant are purged; `None` keeps them all.
    pub fn access_log_cutoff(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        cutoff(now, self.access_log_days)
    }

    /// A phone number whose holder's last role ended (or who never held one and was recorded) before this
    /// instant is erased; `None` keeps them all.
    pub fn phone_cutoff(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        cutoff(now, self.phone_days)
    }
}

fn cutoff(now: DateTime<Utc>, days: u32) -> Option<DateTime<Utc>> {
    (days > 0).then(|| now - Duration::days(i64::from(days)))
}

/// Whether a person's phone number is past keeping: they hold no live role, and the last of their roles ended
/// (or, with none ever held, they were recorded) before the cutoff.
pub fn phone_expired(
    live_roles: bool,
    last_role_ended: Option<DateTime<Utc>>,
    recorded_at: DateTime<Utc>,
    cutoff: DateTime<Utc>,
) -> bool {
    !live_roles && last_role_ended.unwrap_or(recorded_at) < cutoff
}

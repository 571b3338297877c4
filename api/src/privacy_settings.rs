//! `[privacy]` (`GONGZHI_PRIVACY__…`): how long the access log and phone numbers are kept (decision 146).
//! PIPL art. 19 leaves "as long as the purpose needs" to the handler, so the city says; 0 keeps forever.

use gongzhi_domain::privacy::retention::Retention;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct PrivacySettings {
    /// Days an access-log row is kept.
    pub access_log_days: u32,
    /// Days a phone number is kept after its holder's last role ends.
    pub phone_days: u32,
    /// Days an export's archive is kept after it was built, then deleted with its row (decision 148).
    pub export_days: u32,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        let retention = Retention::default();
        Self { access_log_days: retention.access_log_days, phone_days: retention.phone_days, export_days: 7 }
    }
}

impl PrivacySettings {
    pub const fn retention(&self) -> Retention {
        Retention { access_log_days: self.access_log_days, phone_days: self.phone_days }
    }
}

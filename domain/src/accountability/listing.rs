//! The warning list (警示名单) and the blacklist (黑名单) with due process (seed 001: 对服务质量差、
//! 多次被发提示函警示函的物业企业列入警示名单; 情节严重的经告知、申辩后列入黑名单并向社会公示).
//!
//! A quarter's computation lists a company whose score falls below the threshold or which received too
//! many letters in the last twelve months. A district officer may then give notice that it will be
//! blacklisted; the company may appeal within the window; after the window the officer blacklists it,
//! answering the appeal if one was lodged. A warning listing is lifted after two quarters in a row in
//! good standing; a blacklisting after its stated period, if the company is then in good standing.
//! Every change is kept (history), and the listing with its reasons is public.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::AccountabilityError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingRules {
    /// A quarter's score below this (hundredths) lists the company.
    pub score_below_centi: i64,
    /// This many letters (either kind) in the last twelve months list the company.
    pub letters_in_year: u32,
    pub appeal_days: i64,
    pub blacklist_days: i64,
    /// Quarters in a row in good standing that lift a warning listing.
    pub good_quarters_to_lift: u32,
}

impl Default for ListingRules {
    fn default() -> Self {
        ListingRules {
            score_below_centi: 6_000,
            letters_in_year: 3,
            appeal_days: 15,
            blacklist_days: 365,
            good_quarters_to_lift: 2,
        }
    }
}

/// Why a company was listed, as figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum Reason {
    Score { score_centi: i64, threshold_centi: i64 },
    Letters { letters: u32, threshold: u32 },
}

/// The reasons a quarter's figures give for listing; empty when the company is in good standing.
pub fn reasons(score_centi: Option<i64>, letters_in_year: u32, rules: &ListingRules) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if let Some(score) = score_centi.filter(|s| *s < rules.score_below_centi) {
        reasons.push(Reason::Score { score_centi: score, threshold_centi: rules.score_below_centi });
    }
    if letters_in_year >= rules.letters_in_year {
        reasons.push(Reason::Letters { letters: letters_in_year, threshold: rules.letters_in_year });
    }
    reasons
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// On the warning list.
    Warned,
    /// Told it will be blacklisted; may appeal until `appeal_until`.
    Noticed {
        appeal_until: DateTime<Utc>,
    },
    Blacklisted {
        until: DateTime<Utc>,
    },
    /// Off the list; kept as history.
    Lifted {
        at: DateTime<Utc>,
    },
}

impl Status {
    pub const fn code(&self) -> &'static str {
        match self {
            Status::Warned => "warned",
            Status::Noticed { .. } => "noticed",
            Status::Blacklisted { .. } => "blacklisted",
            Status::Lifted { .. } => "lifted",
        }
    }

    pub const fn is_blacklisted(&self) -> bool {
        matches!(self, Status::Blacklisted { .. })
    }

    fn wrong(&self) -> AccountabilityError {
        AccountabilityError::ListingState { state: self.code() }
    }

    /// A district officer's notice of blacklisting, which opens the appeal window.
    pub fn give_notice(self, now: DateTime<Utc>, rules: &ListingRules) -> Result<Status, AccountabilityError> {
        match self {
            Status::Warned => Ok(Status::Noticed { appeal_until: now + Duration::days(rules.appeal_days) }),
            other => Err(other.wrong()),
        }
    }

    /// The company's appeal (申辩), only inside the window.
    pub fn check_appeal(self, now: DateTime<Utc>) -> Result<(), AccountabilityError> {
        match self {
            Status::Noticed { appeal_until } if now < appeal_until => Ok(()),
            Status::Noticed { .. } => Err(AccountabilityError::AppealWindowClosed),
            other => Err(other.wrong()),
        }
    }

    /// Blacklisting, only after the window, and answering the appeal if one was lodged.
    pub fn blacklist(
        self,
        now: DateTime<Utc>,
        appealed: bool,
        answered: bool,
        rules: &ListingRules,
    ) -> Result<Status, AccountabilityError> {
        match self {
            Status::Noticed { appeal_until } if now < appeal_until => Err(AccountabilityError::AppealWindowOpen),
            Status::Noticed { .. } if appealed && !answered => Err(AccountabilityError::AppealUnanswered),
            Status::Noticed { .. } => Ok(Status::Blacklisted { until: now + Duration::days(rules.blacklist_days) }),
            other => Err(other.wrong()),
        }
    }

    /// After a quarter's computation: whether the listing is lifted, given the quarters in a row the
    /// company has now been in good standing.
    pub fn after_quarter(self, now: DateTime<Utc>, good_quarters: u32, rules: &ListingRules) -> Status {
        match self {
            Status::Warned | Status::Noticed { .. } if good_quarters >= rules.good_quarters_to_lift => {
                Status::Lifted { at: now }
            }
            Status::Blacklisted { until } if now >= until && good_quarters >= 1 => Status::Lifted { at: now },
            other => other,
        }
    }
}

/// Seed 001: a blacklisted company may not be given a compound it does not serve already.
pub fn may_contract(blacklisted: bool, serves_already: bool) -> Result<(), AccountabilityError> {
    if blacklisted && !serves_already { Err(AccountabilityError::CompanyBlacklisted) } else { Ok(()) }
}

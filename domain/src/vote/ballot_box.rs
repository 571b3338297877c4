//! The rules of a vote as it runs, apart from the counting: what kind it is, when it is open, when its
//! results may be seen, and why a ballot is refused.

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::Invalid;
use crate::vote::{MandateRefusal, OwnersMatter};

/// The three kinds of vote DOMAIN.md names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteKind {
    /// Among the parties invited to a meeting: simple majority of votes cast, with a quorum of invitees.
    Meeting,
    /// Residents' consultation: one ballot per household, majority of participants.
    Household,
    /// Owners' statutory vote (art. 278) on a matter of the given item.
    Owners(OwnersMatter),
}

impl VoteKind {
    pub const fn code(self) -> &'static str {
        match self {
            VoteKind::Meeting => "meeting",
            VoteKind::Household => "household",
            VoteKind::Owners(_) => "owners",
        }
    }

    pub fn parse(code: &str, matter: Option<&str>) -> Result<Self, Invalid> {
        match (code, matter) {
            ("meeting", _) => Ok(VoteKind::Meeting),
            ("household", _) => Ok(VoteKind::Household),
            ("owners", Some(matter)) => Ok(VoteKind::Owners(OwnersMatter::parse(matter)?)),
            (other, _) => Err(Invalid::UnknownValue { field: "kind", given: other.to_owned() }),
        }
    }
}

/// Why a ballot or a vote was refused as things stand (data the client switches on, not a fault).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BallotRefusal {
    #[error("the vote opens at {opens_at}")]
    NotYetOpen { opens_at: DateTime<Utc> },
    #[error("the vote closed at {closed_at}")]
    Closed { closed_at: DateTime<Utc> },
    #[error("the vote must close after it opens, and in the future")]
    Window,
    /// Ballots have been cast: how the vote is run (its secrecy) can no longer change.
    #[error("ballots have been cast; the vote's secrecy is fixed")]
    BallotsCast,
    /// A proxy's ballot, or a mandate given or revoked, refused under the mandate rules.
    #[error(transparent)]
    Mandate(#[from] MandateRefusal),
}

/// When ballots are taken: from `opens_at` inclusive to `closes_at` exclusive. Until the close a ballot
/// may be changed, and the last one counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteWindow {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

impl VoteWindow {
    pub fn new(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Self, BallotRefusal> {
        if closes_at <= opens_at || closes_at <= now {
            return Err(BallotRefusal::Window);
        }
        Ok(Self { opens_at, closes_at })
    }

    pub fn check_open(&self, now: DateTime<Utc>) -> Result<(), BallotRefusal> {
        if now < self.opens_at {
            Err(BallotRefusal::NotYetOpen { opens_at: self.opens_at })
        } else if now >= self.closes_at {
            Err(BallotRefusal::Closed { closed_at: self.closes_at })
        } else {
            Ok(())
        }
    }

    pub fn is_closed(&self, now: DateTime<Utc>) -> bool {
        now >= self.closes_at
    }

    /// Hidden results stay hidden from everyone until the close, so early counts cannot sway later voters.
    pub fn results_visible(&self, hide_until_close: bool, now: DateTime<Utc>) -> bool {
        !hide_until_close || self.is_closed(now)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, hour, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn a_vote_is_open_from_its_opening_until_just_before_its_close() {
        let window = VoteWindow::new(at(8), at(20), at(7));
        let Ok(window) = window else { panic!("valid window") };
        assert_eq!(window.check_open(at(7)), Err(BallotRefusal::NotYetOpen { opens_at: at(8) }));
        assert_eq!(window.check_open(at(8)), Ok(()));
        assert_eq!(window.check_open(at(20) - Duration::seconds(1)), Ok(()));
        assert_eq!(window.check_open(at(20)), Err(BallotRefusal::Closed { closed_at: at(20) }));
    }

    #[test]
    fn a_window_must_close_after_it_opens_and_in_the_future() {
        assert_eq!(VoteWindow::new(at(9), at(9), at(7)), Err(BallotRefusal::Window));
        assert_eq!(VoteWindow::new(at(5), at(6), at(7)), Err(BallotRefusal::Window));
    }

    #[test]
    fn hidden_results_appear_only_at_the_close() {
        let Ok(window) = VoteWindow::new(at(8), at(20), at(7)) else { panic!("valid window") };
        assert!(!window.results_visible(true, at(19)));
        assert!(window.results_visible(true, at(20)));
        assert!(window.results_visible(false, at(9)));
    }
}

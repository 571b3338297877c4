//! 委托: the authority under which someone casts an owner's ballot. DOMAIN.md ("Deliberate"): "Proxies only
//! with a mandate the owner gave for that vote (or a signed paper mandate on file); the owner's own ballot
//! overrides the proxy's; the party whose conduct is voted on may not hold mandates." The rules here are
//! recorded as decision 49 in docs/decisions.md.

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use crate::Invalid;
use crate::ids::{MandateId, PersonId, PlaceId, VoteId};
use crate::role::Grant;
use crate::topic::Party;
use crate::vote::OwnersMatter;

/// Why a mandate could not be given, used or revoked: business outcomes the client shows, not faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MandateRefusal {
    /// No mandate of this owner to this proxy covers this vote.
    #[error("no mandate of the owner to this proxy covers this vote")]
    NoMandate,
    /// The mandate was revoked by the owner.
    #[error("the owner revoked this mandate")]
    Revoked,
    /// The proxy serves the property company of the compound, or belongs to the party the vote is about.
    #[error("this person may not hold a mandate for this vote")]
    ProxyNotAllowed,
    /// The proxy already holds as many mandates for this vote as one proxy may.
    #[error("the proxy already holds {cap} mandates for this vote")]
    ProxyCapReached { cap: u32 },
    /// The owner voted themselves (in person or on paper): a proxy's ballot cannot replace theirs.
    #[error("the owner voted themselves; a proxy cannot replace that ballot")]
    OwnerVoted,
    /// The proxy has voted under the mandate in a vote still open: the owner overrides by voting.
    #[error("the proxy has voted under this mandate; vote yourself to override it")]
    MandateUsed,
}

impl MandateRefusal {
    /// The stable code clients switch on.
    pub const fn code(self) -> &'static str {
        match self {
            MandateRefusal::NoMandate => "no_mandate",
            MandateRefusal::Revoked => "mandate_revoked",
            MandateRefusal::ProxyNotAllowed => "proxy_not_allowed",
            MandateRefusal::ProxyCapReached { .. } => "proxy_cap_reached",
            MandateRefusal::OwnerVoted => "owner_voted",
            MandateRefusal::MandateUsed => "mandate_used",
        }
    }
}

/// What a mandate covers: one owners' vote, or every owners' vote of the owner's compound while a stated
/// period runs (a ballot cast from `from` inclusive to `until` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MandateScope {
    Vote(VoteId),
    Period(MandateTerm),
}

/// The period of a standing mandate, in the owner's compound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MandateTerm {
    pub compound: PlaceId,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl MandateTerm {
    /// A standing mandate lasts at most this long: an owners' assembly's term is usually five years, but a
    /// proxy for everything an owner may decide, unrenewed, is not what anyone signs for longer than a year.
    pub const LONGEST: Duration = Duration::days(366);

    /// Refuses a period that is empty, already over, or longer than [`Self::LONGEST`].
    pub fn new(
        compound: PlaceId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, Invalid> {
        if until <= from || until <= now || until - from > Self::LONGEST {
            return Err(Invalid::UnknownValue { field: "validUntil", given: until.to_rfc3339() });
        }
        Ok(Self { compound, from, until })
    }
}

/// How the mandate reached the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MandateSource {
    /// The owner gave it in the app, logged in as themselves.
    App,
    /// Staff recorded a signed paper mandate: the scan's upload key and who entered it.
    Paper { scan: String, entered_by: PersonId },
}

/// A mandate as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mandate {
    pub id: MandateId,
    pub owner: PersonId,
    pub proxy: PersonId,
    pub scope: MandateScope,
    pub source: MandateSource,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Mandate {
    /// Whether the mandate lets its proxy cast the owner's ballot in `vote` (of `compound`) at `now`.
    pub fn covers(&self, vote: VoteId, compound: PlaceId, now: DateTime<Utc>) -> Result<(), MandateRefusal> {
        let in_scope = match self.scope {
            MandateScope::Vote(id) => id == vote,
            MandateScope::Period(term) => term.compound == compound && term.from <= now && now < term.until,
        };
        if !in_scope {
            return Err(MandateRefusal::NoMandate);
        }
        if self.revoked_at.is_some() {
            return Err(MandateRefusal::Revoked);
        }
        Ok(())
    }

    /// The owner revokes. `used_in_open_vote`: a ballot the proxy cast under it still stands in a vote not
    /// yet closed. A mandate for that one vote is then spent — the owner overrides by voting, and the
    /// record of what the proxy did stays whole. A standing mandate is revoked for every vote from now on
    /// (decision 181): the proxy's ballot, cast while it was live, stays counted and the proxy can no
    /// longer change it; refusing would keep the proxy empowered for the owner's next votes only because
    /// of this one.
    pub fn revoke(&mut self, used_in_open_vote: bool, now: DateTime<Utc>) -> Result<(), MandateRefusal> {
        if self.revoked_at.is_some() {
            return Err(MandateRefusal::Revoked);
        }
        if used_in_open_vote && matches!(self.scope, MandateScope::Vote(_)) {
            return Err(MandateRefusal::MandateUsed);
        }
        self.revoked_at = Some(now);
        Ok(())
    }
}

/// How many mandates one proxy may hold for one vote (a configured setting, at least one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyCap(u32);

impl ProxyCap {
    pub const DEFAULT: ProxyCap = ProxyCap(5);

    pub fn new(cap: u32) -> Result<Self, Invalid> {
        if cap == 0 {
            return Err(Invalid::UnknownValue { field: "proxy cap", given: "0".to_owned() });
        }
        Ok(Self(cap))
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    /// `held`: the other owners the proxy already holds mandates (or cast ballots) for in this vote.
    pub fn admits(self, held: u64) -> Result<(), MandateRefusal> {
        if held >= u64::from(self.0) { Err(MandateRefusal::ProxyCapReached { cap: self.0 }) } else { Ok(()) }
    }
}

impl Default for ProxyCap {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Whose conduct an owners' matter judges, so that party may not speak for other owners on it: replacing
/// the owners' committee's members (item 3) judges the committee; hiring or firing the property company
/// (item 4) judges the company. The other items decide the owners' own property and rules, and nobody's
/// conduct is on trial.
pub const fn subject_party(matter: OwnersMatter) -> Option<Party> {
    match matter {
        OwnersMatter::OwnersCommittee => Some(Party::OwnersCommittee),
        OwnersMatter::PropertyManager => Some(Party::PropertyCompany),
        _ => None,
    }
}

/// Whether a person with these live grants may hold a mandate in `compound` (for a vote on `matter`, when
/// the mandate is for one vote or is being used in one). Property staff and managers of the compound never
/// may — the company serves the owners and is paid by them, whatever the matter — nor members of the
/// party the vote is about.
pub fn may_hold(grants: &[Grant], compound: PlaceId, matter: Option<OwnersMatter>) -> Result<(), MandateRefusal> {
    let subject = matter.and_then(subject_party);
    let barred = grants.iter().filter(|grant| grant.place.is_within(compound)).any(|grant| {
        grant.role.is_property() || (subject == Some(Party::OwnersCommittee) && grant.role.is_owners_committee())
    });
    if barred { Err(MandateRefusal::ProxyNotAllowed) } else { Ok(()) }
}

#[cfg(test)]
#[path = "mandate_tests.rs"]
mod tests;

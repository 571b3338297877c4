//! Audited access (decision 140): every read that shows a person's data beyond what a neighbour sees is
//! recorded — who read, whose data, what kind, when, and why where a reason was asked. The person sees
//! who looked at their data; a city administrator queries the whole log.

use chrono::{DateTime, Utc};

use crate::ids::{PersonId, PlaceId};
use crate::place::PlaceKind;
use crate::policy::{Actor, authorize_delivery_operations};
use crate::role::Role;
use crate::{Denied, Invalid};

/// What was read. The code is stored; a new kind is a new code, never a changed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessKind {
    /// An owners' vote's ballot roll with the owners' names, read by an organiser (staff, the topic's leads)
    /// rather than by a neighbour after the close.
    BallotRoll,
    /// A household claim with its evidence (the note), read by staff reviewing it.
    ClaimEvidence,
    /// The register: likely duplicate people of a compound, with their phones, for staff to merge.
    Register,
    /// The person asked for a copy of their data.
    ExportRequested,
    /// The archive of their data was downloaded through its link.
    ExportDownloaded,
    /// A city administrator read who looked at the person's data.
    AccessLog,
}

impl AccessKind {
    pub const ALL: [AccessKind; 6] = [
        AccessKind::BallotRoll,
        AccessKind::ClaimEvidence,
        AccessKind::Register,
        AccessKind::ExportRequested,
        AccessKind::ExportDownloaded,
        AccessKind::AccessLog,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AccessKind::BallotRoll => "ballot_roll",
            AccessKind::ClaimEvidence => "claim_evidence",
            AccessKind::Register => "register",
            AccessKind::ExportRequested => "export_requested",
            AccessKind::ExportDownloaded => "export_downloaded",
            AccessKind::AccessLog => "access_log",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == code)
    }
}

/// One read of one person's data, as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub at: DateTime<Utc>,
    pub actor: PersonId,
    pub subject: PersonId,
    pub kind: AccessKind,
    /// The vote, claim, compound or export read.
    pub reference: Option<uuid::Uuid>,
    pub reason: Option<String>,
}

/// The administrator's filter: any of person (whose data), actor (who read) and period `[from, until)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessFilter {
    pub subject: Option<PersonId>,
    pub actor: Option<PersonId>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// A reason given for reading the log: required, since reading it is itself a read of personal data
/// (who looked at whom), and at most 500 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessReason(String);

impl AccessReason {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        crate::person::bounded_text("reason", text, Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person reads who looked at their own data, and only their own: there is no asking for someone else's.
pub fn authorize_own_accesses(actor: &Actor, subject: PersonId) -> Result<(), Denied> {
    if actor.person == subject { Ok(()) } else { Err(Denied::Forbidden) }
}

/// The whole log is the city's: the same people who keep its message plumbing (city administrators), who
/// answer for the platform's handling of personal data. Staff of a community, officers and residents are
/// refused.
pub fn authorize_access_log(actor: &Actor) -> Result<(), Denied> {
    authorize_delivery_operations(actor)
}

/// The cities whose people a city administrator reads the log of (decision 138): the cities they
/// administer, and no other. A person is of a city when they hold (or held) a role at a place in it.
pub fn access_log_cities(actor: &Actor) -> Vec<PlaceId> {
    let mut cities: Vec<PlaceId> = actor
        .grants
        .iter()
        .filter(|grant| grant.role == Role::CityAdministrator)
        .filter_map(|grant| grant.place.at(PlaceKind::City))
        .collect();
    cities.sort();
    cities.dedup();
    cities
}

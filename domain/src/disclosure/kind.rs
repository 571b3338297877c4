//! The three disclosures (三个公开), seed 003 (天津, "建立健全三个公开工作制度"): the joint meeting's minutes
//! (联席会议制度公开), the property company's services and accounts (物业服务和账务公开; seed 002 calls it
//! 双晒: 晒服务、晒收支), and the owners' committee's work and funds (业主委员会工作公开).

use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::place::PlaceKind;
use crate::topic::Party;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureKind {
    /// 联席会议纪要: seed 003 — the residents' committee holds the joint meeting every month and makes its
    /// minutes public in time (形成会议纪要和通报,准时予以公开).
    Minutes,
    /// 双晒: seed 002 (晒服务、晒收支) and seed 003 (物业服务和账务公开): services delivered against the contract,
    /// and income and expenses, property fees, parking and shared income (公共收益) included.
    PropertyAccounts,
    /// 业主委员会工作公开: seed 003 — the committee's working funds and what it decided (工作经费、议定事项),
    /// with the maintenance fund's use (维修资金, seed 002/003).
    CommitteeFunds,
}

/// How often a disclosure falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Seed 003: the joint meeting is monthly (每月要主持召开), so are its minutes.
    Monthly,
    /// Seed 002/001: accounts and the committee's report each quarter (quarterly checks, 季度).
    Quarterly,
}

impl DisclosureKind {
    pub const ALL: [DisclosureKind; 3] =
        [DisclosureKind::Minutes, DisclosureKind::PropertyAccounts, DisclosureKind::CommitteeFunds];

    pub const fn as_str(self) -> &'static str {
        match self {
            DisclosureKind::Minutes => "minutes",
            DisclosureKind::PropertyAccounts => "property_accounts",
            DisclosureKind::CommitteeFunds => "committee_funds",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == code)
            .ok_or_else(|| Invalid::UnknownValue { field: "kind", given: code.to_owned() })
    }

    /// Where it is published: minutes for the community whose joint meeting it is, the others for a compound.
    pub const fn place_kind(self) -> PlaceKind {
        match self {
            DisclosureKind::Minutes => PlaceKind::Community,
            DisclosureKind::PropertyAccounts | DisclosureKind::CommitteeFunds => PlaceKind::Compound,
        }
    }

    /// The party that owes it (seed 003 names each): the residents' committee for the minutes, the property
    /// company for 双晒, the owners' committee (or the residents' committee acting for it, 代行, seed 000) for
    /// its own work.
    pub const fn owed_by(self) -> Party {
        match self {
            DisclosureKind::Minutes => Party::ResidentsCommittee,
            DisclosureKind::PropertyAccounts => Party::PropertyCompany,
            DisclosureKind::CommitteeFunds => Party::OwnersCommittee,
        }
    }

    pub const fn cadence(self) -> Cadence {
        match self {
            DisclosureKind::Minutes => Cadence::Monthly,
            DisclosureKind::PropertyAccounts | DisclosureKind::CommitteeFunds => Cadence::Quarterly,
        }
    }

    /// Whether its lines carry money, with totals that must add up.
    pub const fn has_accounts(self) -> bool {
        !matches!(self, DisclosureKind::Minutes)
    }
}

//! Rows of `disclosures` read back into what the rest of the crate and the API use.

use chrono::{DateTime, Utc};
use gongzhi_domain::disclosure::{Body, DisclosureKind, Link, Period, StoredLink};
use gongzhi_domain::ids::{CompanyId, DisclosureId, PersonId, PlaceId};
use sea_orm::DbErr;

use crate::entities::disclosure;
use crate::rows::corrupt;

/// One published version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub id: DisclosureId,
    pub place: PlaceId,
    pub kind: DisclosureKind,
    pub period: Period,
    pub version: i32,
    pub chain_seq: i64,
    pub publisher_party: String,
    pub company: Option<CompanyId>,
    pub published_by: PersonId,
    pub published_at: DateTime<Utc>,
    /// Why this version corrects the one before; `None` on the first.
    pub reason: Option<String>,
    pub body: Body,
    pub previous_hash: String,
    pub content_hash: String,
}

pub(crate) fn body_of(row: &disclosure::Model) -> Option<Body> {
    serde_json::from_str(&row.content).ok()
}

pub(crate) fn version_of(row: disclosure::Model) -> Result<Version, DbErr> {
    let kind = DisclosureKind::parse(&row.kind).map_err(|_| corrupt("disclosure", row.id))?;
    let period = Period::starting(kind.cadence(), row.period_start).map_err(|_| corrupt("disclosure", row.id))?;
    let body = body_of(&row).ok_or_else(|| corrupt("disclosure", row.id))?;
    Ok(Version {
        id: DisclosureId::from_uuid(row.id),
        place: PlaceId::from_uuid(row.place_id),
        kind,
        period,
        version: row.version,
        chain_seq: row.chain_seq,
        publisher_party: row.publisher_party,
        company: row.company_id.map(CompanyId::from_uuid),
        published_by: PersonId::from_uuid(row.published_by),
        published_at: row.published_at,
        reason: row.reason,
        body,
        previous_hash: row.previous_hash,
        content_hash: row.content_hash,
    })
}

/// What the row's columns hash to now, as verification sees them.
pub(crate) fn stored_link(row: &disclosure::Model) -> StoredLink {
    let recomputed = body_of(row).and_then(|body| {
        let kind = DisclosureKind::parse(&row.kind).ok()?;
        Some(link_of(row, kind, &body).hash())
    });
    StoredLink {
        id: row.id,
        chain_seq: row.chain_seq,
        previous_hash: row.previous_hash.clone(),
        content_hash: row.content_hash.clone(),
        recomputed,
    }
}

pub(crate) fn link_of<'a>(row: &'a disclosure::Model, kind: DisclosureKind, body: &'a Body) -> Link<'a> {
    Link {
        id: row.id,
        place: row.place_id,
        kind,
        period_start: row.period_start,
        period_end: row.period_end,
        version: row.version,
        chain_seq: row.chain_seq,
        publisher_party: &row.publisher_party,
        company: row.company_id,
        published_by: row.published_by,
        published_at: row.published_at,
        reason: row.reason.as_deref(),
        body,
        previous_hash: &row.previous_hash,
    }
}

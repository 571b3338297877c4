//! Reading disclosures: a place's versions, one version with the difference from its predecessor, and
//! the verification of a place's chain (or of every place's, for `gongzhi disclosures verify`).
//! Disclosures are public (居务公开): reading them asks no role.

use gongzhi_domain::disclosure::{BodyDiff, ChainVerdict, DisclosureKind, diff, verify};
use gongzhi_domain::ids::{DisclosureId, PlaceId};
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use tracing::instrument;

use super::row::{Version, stored_link, version_of};
use crate::entities::disclosure;
use crate::{Error, Result, Store};

/// A place's chain, as verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub place: PlaceId,
    pub verdict: ChainVerdict,
}

/// Versions read per round of a whole-database verification.
const BATCH: u64 = 1000;

impl Store {
    /// A place's versions, newest period first and each period's versions newest first; `kind` narrows.
    #[instrument(skip_all, err)]
    pub async fn disclosures_of(&self, place: PlaceId, kind: Option<DisclosureKind>) -> Result<Vec<Version>> {
        let mut query = disclosure::Entity::find().filter(disclosure::Column::PlaceId.eq(place.as_uuid()));
        if let Some(kind) = kind {
            query = query.filter(disclosure::Column::Kind.eq(kind.as_str()));
        }
        let rows = query
            .order_by_desc(disclosure::Column::PeriodStart)
            .order_by_asc(disclosure::Column::Kind)
            .order_by_desc(disclosure::Column::Version)
            .limit(500)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(version_of).collect::<Result<_, _>>()?)
    }

    #[instrument(skip_all, err)]
    pub async fn disclosure(&self, id: DisclosureId) -> Result<Version> {
        let row =
            disclosure::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("disclosure"))?;
        Ok(version_of(row)?)
    }

    /// The version before this one in its period (`None` for a first version).
    #[instrument(skip_all, err)]
    pub async fn previous_disclosure(&self, of: &Version) -> Result<Option<Version>> {
        if of.version <= 1 {
            return Ok(None);
        }
        let row = disclosure::Entity::find()
            .filter(disclosure::Column::PlaceId.eq(of.place.as_uuid()))
            .filter(disclosure::Column::Kind.eq(of.kind.as_str()))
            .filter(disclosure::Column::PeriodStart.eq(of.period.start()))
            .filter(disclosure::Column::Version.eq(of.version - 1))
            .one(&self.db)
            .await?;
        Ok(row.map(version_of).transpose()?)
    }

    /// What this version changed from the one before it; `None` for a first version.
    pub async fn disclosure_changes(&self, of: &Version) -> Result<Option<BodyDiff>> {
        Ok(self.previous_disclosure(of).await?.map(|previous| diff(&previous.body, &of.body)))
    }

    /// Recomputes every hash of the place's chain from the stored columns.
    #[instrument(skip_all, err)]
    pub async fn verify_disclosure_chain(&self, place: PlaceId) -> Result<ChainReport> {
        let rows = disclosure::Entity::find()
            .filter(disclosure::Column::PlaceId.eq(place.as_uuid()))
            .order_by_asc(disclosure::Column::ChainSeq)
            .all(&self.db)
            .await?;
        let links: Vec<_> = rows.iter().map(stored_link).collect();
        Ok(ChainReport { place, verdict: verify(&links) })
    }

    /// Every place's chain: the CLI's `disclosures verify`. Places are read a batch at a time.
    #[instrument(skip_all, err)]
    pub async fn verify_all_disclosure_chains(&self) -> Result<Vec<ChainReport>> {
        let mut reports = Vec::new();
        let mut after: Option<Uuid> = None;
        loop {
            let mut query = disclosure::Entity::find()
                .select_only()
                .column(disclosure::Column::PlaceId)
                .distinct()
                .order_by_asc(disclosure::Column::PlaceId)
                .limit(BATCH);
            if let Some(after) = after {
                query = query.filter(disclosure::Column::PlaceId.gt(after));
            }
            let places: Vec<Uuid> = query.into_tuple().all(&self.db).await?;
            let Some(last) = places.last().copied() else { break };
            for place in places {
                reports.push(self.verify_disclosure_chain(PlaceId::from_uuid(place)).await?);
            }
            after = Some(last);
        }
        Ok(reports)
    }
}

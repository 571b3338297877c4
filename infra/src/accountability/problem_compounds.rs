//! Problem compounds (decision 114): each quarter's complaint figures per compound of a city, the top-5 %
//! cut, and who stays listed, computed inside the quarter's transaction (`credit::compute_quarter`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::Quarter;
use gongzhi_domain::accountability::problem_compounds::{self, CompoundFigures, Standing};
use gongzhi_domain::ids::PlaceId;
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::prelude::*;

use super::sql::rows;
use crate::entities::problem_compound;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::topics::write::TopicWrite;
use crate::{Result, Store, new_id};

/// A compound's figures for a quarter, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemCompound {
    pub compound: PlaceId,
    pub city: PlaceId,
    pub quarter: Quarter,
    pub complaints: u64,
    pub households: u64,
    pub in_cut: bool,
    pub listed: bool,
    pub periods_below: u32,
}

fn of_row(row: problem_compound::Model) -> Result<ProblemCompound> {
    Ok(ProblemCompound {
        compound: PlaceId::from_uuid(row.compound_id),
        city: PlaceId::from_uuid(row.city_id),
        quarter: Quarter::parse(&row.quarter)?,
        complaints: u64::try_from(row.complaints).unwrap_or(0),
        households: u64::try_from(row.households).unwrap_or(0),
        in_cut: row.in_cut,
        listed: row.listed,
        periods_below: u32::try_from(row.periods_below).unwrap_or(0),
    })
}

fn count(row: &QueryResult, column: &str) -> Result<u64> {
    Ok(u64::try_from(row.try_get::<Option<i64>>("", column)?.unwrap_or(0)).unwrap_or(0))
}

/// Figures, cut and standing for every compound of the city; (compounds, listed).
pub(crate) async fn compute(
    txn: &TopicWrite,
    city: PlaceId,
    quarter: Quarter,
    now: DateTime<Utc>,
) -> Result<(usize, usize)> {
    let (start, end) = (quarter.starts_at(), quarter.ends_at());
    let households = rows(
        txn,
        "SELECT c.id AS compound, (SELECT COUNT(*) FROM places h WHERE h.compound_id = c.id AND h.kind = 'household') \
         AS households FROM places c WHERE c.city_id = $1 AND c.kind = 'compound'",
        vec![city.as_uuid().into()],
    )
    .await?;
    // Topics raised in the quarter, service requests among them; one merged into another is counted as
    // that other (merged_into set), so a duplicate adds nothing. A rectification plan's own topic is the
    // answer to complaints, not one (decision 118).
    let complaints = rows(
        txn,
        "SELECT t.compound_id AS compound, COUNT(*) AS complaints FROM topics t \
         WHERE t.compound_id IN (SELECT id FROM places WHERE city_id = $1 AND kind = 'compound') \
         AND t.submitted_at >= $2 AND t.submitted_at < $3 AND t.merged_into IS NULL \
         AND t.id NOT IN (SELECT r.topic_id FROM rectification_plans r WHERE r.topic_id IS NOT NULL) \
         GROUP BY t.compound_id",
        vec![city.as_uuid().into(), start.into(), end.into()],
    )
    .await?;
    let mut by_compound: BTreeMap<Uuid, u64> = BTreeMap::new();
    for row in &complaints {
        by_compound.insert(row.try_get("", "compound")?, count(row, "complaints")?);
    }
    let mut figures = Vec::with_capacity(households.len());
    for row in &households {
        let compound: Uuid = row.try_get("", "compound")?;
        figures.push(CompoundFigures {
            compound: PlaceId::from_uuid(compound),
            complaints: by_compound.get(&compound).copied().unwrap_or(0),
            households: count(row, "households")?,
        });
    }
    let cut: std::collections::BTreeSet<PlaceId> =
        problem_compounds::top_five_percent(&figures).into_iter().map(|f| f.compound).collect();
    let previous: BTreeMap<Uuid, Standing> = problem_compound::Entity::find()
        .filter(problem_compound::Column::CityId.eq(city.as_uuid()))
        .filter(problem_compound::Column::Quarter.eq(quarter.previous().code()))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| {
            (r.compound_id, Standing { listed: r.listed, periods_below: u32::try_from(r.periods_below).unwrap_or(0) })
        })
        .collect();
    problem_compound::Entity::delete_many()
        .filter(problem_compound::Column::CityId.eq(city.as_uuid()))
        .filter(problem_compound::Column::Quarter.eq(quarter.code()))
        .exec(txn)
        .await?;
    let mut listed = 0;
    let mut out = Vec::with_capacity(figures.len());
    for f in &figures {
        let before = previous.get(&f.compound.as_uuid()).copied().unwrap_or_default();
        let in_cut = cut.contains(&f.compound);
        let standing = problem_compounds::next_standing(before, in_cut);
        if standing.listed {
            listed += 1;
        }
        let event = match (before.listed, standing.listed) {
            (_, true) if in_cut => Some(WireEvent::ProblemCompoundListed {
                compound: f.compound.as_uuid(),
                quarter: quarter.code(),
                complaints: f.complaints,
                households: f.households,
            }),
            (true, false) => {
                Some(WireEvent::ProblemCompoundLeft { compound: f.compound.as_uuid(), quarter: quarter.code() })
            }
            _ => None,
        };
        if let Some(event) = event {
            crate::event_log::record(txn, NewEvent::new(event, now, Audience::Public).place(f.compound)).await?;
        }
        out.push(problem_compound::ActiveModel {
            id: Set(new_id()),
            city_id: Set(city.as_uuid()),
            compound_id: Set(f.compound.as_uuid()),
            quarter: Set(quarter.code()),
            complaints: Set(i64::try_from(f.complaints).unwrap_or(i64::MAX)),
            households: Set(i64::try_from(f.households).unwrap_or(i64::MAX)),
            in_cut: Set(in_cut),
            listed: Set(standing.listed),
            periods_below: Set(i32::try_from(standing.periods_below).unwrap_or(i32::MAX)),
            computed_at: Set(now),
        });
    }
    for chunk in out.chunks(500) {
        problem_compound::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    Ok((figures.len(), listed))
}

impl Store {
    /// The city's listed problem compounds for a quarter, worst first: public, with their figures.
    pub async fn problem_compounds(&self, city: PlaceId, quarter: Quarter) -> Result<Vec<ProblemCompound>> {
        let rows = problem_compound::Entity::find()
            .filter(problem_compound::Column::CityId.eq(city.as_uuid()))
            .filter(problem_compound::Column::Quarter.eq(quarter.code()))
            .filter(problem_compound::Column::Listed.eq(true))
            .order_by_desc(problem_compound::Column::Complaints)
            .all(&self.db)
            .await?;
        let mut listed: Vec<ProblemCompound> = rows.into_iter().map(of_row).collect::<Result<_>>()?;
        listed.sort_by(|a, b| {
            (u128::from(b.complaints) * u128::from(a.households.max(1)))
                .cmp(&(u128::from(a.complaints) * u128::from(b.households.max(1))))
        });
        Ok(listed)
    }
}

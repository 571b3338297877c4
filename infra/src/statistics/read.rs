//! Reading the projection (decision 151): a place's figures over a window, its topics by stage now, and
//! the window's totals of each place one level below. Each is one range of an index over pre-summed
//! rows, whatever the size of the pipeline beneath the place.

use chrono::NaiveDate;
use gongzhi_domain::ids::{CategoryId, PlaceId};
use gongzhi_domain::statistics::{Metric, Window, durations};
use gongzhi_domain::topic::Stage;
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{QueryOrder, QuerySelect};

use crate::entities::{stat_duration, stat_figure, stat_stage};
use crate::rows::corrupt;
use crate::{Result, Store};

/// One stored figure: a metric's total in one period and category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub start: NaiveDate,
    pub metric: Metric,
    /// `None` for facts that concern no topic.
    pub category: Option<CategoryId>,
    pub total: i64,
}

/// How many topics of a category are in a stage now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageCount {
    pub stage: Stage,
    pub category: Option<CategoryId>,
    pub topics: i64,
}

/// A place one level below, with a metric's total over the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildFigure {
    pub place: PlaceId,
    pub metric: Metric,
    pub total: i64,
}

/// How many topics, over the window, left a stage after a time in one bucket
/// (`gongzhi_domain::statistics::durations`, decision 156).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageDuration {
    /// `None` for the place itself; a place one level below otherwise.
    pub child: Option<PlaceId>,
    pub stage: Stage,
    pub bucket: u16,
    pub topics: i64,
}

/// What a statistics query answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceStatistics {
    pub place: PlaceId,
    pub window: Window,
    /// Ordered by period, metric, category.
    pub figures: Vec<Figure>,
    pub stages: Vec<StageCount>,
    pub children: Vec<ChildFigure>,
    /// The place's and its children's times in each stage, ordered by child (the place first), stage,
    /// bucket.
    pub durations: Vec<StageDuration>,
}

impl PlaceStatistics {
    /// A metric's total over the whole window and every category.
    pub fn total(&self, metric: Metric) -> i64 {
        self.figures.iter().filter(|f| f.metric == metric).map(|f| f.total).sum()
    }

    /// The `q`-quantile of the time, in seconds, that topics of the place (or of `child`) left `stage`
    /// after in the window; `None` when none left it.
    pub fn stage_quantile(&self, child: Option<PlaceId>, stage: Stage, q: f64) -> Option<f64> {
        let counts: Vec<(u16, i64)> = self
            .durations
            .iter()
            .filter(|d| d.child == child && d.stage == stage)
            .map(|d| (d.bucket, d.topics))
            .collect();
        durations::quantile(&counts, q)
    }

    /// The stages some topic of the place left in the window, in their order.
    pub fn timed_stages(&self) -> Vec<Stage> {
        let mut stages: Vec<Stage> = self.durations.iter().filter(|d| d.child.is_none()).map(|d| d.stage).collect();
        stages.sort();
        stages.dedup();
        stages
    }

    /// A sum's average per timed event (`AcceptSeconds` over `AcceptTimed`); `None` when nothing was timed.
    pub fn average(&self, sum: Metric, count: Metric) -> Option<f64> {
        let count = self.total(count);
        #[allow(clippy::cast_precision_loss)] // Totals far below 2^52.
        (count > 0).then(|| self.total(sum) as f64 / count as f64)
    }
}

fn category(id: Uuid) -> Option<CategoryId> {
    (!id.is_nil()).then(|| CategoryId::from_uuid(id))
}

fn metric_of(code: &str) -> Result<Metric> {
    Metric::parse(code).ok_or_else(|| corrupt("statistics metric", Uuid::nil()).into())
}

impl Store {
    /// A place's figures over `window`. Unguarded: the API authorizes the caller first
    /// (`statistics::authorize_reading`, or the partner's `statistics` scope).
    #[tracing::instrument(skip_all, err)]
    pub async fn place_statistics(&self, place: PlaceId, window: Window) -> Result<PlaceStatistics> {
        let db = self.connection();
        let period = window.period().as_str();
        let rows = stat_figure::Entity::find()
            .filter(stat_figure::Column::PlaceId.eq(place.as_uuid()))
            .filter(stat_figure::Column::Period.eq(period))
            .filter(stat_figure::Column::PeriodStart.between(window.first(), window.last()))
            .order_by_asc(stat_figure::Column::PeriodStart)
            .order_by_asc(stat_figure::Column::Metric)
            .order_by_asc(stat_figure::Column::CategoryId)
            .all(db)
            .await?;
        let figures = rows
            .into_iter()
            .filter(|row| row.total != 0)
            .map(|row| {
                Ok(Figure {
                    start: row.period_start,
                    metric: metric_of(&row.metric)?,
                    category: category(row.category_id),
                    total: row.total,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let stages = stat_stage::Entity::find()
            .filter(stat_stage::Column::PlaceId.eq(place.as_uuid()))
            .filter(stat_stage::Column::Topics.ne(0))
            .order_by_asc(stat_stage::Column::Stage)
            .order_by_asc(stat_stage::Column::CategoryId)
            .all(db)
            .await?
            .into_iter()
            .map(|row| {
                let stage = Stage::parse(&row.stage).map_err(|_| corrupt("statistics stage", row.place_id))?;
                Ok(StageCount { stage, category: category(row.category_id), topics: row.topics })
            })
            .collect::<Result<Vec<_>>>()?;
        // Summed in the database: a district's streets over a year of months are tens of thousands of
        // rows, their sums a few hundred. CAST because PostgreSQL sums a bigint into a numeric.
        let sums: Vec<(Uuid, String, i64)> = stat_figure::Entity::find()
            .select_only()
            .column(stat_figure::Column::PlaceId)
            .column(stat_figure::Column::Metric)
            .column_as(Expr::cust("CAST(SUM(total) AS BIGINT)"), "total")
            .filter(stat_figure::Column::ParentId.eq(place.as_uuid()))
            .filter(stat_figure::Column::Period.eq(period))
            .filter(stat_figure::Column::PeriodStart.between(window.first(), window.last()))
            .group_by(stat_figure::Column::PlaceId)
            .group_by(stat_figure::Column::Metric)
            .order_by_asc(stat_figure::Column::PlaceId)
            .order_by_asc(stat_figure::Column::Metric)
            .into_tuple()
            .all(db)
            .await?;
        let children = sums
            .into_iter()
            .filter(|(_, _, total)| *total != 0)
            .map(|(child, metric, total)| {
                Ok(ChildFigure { place: PlaceId::from_uuid(child), metric: metric_of(&metric)?, total })
            })
            .collect::<Result<Vec<_>>>()?;
        let durations = stage_durations(db, place, window).await?;
        Ok(PlaceStatistics { place, window, figures, stages, children, durations })
    }
}

/// The place's own buckets and its children's, each summed over the window in the database: two ranges
/// of `stat_durations`' indexes, a few hundred rows at most.
async fn stage_durations(db: &impl ConnectionTrait, place: PlaceId, window: Window) -> Result<Vec<StageDuration>> {
    let period = window.period().as_str();
    let sum = || Expr::cust("CAST(SUM(total) AS BIGINT)");
    let own: Vec<(String, i32, i64)> = stat_duration::Entity::find()
        .select_only()
        .column(stat_duration::Column::Stage)
        .column(stat_duration::Column::Bucket)
        .column_as(sum(), "total")
        .filter(stat_duration::Column::PlaceId.eq(place.as_uuid()))
        .filter(stat_duration::Column::Period.eq(period))
        .filter(stat_duration::Column::PeriodStart.between(window.first(), window.last()))
        .group_by(stat_duration::Column::Stage)
        .group_by(stat_duration::Column::Bucket)
        .into_tuple()
        .all(db)
        .await?;
    let children: Vec<(Uuid, String, i32, i64)> = stat_duration::Entity::find()
        .select_only()
        .column(stat_duration::Column::PlaceId)
        .column(stat_duration::Column::Stage)
        .column(stat_duration::Column::Bucket)
        .column_as(sum(), "total")
        .filter(stat_duration::Column::ParentId.eq(place.as_uuid()))
        .filter(stat_duration::Column::Period.eq(period))
        .filter(stat_duration::Column::PeriodStart.between(window.first(), window.last()))
        .group_by(stat_duration::Column::PlaceId)
        .group_by(stat_duration::Column::Stage)
        .group_by(stat_duration::Column::Bucket)
        .into_tuple()
        .all(db)
        .await?;
    let rows = own.into_iter().map(|(stage, bucket, total)| (None, stage, bucket, total)).chain(
        children
            .into_iter()
            .map(|(child, stage, bucket, total)| (Some(PlaceId::from_uuid(child)), stage, bucket, total)),
    );
    let mut out = rows
        .filter(|(_, _, _, total)| *total != 0)
        .map(|(child, stage, bucket, topics)| {
            let bad = || corrupt("statistics duration", place.as_uuid());
            Ok(StageDuration {
                child,
                stage: Stage::parse(&stage).map_err(|_| bad())?,
                bucket: u16::try_from(bucket).map_err(|_| bad())?,
                topics,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|d| (d.child, d.stage, d.bucket));
    Ok(out)
}

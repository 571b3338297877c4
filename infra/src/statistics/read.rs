//! Reading the projection (decision 151): a place's figures over a window, its topics by stage now, and
//! the window's totals of each place one level below. Each is one range of an index over pre-summed
//! rows, whatever the size of the pipeline beneath the place.

use chrono::NaiveDate;
use gongzhi_domain::ids::{CategoryId, PlaceId};
use gongzhi_domain::statistics::{Metric, Window};
use gongzhi_domain::topic::Stage;
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{QueryOrder, QuerySelect};

use crate::entities::{stat_figure, stat_stage};
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

/// What a statistics query answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceStatistics {
    pub place: PlaceId,
    pub window: Window,
    /// Ordered by period, metric, category.
    pub figures: Vec<Figure>,
    pub stages: Vec<StageCount>,
    pub children: Vec<ChildFigure>,
}

impl PlaceStatistics {
    /// A metric's total over the whole window and every category.
    pub fn total(&self, metric: Metric) -> i64 {
        self.figures.iter().filter(|f| f.metric == metric).map(|f| f.total).sum()
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
        Ok(PlaceStatistics { place, window, figures, stages, children })
    }
}

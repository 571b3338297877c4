//! A place's statistics as GraphQL reads them (decision 154): the window's figures, their totals and
//! monthly or daily trend, by category, topics by stage now, and the places one level below.

use std::collections::BTreeMap;

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::NaiveDate;
use gongzhi_domain::statistics::Metric;
use gongzhi_infra::statistics::{Figure, PlaceStatistics as Inner};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::types::enums::{Stage, StatisticsMetric, StatisticsPeriod};
use crate::graphql::types::place::Place;

pub struct PlaceStatistics(pub Inner);

/// A metric's total.
#[derive(SimpleObject)]
pub struct MetricTotal {
    pub metric: StatisticsMetric,
    pub total: i64,
}

/// The totals of one period of the window.
#[derive(SimpleObject)]
pub struct PeriodTotals {
    /// The period's first day.
    pub start: NaiveDate,
    pub totals: Vec<MetricTotal>,
}

/// The window's totals of the topics of one category.
#[derive(SimpleObject)]
pub struct CategoryTotals {
    /// `null` for facts that concern no topic (a vote of owners on no topic, a disclosure letter).
    pub category_id: Option<ID>,
    pub totals: Vec<MetricTotal>,
}

/// How many topics of a category are in a stage now.
#[derive(SimpleObject)]
#[graphql(name = "StatisticsStageCount")]
pub struct StageCount {
    pub stage: Stage,
    pub category_id: Option<ID>,
    pub topics: i64,
}

/// Time spent in a stage by the topics that left it in the window (decision 156): median and 90th
/// percentile, each known to within about 9 % (a bucket of a fixed, log-spaced histogram).
#[derive(SimpleObject)]
pub struct StageTime {
    pub stage: Stage,
    /// Topics that left the stage in the window.
    pub topics: i64,
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
}

/// Steps taken by their deadline, over those taken while one ran (0–1); `null` when none was due.
#[derive(SimpleObject)]
pub struct OnTimeRates {
    /// Triage decisions by the triage deadline (accept, reject, route, merge, escalate).
    pub triage: Option<f64>,
    /// Tasks finished by their due date.
    pub tasks: Option<f64>,
    /// Outcomes published by the publication deadline.
    pub publication: Option<f64>,
}

fn stage_times(statistics: &Inner, child: Option<gongzhi_domain::ids::PlaceId>) -> Vec<StageTime> {
    let mut stages: Vec<_> = statistics.durations.iter().filter(|d| d.child == child).map(|d| d.stage).collect();
    stages.dedup();
    stages
        .into_iter()
        .map(|stage| StageTime {
            stage: stage.into(),
            topics: statistics
                .durations
                .iter()
                .filter(|d| d.child == child && d.stage == stage)
                .map(|d| d.topics)
                .sum(),
            median_days: days(statistics.stage_quantile(child, stage, 0.5)),
            p90_days: days(statistics.stage_quantile(child, stage, 0.9)),
        })
        .collect()
}

fn on_time(statistics: &Inner) -> OnTimeRates {
    OnTimeRates {
        triage: statistics.average(Metric::TriageOnTime, Metric::TriageDecided),
        tasks: statistics.average(Metric::TasksOnTime, Metric::TasksDue),
        publication: statistics.average(Metric::PublicationOnTime, Metric::PublicationDue),
    }
}

/// A place one level below, with its totals over the window.
pub struct ChildStatistics {
    place: gongzhi_domain::ids::PlaceId,
    totals: Vec<MetricTotal>,
    stage_times: Vec<StageTime>,
}

#[Object]
impl ChildStatistics {
    async fn place_id(&self) -> ID {
        encode(NodeType::Place, self.place)
    }

    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.place).await.gql()?.map(Place))
    }

    async fn totals(&self) -> &[MetricTotal] {
        &self.totals
    }

    /// Time in each stage, for the topics of this place that left one in the window.
    async fn stage_times(&self) -> &[StageTime] {
        &self.stage_times
    }
}

/// Every metric's total among `figures`, zeros included, in the metrics' order.
fn totals<'a>(figures: impl Iterator<Item = &'a Figure>) -> Vec<MetricTotal> {
    let mut sums: BTreeMap<Metric, i64> = Metric::ALL.into_iter().map(|m| (m, 0)).collect();
    for figure in figures {
        *sums.entry(figure.metric).or_default() += figure.total;
    }
    sums.into_iter().map(|(metric, total)| MetricTotal { metric: metric.into(), total }).collect()
}

fn days(seconds: Option<f64>) -> Option<f64> {
    seconds.map(|s| s / 86_400.0)
}

#[Object]
impl PlaceStatistics {
    async fn place_id(&self) -> ID {
        encode(NodeType::Place, self.0.place)
    }

    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.place).await.gql()?.map(Place))
    }

    async fn period(&self) -> StatisticsPeriod {
        self.0.window.period().into()
    }

    /// The first period's first day.
    async fn from(&self) -> NaiveDate {
        self.0.window.first()
    }

    /// The last period's first day.
    async fn to(&self) -> NaiveDate {
        self.0.window.last()
    }

    /// Every metric's total over the window.
    async fn totals(&self) -> Vec<MetricTotal> {
        totals(self.0.figures.iter())
    }

    /// Each period of the window with its totals, empty periods included: the trend.
    async fn trend(&self) -> Vec<PeriodTotals> {
        self.0
            .window
            .starts()
            .into_iter()
            .map(|start| PeriodTotals { start, totals: totals(self.0.figures.iter().filter(|f| f.start == start)) })
            .collect()
    }

    /// The window's totals per category of topic.
    async fn by_category(&self) -> Vec<CategoryTotals> {
        let mut categories: Vec<_> = self.0.figures.iter().map(|f| f.category).collect();
        categories.sort();
        categories.dedup();
        categories
            .into_iter()
            .map(|category| CategoryTotals {
                category_id: category.map(|c| encode(NodeType::Category, c)),
                totals: totals(self.0.figures.iter().filter(|f| f.category == category)),
            })
            .collect()
    }

    /// The place's topics by the stage they are in now, per category (not bounded by the window).
    async fn stages(&self) -> Vec<StageCount> {
        self.0
            .stages
            .iter()
            .map(|s| StageCount {
                stage: s.stage.into(),
                category_id: s.category.map(|c| encode(NodeType::Category, c)),
                topics: s.topics,
            })
            .collect()
    }

    /// The places one level below with their totals over the window: a city by district, a district by
    /// street, a street by community. Only places with some figure are listed.
    async fn children(&self) -> Vec<ChildStatistics> {
        let mut by_place: BTreeMap<gongzhi_domain::ids::PlaceId, Vec<Figure>> = BTreeMap::new();
        for child in &self.0.children {
            by_place.entry(child.place).or_default().push(Figure {
                start: self.0.window.first(),
                metric: child.metric,
                category: None,
                total: child.total,
            });
        }
        by_place
            .into_iter()
            .map(|(place, figures)| ChildStatistics {
                place,
                totals: totals(figures.iter()),
                stage_times: stage_times(&self.0, Some(place)),
            })
            .collect()
    }

    /// Average days from submission to acceptance, over the topics accepted in the window.
    async fn average_days_to_accept(&self) -> Option<f64> {
        days(self.0.average(Metric::AcceptSeconds, Metric::AcceptTimed))
    }

    /// Average days from submission to resolution, over the topics resolved in the window.
    async fn average_days_to_resolve(&self) -> Option<f64> {
        days(self.0.average(Metric::ResolveSeconds, Metric::ResolveTimed))
    }

    /// Average days from submission to closing, over the topics closed in the window.
    async fn average_days_to_close(&self) -> Option<f64> {
        days(self.0.average(Metric::CloseSeconds, Metric::CloseTimed))
    }

    /// Time in each stage (median, 90th percentile) of the topics that left it in the window.
    async fn stage_times(&self) -> Vec<StageTime> {
        stage_times(&self.0, None)
    }

    /// On-time rates of triage, tasks and publication in the window.
    async fn on_time(&self) -> OnTimeRates {
        on_time(&self.0)
    }

    /// The mean rating (1–5) of the satisfaction surveys closed in the window whose results are shown.
    async fn survey_satisfaction(&self) -> Option<f64> {
        self.0.average(Metric::SurveyRatingScore, Metric::SurveyRatings)
    }

    /// Responses over households asked, for the surveys closed in the window.
    async fn survey_response_rate(&self) -> Option<f64> {
        self.0.average(Metric::SurveyResponses, Metric::SurveyHouseholds)
    }

    /// The average rating (1–5) given in the window.
    async fn satisfaction(&self) -> Option<f64> {
        self.0.average(Metric::RatingScore, Metric::Ratings)
    }

    /// Ballots cast over the electorate of the votes opened in the window (0–1 and a little more when a
    /// vote opened before the window took ballots in it).
    async fn turnout(&self) -> Option<f64> {
        self.0.average(Metric::BallotsCast, Metric::VoteElectorate)
    }
}

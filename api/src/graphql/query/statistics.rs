//! `statistics`: a place's figures for the offices above a community and partners with the `statistics`
//! scope (issue 18, decision 154), read from the projection, never from the pipeline's tables.

use async_graphql::{Context, ID, Object};
use chrono::NaiveDate;
use gongzhi_domain::ids::PlaceId;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::enums::StatisticsPeriod;
use crate::graphql::types::statistics::PlaceStatistics;
use crate::statistics_access::{authorize, window};

#[derive(Default)]
pub struct StatisticsQuery;

#[Object]
impl StatisticsQuery {
    /// A street's, district's or city's statistics (or a community's or compound's, for the offices
    /// above it) over the periods from the one `from` falls in to the one `to` falls in: at most 366 days
    /// or 120 months. For street officers, district officers and city administrators at or above the
    /// place, and API partners with the `STATISTICS` scope within their place.
    async fn statistics(
        &self,
        ctx: &Context<'_>,
        place_id: ID,
        period: StatisticsPeriod,
        from: NaiveDate,
        to: NaiveDate,
    ) -> async_graphql::Result<PlaceStatistics> {
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        let window = window(period.into(), from, to).map_err(crate::error::ApiError::into_graphql)?;
        let caller = ctx.caller().await?;
        let context = ctx.place_context(place).await?;
        authorize(caller, &context.ancestry).map_err(crate::error::ApiError::into_graphql)?;
        Ok(PlaceStatistics(ctx.store().place_statistics(place, window).await.gql()?))
    }
}

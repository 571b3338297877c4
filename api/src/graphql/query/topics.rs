use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{CategoryId, PlaceId};
use gongzhi_infra::feed::{FeedCursor, FeedQuery, FeedSort};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, BadRequest, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::page::{DEFAULT_PAGE, MAX_PAGE, page_args};
use crate::graphql::preload::{self, prime, wants_relations};
use crate::graphql::types::category::Category;
use crate::graphql::types::enums::{Stage, TopicSort};
use crate::graphql::types::round::Round;
use crate::graphql::types::topic::Topic;
use crate::http::responses::StampSlot;

#[derive(Default)]
pub struct TopicQuery;

#[derive(SimpleObject)]
pub struct StageCount {
    stage: Stage,
    count: u64,
}

/// The feed's cursor: the last row's sort keys, opaque to clients.
#[derive(Serialize, Deserialize)]
struct Cursor {
    i: uuid::Uuid,
    c: i32,
    d: Option<DateTime<Utc>>,
}

fn encode_cursor(cursor: FeedCursor) -> String {
    let json = serde_json::to_vec(&Cursor { i: cursor.id, c: cursor.co_signs, d: cursor.due_at }).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

fn decode_feed_cursor(text: &str) -> Result<FeedCursor, ApiError> {
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| ApiError::Bad(BadRequest::Cursor))?;
    let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| ApiError::Bad(BadRequest::Cursor))?;
    Ok(FeedCursor { id: cursor.i, co_signs: cursor.c, due_at: cursor.d })
}

fn limit_of(first: Option<i32>) -> Result<usize, ApiError> {
    match first {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (0..=MAX_PAGE as i32).contains(&n) => Ok(n as usize),
        Some(_) => Err(ApiError::Bad(BadRequest::PageSize { max: MAX_PAGE })),
    }
}

#[Object]
impl TopicQuery {
    /// The topics about a place: a compound or building for its residents, a community (or above) for
    /// its staff and officers, any place within its scope for an API partner. Filter by stage, category
    /// and text in the title or description.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity + 1")]
    async fn topics(
        &self,
        ctx: &Context<'_>,
        place_id: ID,
        stage: Option<Stage>,
        category_id: Option<ID>,
        #[graphql(validator(max_length = 60))] text: Option<String>,
        #[graphql(default)] sort: TopicSort,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Topic>> {
        ctx.partner_may(gongzhi_domain::partner::PartnerScope::Topics)?;
        let caller = ctx.caller().await?;
        let node = preload::rows_of(&ctx.look_ahead());
        let limit = limit_of(first).gql()?;
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        let category: Option<CategoryId> =
            category_id.as_ref().map(|c| decode(NodeType::Category, c)).transpose().gql()?;
        let query = FeedQuery {
            place: Some(place),
            stage: stage.map(Into::into),
            category,
            text,
            sort: match sort {
                TopicSort::Newest => FeedSort::Newest,
                TopicSort::MostCoSigned => FeedSort::MostCoSigned,
                TopicSort::NearestDeadline => FeedSort::NearestDeadline,
            },
            after: after.as_deref().map(decode_feed_cursor).transpose().gql()?,
            limit: (limit + 1) as u64,
            with_relations: wants_relations(&node),
        };
        let page = ctx.store().topic_feed(caller, &query).await.gql()?;
        // A request that may be kept whole learns what the page was served under (`http::responses`).
        if let Some(slot) = ctx.data_opt::<Arc<StampSlot>>() {
            slot.record(caller.person().ok(), page.stamp.as_ref());
        }
        let mut records = page.records;
        let has_next = records.len() > limit;
        records.truncate(limit);
        prime(ctx, page.relations).await?;
        preload::topics(ctx, node, &records).await?;
        let deadlines = *ctx.store().deadlines();
        let mut connection = Connection::new(query.after.is_some(), has_next);
        connection.edges.extend(records.into_iter().map(|record| {
            let due_at = record.topic.deadline(&deadlines).map(|d| d.due_at);
            Edge::new(encode_cursor(FeedCursor::of(&record, due_at)), Topic(record))
        }));
        Ok(connection)
    }

    /// How many topics about a place are in each stage.
    async fn topic_counts(&self, ctx: &Context<'_>, place_id: ID) -> async_graphql::Result<Vec<StageCount>> {
        ctx.partner_may(gongzhi_domain::partner::PartnerScope::Topics)?;
        let caller = ctx.caller().await?;
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        let counts = ctx.store().topic_counts(caller, place).await.gql()?;
        Ok(counts.into_iter().map(|(stage, count)| StageCount { stage: stage.into(), count }).collect())
    }

    /// Topics the logged-in person raised, newest first.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity + 1")]
    async fn my_topics(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Topic>> {
        let actor = ctx.actor().await?;
        let page = page_args(first, after).gql()?;
        let node = preload::rows_of(&ctx.look_ahead());
        let mine = ctx.store().my_topics(actor, page.after, (page.limit + 1) as u64, wants_relations(&node));
        let mine = mine.await.gql()?;
        let mut records = mine.records;
        let has_next = records.len() > page.limit;
        records.truncate(page.limit);
        prime(ctx, mine.relations).await?;
        preload::topics(ctx, node, &records).await?;
        let mut connection = Connection::new(page.after.is_some(), has_next);
        connection.edges.extend(
            records.into_iter().map(|r| Edge::new(crate::graphql::ids::cursor(r.topic.id.as_uuid()), Topic(r))),
        );
        Ok(connection)
    }

    /// Open votes the logged-in person may vote in and has not yet, soonest closing first.
    async fn votes_awaiting_my_ballot(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::types::vote::Vote>> {
        let actor = ctx.actor().await?;
        let votes = ctx.store().votes_awaiting(actor).await.gql()?;
        preload::votes(ctx, ctx.look_ahead(), &votes).await?;
        Ok(votes.into_iter().map(crate::graphql::types::vote::Vote::from).collect())
    }

    /// Open tasks owned by a party the logged-in person acts for, soonest due first.
    async fn my_tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::graphql::types::task::Task>> {
        let actor = ctx.actor().await?;
        let tasks = ctx.store().tasks_awaiting(actor).await.gql()?;
        Ok(tasks.into_iter().map(crate::graphql::types::task::Task).collect())
    }

    /// A community's deliberation catalogue.
    async fn catalogue(
        &self,
        ctx: &Context<'_>,
        community_id: ID,
        #[graphql(default)] include_retired: bool,
    ) -> async_graphql::Result<Vec<Category>> {
        ctx.actor().await?;
        let community: PlaceId = decode(NodeType::Place, &community_id).gql()?;
        Ok(ctx.store().catalogue(community, include_retired).await.gql()?.into_iter().map(Category).collect())
    }

    /// Solicitation rounds a place's residents may answer (at the place or above it). An API partner
    /// reads them with the `ROUNDS` scope, for places within its own.
    async fn rounds(&self, ctx: &Context<'_>, place_id: ID) -> async_graphql::Result<Vec<Round>> {
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        match ctx.caller().await? {
            gongzhi_domain::policy::Caller::Partner(partner) => {
                let context = ctx.place_context(place).await?;
                partner
                    .reads(gongzhi_domain::partner::PartnerScope::Rounds, &context.ancestry)
                    .map_err(|denied| crate::error::ApiError::Partner(denied).into_graphql())?;
            }
            gongzhi_domain::policy::Caller::Person(_) => {}
        }
        Ok(ctx.store().rounds_for(place).await.gql()?.into_iter().map(Round).collect())
    }
}

//! Loading ahead for lists of topics: what each row shows of its own relations (category, place, author,
//! my co-signature and rating, the property company), and its detail lists (tasks, votes, meetings,
//! timeline, requests, ratings) with what those hold.

use async_graphql::{Context, Lookahead};
use gongzhi_domain::ids::{PlaceId, TopicId};
use gongzhi_domain::topic::TopicState;
use gongzhi_infra::feed::PageRelations;
use gongzhi_infra::topics::{Standing, TopicRecord};

use super::{Wanted, details, first_page};
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::loaders::{
    CategoryLoader, CoSignatureLoader, FirstThreadsLoader, MeetingsLoader, PlaceContextLoader, RatingLoader,
    RatingSummaryLoader, RequestsLoader, TasksLoader, TimelineLoader, TopicRecordLoader, VotesLoader,
};

/// The detail lists, each shown as the viewer's standing towards the topic allows.
const DETAILS: [&str; 7] = ["tasks", "votes", "meetings", "timeline", "requests", "ratings", "opinions"];

/// Whether a page's selection shows relations `TopicPage::relations` brings along (category, author, my
/// co-signature, and the place context every row's author and detail lists are decided on), so the page
/// is worth reading with them.
pub fn wants_relations(node: &Lookahead<'_>) -> bool {
    ["category", "submitter", "coSignedByMe"].into_iter().chain(DETAILS).any(|field| node.field(field).exists())
}

/// Hands the relations a page was read with to the request's loaders, so `topics` and the rows find them
/// loaded. Only what was read goes in: a row missing here is loaded as usual. The co-signatures are the
/// page's viewer's, and go in under that viewer's key.
pub async fn prime(ctx: &Context<'_>, relations: Option<PageRelations>) -> async_graphql::Result<()> {
    let Some(relations) = relations else { return Ok(()) };
    let viewer = relations.viewer;
    ctx.loader::<CoSignatureLoader>()?
        .feed_many(relations.co_signed.into_iter().map(|(topic, signed)| ((viewer, topic), signed)))
        .await;
    ctx.loader::<CategoryLoader>()?.feed_many(relations.categories).await;
    ctx.people()?.feed_many(relations.authors).await;
    ctx.loader::<PlaceContextLoader>()?.feed_many(relations.contexts).await;
    Ok(())
}

/// Loads what a page of topics selects of their relations, for the whole page at once, before the rows
/// resolve and find it remembered. `node` is the selection on each topic.
pub async fn topics(ctx: &Context<'_>, node: Lookahead<'_>, records: &[TopicRecord]) -> async_graphql::Result<()> {
    if !ctx.remembers() || records.is_empty() {
        return Ok(());
    }
    // The rows are what a meeting of theirs names as its topic.
    ctx.loader::<TopicRecordLoader>()?.feed_many(records.iter().map(|r| (r.topic.id, r.clone()))).await;
    // Who may see each author, and each detail list, depends on the topic's place.
    let wants = |field: &str| node.field(field).exists();
    if wants("submitter") || DETAILS.iter().any(|field| wants(field)) {
        ctx.loader::<PlaceContextLoader>()?.load_many(records.iter().map(|r| r.topic.place.id())).await.gql()?;
    }
    let (mut wanted, more) = futures::try_join!(own(ctx, &node, records), self::details(ctx, &node, records))?;
    wanted.add(more);
    wanted.load(ctx).await
}

/// The relations of each row itself.
async fn own(ctx: &Context<'_>, node: &Lookahead<'_>, records: &[TopicRecord]) -> async_graphql::Result<Wanted> {
    let wants = |field: &str| node.field(field).exists();
    let topics: Vec<TopicId> = records.iter().map(|r| r.topic.id).collect();
    let mut wanted = Wanted::default();
    if wants("place") {
        wanted.places.extend(records.iter().map(|r| r.topic.place.id()));
    }
    // Authors are loaded for every row and shown only where the rule allows.
    if wants("submitter") {
        wanted.people.extend(records.iter().map(|r| r.topic.submitter));
    }
    if wants("propertyCompany") {
        wanted.companies.extend(records.iter().filter_map(|r| match &r.topic.state {
            TopicState::Routed(request) => Some(request.company),
            _ => None,
        }));
    }
    let categories = async {
        if wants("category") {
            ctx.loader::<CategoryLoader>()?.load_many(records.iter().map(|r| r.topic.category)).await.gql()?;
        }
        Ok::<_, async_graphql::Error>(())
    };
    let co_signatures = async {
        if wants("coSignedByMe")
            && let Some(me) = ctx.viewer().await?
        {
            ctx.loader::<CoSignatureLoader>()?.load_many(topics.iter().map(|t| (me, *t))).await.gql()?;
        }
        Ok(())
    };
    let ratings = async {
        if wants("myRating")
            && let Some(me) = ctx.viewer().await?
        {
            ctx.loader::<RatingLoader>()?.load_many(topics.iter().map(|t| (me, *t))).await.gql()?;
        }
        Ok(())
    };
    futures::try_join!(categories, co_signatures, ratings)?;
    Ok(wanted)
}

/// The viewer's standing towards each topic they may see, from the places' contexts (remembered by now).
/// A topic they may not see has none: its row reports that itself, and nothing is loaded for it.
pub(super) async fn standings(ctx: &Context<'_>, records: &[TopicRecord]) -> async_graphql::Result<Vec<Standing>> {
    let actor = ctx.actor().await?;
    let places: Vec<PlaceId> = records.iter().map(|r| r.topic.place.id()).collect();
    let contexts = ctx.loader::<PlaceContextLoader>()?.load_many(places.iter().copied()).await.gql()?;
    Ok(records
        .iter()
        .filter_map(|r| contexts.get(&r.topic.place.id()).and_then(|place| Standing::of(actor, r.topic.id, place).ok()))
        .collect())
}

/// The detail lists of every row, and what their own rows select.
async fn details(ctx: &Context<'_>, node: &Lookahead<'_>, records: &[TopicRecord]) -> async_graphql::Result<Wanted> {
    let wants = |field: &str| node.field(field).exists();
    if !DETAILS.iter().any(|field| wants(field)) {
        return Ok(Wanted::default());
    }
    let standings = standings(ctx, records).await?;
    let keys = || standings.iter().copied();
    let tasks = async {
        if wants("tasks") {
            ctx.loader::<TasksLoader>()?.load_many(keys()).await.gql()?;
        }
        Ok::<_, async_graphql::Error>(Wanted::default())
    };
    let votes = async {
        if !wants("votes") {
            return Ok(Wanted::default());
        }
        let votes = ctx.loader::<VotesLoader>()?.load_many(keys()).await.gql()?;
        let votes: Vec<_> = votes.into_values().flatten().collect();
        details::votes_of(ctx, &node.field("votes"), &votes).await?;
        Ok(Wanted::default())
    };
    let meetings = async {
        if !wants("meetings") {
            return Ok(Wanted::default());
        }
        let meetings = ctx.loader::<MeetingsLoader>()?.load_many(keys()).await.gql()?;
        let meetings: Vec<_> = meetings.into_values().flatten().collect();
        details::meetings_of(ctx, &node.field("meetings"), &meetings).await
    };
    let timeline = async {
        if !wants("timeline") {
            return Ok(Wanted::default());
        }
        let entries = ctx.loader::<TimelineLoader>()?.load_many(keys()).await.gql()?;
        let entries: Vec<_> = entries.into_values().flatten().collect();
        Ok(details::timeline_names(&node.field("timeline"), &entries))
    };
    let requests = async {
        if wants("requests") {
            ctx.loader::<RequestsLoader>()?.load_many(keys()).await.gql()?;
        }
        Ok(Wanted::default())
    };
    let ratings = async {
        if wants("ratings") {
            ctx.loader::<RatingSummaryLoader>()?.load_many(keys()).await.gql()?;
        }
        Ok(Wanted::default())
    };
    let opinions = threads(ctx, node, &standings);
    let found = futures::try_join!(tasks, votes, meetings, timeline, requests, ratings, opinions)?;
    let mut wanted = Wanted::default();
    for more in [found.0, found.1, found.2, found.3, found.4, found.5, found.6] {
        wanted.add(more);
    }
    Ok(wanted)
}

/// The first page of each thread, for every `opinions` selection without a cursor (a later page continues
/// one topic's thread and is read when asked), and what its opinions select.
async fn threads(ctx: &Context<'_>, node: &Lookahead<'_>, standings: &[Standing]) -> async_graphql::Result<Wanted> {
    let mut wanted = Wanted::default();
    for field in node.field("opinions").selection_fields() {
        let Some(limit) = first_page(&field)? else { continue };
        let limit = u64::try_from(limit).unwrap_or(u64::MAX);
        let keys = standings.iter().map(|standing| (*standing, limit));
        let pages = ctx.loader::<FirstThreadsLoader>()?.load_many(keys).await.gql()?;
        let threads: Vec<_> = pages.into_values().flat_map(|page| page.threads).collect();
        let node = super::rows_of(&Lookahead::from(field));
        wanted.add(details::opinions_of(ctx, &node, &threads).await?);
    }
    Ok(wanted)
}

//! Loading ahead for what a topic's detail lists hold: a vote's result and my ballot; a meeting's people,
//! minutes and topic; who acted on the timeline.

use async_graphql::{Context, Lookahead};
use gongzhi_domain::ids::{MeetingId, TopicId, VoteId};
use gongzhi_infra::topics::{MeetingRecord, OpinionEntry, OpinionThread, TimelineEntry};
use gongzhi_infra::votes::VoteRecord;

use super::Wanted;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::loaders::{
    BallotLoader, MinutesLoader, PlaceContextLoader, ReportsLoader, TopicRecordLoader, VoteResultLoader,
};

/// Loads what a list of votes selects (`node` is the selection on each vote).
pub async fn votes(ctx: &Context<'_>, node: Lookahead<'_>, votes: &[VoteRecord]) -> async_graphql::Result<()> {
    if !ctx.remembers() {
        return Ok(());
    }
    votes_of(ctx, &node, votes).await
}

/// Loads what a list of meetings selects (`node` is the selection on each meeting).
pub async fn meetings(ctx: &Context<'_>, node: Lookahead<'_>, meetings: &[MeetingRecord]) -> async_graphql::Result<()> {
    if !ctx.remembers() {
        return Ok(());
    }
    meetings_of(ctx, &node, meetings).await?.load(ctx).await
}

/// Loads who acted on a timeline, where the selection shows it.
pub async fn timeline(ctx: &Context<'_>, node: Lookahead<'_>, entries: &[TimelineEntry]) -> async_graphql::Result<()> {
    if !ctx.remembers() {
        return Ok(());
    }
    timeline_names(&node, entries).load(ctx).await
}

/// Loads what a page of an opinion thread selects (`node` is the selection on each opinion).
pub async fn opinions(ctx: &Context<'_>, node: Lookahead<'_>, threads: &[OpinionThread]) -> async_graphql::Result<()> {
    if !ctx.remembers() {
        return Ok(());
    }
    opinions_of(ctx, &node, threads).await?.load(ctx).await
}

pub(super) async fn votes_of(
    ctx: &Context<'_>,
    node: &Lookahead<'_>,
    votes: &[VoteRecord],
) -> async_graphql::Result<()> {
    if votes.is_empty() {
        return Ok(());
    }
    let ids: Vec<VoteId> = votes.iter().map(|v| v.id).collect();
    let results = async {
        if node.field("result").exists() {
            ctx.loader::<VoteResultLoader>()?.load_many(ids.iter().copied()).await.gql()?;
        }
        Ok::<_, async_graphql::Error>(())
    };
    let ballots = async {
        if node.field("myBallot").exists()
            && let Some(me) = ctx.viewer().await?
        {
            ctx.loader::<BallotLoader>()?.load_many(ids.iter().map(|v| (me, *v))).await.gql()?;
        }
        Ok(())
    };
    futures::try_join!(results, ballots)?;
    Ok(())
}

/// Loads the meetings' minutes and topics where selected, and returns the people they name.
pub(super) async fn meetings_of(
    ctx: &Context<'_>,
    node: &Lookahead<'_>,
    meetings: &[MeetingRecord],
) -> async_graphql::Result<Wanted> {
    let mut wanted = Wanted::default();
    if meetings.is_empty() {
        return Ok(wanted);
    }
    let wants = |field: &str| node.field(field).exists();
    if wants("scheduledBy") {
        wanted.people.extend(meetings.iter().map(|m| m.meeting.scheduled_by));
    }
    // Whoever is on a list, for any of the lists that shows people (the viewer's own place included).
    if ["invitees", "attendees", "me"].into_iter().any(|list| node.field(list).field("person").exists()) {
        wanted.people.extend(meetings.iter().flat_map(|m| m.participants.iter().map(|p| p.person)));
    }
    let minutes = async {
        if !wants("minutes") && !wants("minutesVersions") {
            return Ok::<_, async_graphql::Error>(Vec::new());
        }
        let ids: Vec<MeetingId> = meetings.iter().map(|m| m.meeting.id).collect();
        let versions = ctx.loader::<MinutesLoader>()?.load_many(ids).await.gql()?;
        let named = ["minutes", "minutesVersions"].into_iter().any(|f| node.field(f).field("writtenBy").exists());
        Ok(if named { versions.values().flatten().map(|v| v.written_by).collect() } else { Vec::new() })
    };
    // A meeting's topic is shown when the viewer's standing allows: the rows and their places' contexts.
    let topics = async {
        if wants("topic") {
            let ids: Vec<TopicId> = meetings.iter().map(|m| m.meeting.topic).collect();
            let records = ctx.loader::<TopicRecordLoader>()?.load_many(ids).await.gql()?;
            let places = records.values().map(|r| r.topic.place.id());
            ctx.loader::<PlaceContextLoader>()?.load_many(places).await.gql()?;
        }
        Ok(())
    };
    let (writers, ()) = futures::try_join!(minutes, topics)?;
    wanted.people.extend(writers);
    Ok(wanted)
}

/// Who acted, on the entries as the viewer sees them (a neighbour's own steps carry no name by now).
pub(super) fn timeline_names(node: &Lookahead<'_>, entries: &[TimelineEntry]) -> Wanted {
    let mut wanted = Wanted::default();
    if node.field("actor").exists() {
        wanted.people.extend(entries.iter().filter_map(|e| e.actor));
    }
    wanted
}

/// Loads the reports of the opinions and replies read for a moderator, where selected, and returns the
/// people the opinions name (authors, and who hid them).
pub(super) async fn opinions_of(
    ctx: &Context<'_>,
    node: &Lookahead<'_>,
    threads: &[OpinionThread],
) -> async_graphql::Result<Wanted> {
    let mut wanted = Wanted::default();
    let mut reported = Vec::new();
    let mut visit = |node: &Lookahead<'_>, entries: Vec<&OpinionEntry>| {
        if node.field("author").exists() {
            wanted.people.extend(entries.iter().map(|e| e.opinion.author));
        }
        if node.field("hiding").field("hiddenBy").exists() {
            wanted.people.extend(entries.iter().filter_map(|e| e.opinion.hidden.as_ref().map(|h| h.by)));
        }
        // `reports` shows them only to moderators; nobody else's are read.
        if node.field("reports").exists() {
            reported.extend(entries.iter().filter(|e| e.moderator).map(|e| e.opinion.id));
        }
    };
    visit(node, threads.iter().map(|t| &t.opinion).collect());
    let replies = node.field("replies");
    if replies.exists() {
        visit(&replies, threads.iter().flat_map(|t| t.replies.iter()).collect());
    }
    if !reported.is_empty() {
        ctx.loader::<ReportsLoader>()?.load_many(reported).await.gql()?;
    }
    Ok(wanted)
}

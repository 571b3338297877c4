//! Live updates (GraphQL subscriptions, served over WebSocket by `crate::live`). Each subscription is
//! refused at subscribe time exactly as its query would be (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND), and
//! each delivery is read again for the viewer, checked just then (`delivery.rs`).

mod delivery;
mod topics;
mod votes;

use async_graphql::{Context, ID, Subscription as SubscriptionRoot};
use futures::Stream;
use gongzhi_domain::ids::{PlaceId, TopicId, VoteId};
use gongzhi_domain::policy::Caller;
use gongzhi_infra::live::LiveMessage;

use self::delivery::{Delivery, until_error};
use self::topics::{FeedSeen, PlaceFeedUpdate, TopicChange, TopicSeen};
use self::votes::{Notification, NotificationsUpdate, VoteProgress};
use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::live::viewer::LiveViewer;
use crate::state::SharedState;

#[derive(Default)]
pub struct Subscription;

/// The bus, the viewer and their roles now: what every subscription starts from.
async fn delivery(ctx: &Context<'_>) -> async_graphql::Result<Delivery> {
    let viewer = ctx.data_opt::<LiveViewer>().cloned().ok_or_else(|| ApiError::Internal.into_graphql())?;
    let state = ctx.data_unchecked::<SharedState>().clone();
    let subscribed_as = match ctx.caller().await? {
        Caller::Person(actor) => Some(actor.clone()),
        Caller::Partner(_) => None,
    };
    Ok(Delivery::new(state, viewer, subscribed_as))
}

fn changes_topic(message: &LiveMessage, topic: TopicId) -> bool {
    message.change().is_some_and(|change| change.topic == Some(topic.as_uuid()))
}

fn within(message: &LiveMessage, place: PlaceId) -> bool {
    message.change().is_some_and(|change| change.topic.is_some() && change.place_path.contains(&place.as_uuid()))
}

#[SubscriptionRoot]
impl Subscription {
    /// A topic's changes the viewer can see: its stage and counts, and timeline events as the `topic`
    /// query's timeline shows them to the viewer. Refused as that query is (NOT_FOUND for a topic the
    /// viewer may not see); ends with NOT_FOUND should the topic leave their sight.
    async fn topic_changed(
        &self,
        ctx: &Context<'_>,
        topic_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<TopicChange>> + use<>> {
        let id: TopicId = decode(NodeType::Topic, &topic_id).gql()?;
        ctx.partner_may(gongzhi_domain::partner::PartnerScope::Topics)?;
        let delivery = delivery(ctx).await?;
        let (seen, first) = TopicSeen::read(ctx.store(), ctx.caller().await?, id).await.gql()?;
        Ok(until_error(first, (delivery, seen), move |(mut delivery, mut seen)| async move {
            loop {
                let (message, reader) = match delivery.next(|message| changes_topic(message, id)).await? {
                    Ok(next) => next,
                    Err(error) => return Some((Err(error), (delivery, seen))),
                };
                let seq = message.change().map_or(0, |change| change.seq);
                let store = delivery.state().store.clone();
                match seen.advance(&store, reader.caller(), seq).await {
                    Ok(Some(change)) => return Some((Ok(change), (delivery, seen))),
                    Ok(None) => continue,
                    Err(error) => return Some((Err(error), (delivery, seen))),
                }
            }
        }))
    }

    /// Topics about a place (or anywhere below it) as they are raised or change stage, those the viewer
    /// may see: refused as the `topics` query is for the place.
    async fn place_feed(
        &self,
        ctx: &Context<'_>,
        place_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<PlaceFeedUpdate>> + use<>> {
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        ctx.partner_may(gongzhi_domain::partner::PartnerScope::Topics)?;
        let delivery = delivery(ctx).await?;
        // The `topics` query's refusals, without reading a page.
        ctx.store().topic_counts(ctx.caller().await?, place).await.gql()?;
        // What was numbered before the subscription began listening happened before it: not news to send.
        let listening_from = ctx.store().log_head().await.gql()?;
        let first = PlaceFeedUpdate { seq: None, topics: Vec::new() };
        Ok(until_error(first, (delivery, FeedSeen::new(place)), move |(mut delivery, mut seen)| async move {
            loop {
                let news = |message: &LiveMessage| {
                    within(message, seen.place()) && message.change().is_some_and(|c| c.seq > listening_from)
                };
                let (message, reader) = match delivery.next(news).await? {
                    Ok(next) => next,
                    Err(error) => return Some((Err(error), (delivery, seen))),
                };
                let Some((topic, seq)) = message.change().and_then(|c| c.topic.map(|t| (TopicId::from_uuid(t), c.seq)))
                else {
                    continue;
                };
                let store = delivery.state().store.clone();
                match seen.advance(&store, reader.caller(), topic, seq).await {
                    Ok(Some(item)) => return Some((Ok(item), (delivery, seen))),
                    Ok(None) => continue,
                    Err(error) => return Some((Err(error), (delivery, seen))),
                }
            }
        }))
    }

    /// A vote as ballots come in: its turnout and, where its results are not hidden, the choices
    /// (`vote.result`, `null` while hidden). For people who may see the vote, as the `node` query.
    async fn vote_progress(
        &self,
        ctx: &Context<'_>,
        vote_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<VoteProgress>> + use<>> {
        let id: VoteId = decode(NodeType::Vote, &vote_id).gql()?;
        let delivery = delivery(ctx).await?;
        // The log's head before the vote is read: a change numbered at or below it is already in the first
        // message, so a late delivery of it (the vote's own opening, say) is not sent again as progress.
        let shown = ctx.store().log_head().await.gql()?;
        let now = ctx.store().vote(ctx.actor().await?, id).await.gql()?;
        let first = VoteProgress { seq: None, vote: now.into() };
        Ok(until_error(first, delivery, move |mut delivery| async move {
            let wanted =
                |message: &LiveMessage| message.change().is_some_and(|c| c.vote == Some(id.as_uuid()) && c.seq > shown);
            let (message, reader) = match delivery.next(wanted).await? {
                Ok(next) => next,
                Err(error) => return Some((Err(error), delivery)),
            };
            let seq = message.change().map_or(0, |change| change.seq);
            let store = delivery.state().store.clone();
            Some((votes::progress(&store, &reader, id, seq).await, delivery))
        }))
    }

    /// The logged-in person's notifications as they are queued, one per notice whatever the channels it
    /// goes out on.
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<NotificationsUpdate>> + use<>> {
        let person = ctx.actor().await?.person;
        let delivery = delivery(ctx).await?;
        let last = ctx.store().last_notice(person).await.gql()?;
        let first = NotificationsUpdate { seq: None, notifications: Vec::new() };
        Ok(until_error(first, (delivery, last), move |(mut delivery, mut last)| async move {
            loop {
                // A step's notices are queued in its transaction (decision 18), which logs its event: any
                // change may have brought some, and the person's queue says which (decision 78).
                let wanted = |message: &LiveMessage| message.change().is_some();
                let seq = match delivery.next(wanted).await? {
                    Ok((message, _)) => message.change().map(|change| change.seq),
                    Err(error) => return Some((Err(error), (delivery, last))),
                };
                let store = delivery.state().store.clone();
                match votes::notices(&store, person, last).await {
                    Ok(notices) if notices.is_empty() => continue,
                    Ok(notices) => {
                        last = notices.last().map(|notice| notice.id).or(last);
                        let notifications = notices.into_iter().map(Notification).collect();
                        return Some((Ok(NotificationsUpdate { seq, notifications }), (delivery, last)));
                    }
                    Err(error) => return Some((Err(error), (delivery, last))),
                }
            }
        }))
    }
}

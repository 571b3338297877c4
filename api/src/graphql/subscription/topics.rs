//! `topicChanged` and `placeFeed`: a topic's changes, and the topics of a place's subtree as they are
//! raised or change stage. Each delivery is re-read for the viewer through the store functions the
//! queries use (`Store::topic`, the viewer's standing and its timeline), so a subscriber sees exactly what
//! the query would show now: a neighbour is never sent a step only the staff see, nor a resident's name.

use std::collections::{HashMap, HashSet};

use async_graphql::SimpleObject;
use gongzhi_domain::ids::{PlaceId, TopicId};
use gongzhi_domain::policy::Caller;
use gongzhi_domain::topic::Stage;
use gongzhi_infra::Store;
use gongzhi_infra::topics::{Standing, TopicRecord};

use crate::error::ApiError;
use crate::graphql::types::topic::{TimelineEvent, Topic};

/// A change to a topic the viewer follows: something they can see moved. The first message is the topic
/// as it stood when the subscription began listening (`seq` null, no events).
#[derive(SimpleObject)]
pub struct TopicChange {
    /// The change's place in the event log: later changes have larger numbers. Null on the first message.
    pub seq: Option<i64>,
    /// The topic as the viewer sees it now (stage, counts…).
    pub topic: Topic,
    /// Timeline events the viewer may see that they were not sent before, oldest first.
    pub events: Vec<TimelineEvent>,
}

/// Topics of the followed place's subtree, newly raised or in a new stage. The first message says the
/// subscription is listening (`seq` null, no topics): everything after it is sent.
#[derive(SimpleObject)]
pub struct PlaceFeedUpdate {
    pub seq: Option<i64>,
    pub topics: Vec<Topic>,
}

/// What a `topicChanged` subscriber has been shown: a change is sent only when this differs.
pub struct TopicSeen {
    id: TopicId,
    stage: Stage,
    co_signs: u32,
    events: HashSet<uuid::Uuid>,
}

async fn visible_timeline(
    store: &Store,
    caller: Caller<'_>,
    record: &TopicRecord,
) -> Result<Vec<gongzhi_infra::topics::TimelineEntry>, ApiError> {
    let place = store.place_context(record.topic.place.id()).await?;
    let standing = Standing::of(caller, record.topic.id, &place)?;
    let mut timelines = store.timelines(&[standing]).await?;
    Ok(timelines.remove(&standing).unwrap_or_default())
}

impl TopicSeen {
    /// What the viewer sees of the topic now, as the `topic` query would refuse or answer it, and the
    /// first message to send.
    pub async fn read(store: &Store, caller: Caller<'_>, id: TopicId) -> Result<(Self, TopicChange), ApiError> {
        let record = store.topic(caller, id).await?;
        let events = visible_timeline(store, caller, &record).await?.iter().map(|entry| entry.id.as_uuid()).collect();
        let seen = Self { id, stage: record.topic.stage(), co_signs: record.co_sign_count, events };
        Ok((seen, TopicChange { seq: None, topic: Topic(record), events: Vec::new() }))
    }

    /// The change since last shown, or `None` when nothing the viewer sees moved. A topic the viewer may
    /// no longer see ends the subscription (NOT_FOUND, as the query would answer).
    pub async fn advance(
        &mut self,
        store: &Store,
        caller: Caller<'_>,
        seq: i64,
    ) -> Result<Option<TopicChange>, ApiError> {
        let record = store.topic(caller, self.id).await?;
        let timeline = visible_timeline(store, caller, &record).await?;
        let fresh: Vec<_> = timeline.into_iter().filter(|entry| !self.events.contains(&entry.id.as_uuid())).collect();
        let (stage, co_signs) = (record.topic.stage(), record.co_sign_count);
        if fresh.is_empty() && stage == self.stage && co_signs == self.co_signs {
            return Ok(None);
        }
        self.events.extend(fresh.iter().map(|entry| entry.id.as_uuid()));
        (self.stage, self.co_signs) = (stage, co_signs);
        Ok(Some(TopicChange {
            seq: Some(seq),
            topic: Topic(record),
            events: fresh.into_iter().map(TimelineEvent).collect(),
        }))
    }
}

/// The stages a `placeFeed` subscriber was last sent, per topic; bounded, since a subscription may live
/// long over a busy district: when full it forgets, and a topic forgotten is sent again at its next change.
pub struct FeedSeen {
    place: PlaceId,
    stages: HashMap<TopicId, Stage>,
}

const FEED_MEMORY: usize = 10_000;

impl FeedSeen {
    pub fn new(place: PlaceId) -> Self {
        Self { place, stages: HashMap::new() }
    }

    pub fn place(&self) -> PlaceId {
        self.place
    }

    /// The topic as the viewer sees it, when it is new to them or in another stage than last sent. A topic
    /// they may not see is skipped, as the feed would leave it out.
    pub async fn advance(
        &mut self,
        store: &Store,
        caller: Caller<'_>,
        topic: TopicId,
        seq: i64,
    ) -> Result<Option<PlaceFeedUpdate>, ApiError> {
        let record = match store.topic(caller, topic).await {
            Ok(record) => record,
            Err(gongzhi_infra::Error::NotFound(_) | gongzhi_infra::Error::Denied(_)) => return Ok(None),
            Err(other) => return Err(other.into()),
        };
        let stage = record.topic.stage();
        if self.stages.get(&topic) == Some(&stage) {
            return Ok(None);
        }
        if self.stages.len() >= FEED_MEMORY {
            self.stages.clear();
        }
        self.stages.insert(topic, stage);
        Ok(Some(PlaceFeedUpdate { seq: Some(seq), topics: vec![Topic(record)] }))
    }
}

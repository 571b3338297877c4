//! What the read cache holds for topics: rows as read (the topic and its place), shared by everyone who
//! may see them. Nothing personal goes in (whether I co-signed, my ballot): those are resolved per viewer,
//! and so is the permission to see the entry, which every read checks against the place before serving.

use gongzhi_domain::ids::PlaceId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{FeedQuery, TopicRecord, record_of, row};
use crate::Result;
use crate::entities::{place, topic};
use crate::rows::ancestry_of;

#[derive(Serialize, Deserialize)]
pub(super) struct CachedTopic {
    pub(super) row: topic::Model,
    pub(super) place: place::Model,
}

impl CachedTopic {
    pub(super) fn record(&self) -> Result<TopicRecord> {
        let topic = row::topic_of(&self.row, ancestry_of(&self.place)?)?;
        Ok(record_of(&self.row, topic))
    }
}

/// The entry of one feed page: the place and a digest of every filter and the page position.
pub(super) fn feed_entry(place: PlaceId, q: &FeedQuery) -> String {
    let shape = format!(
        "{:?}|{:?}|{:?}|{:?}|{}",
        q.stage.map(|s| s.as_str()),
        q.category.map(|c| c.as_uuid()),
        q.sort,
        q.after,
        q.limit
    );
    let digest = Sha256::digest(shape.as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("feed:{}:{hex}", place.as_uuid())
}

/// Text searches are not cached: their keys are unbounded and they are not the hot path.
pub(super) fn cacheable(q: &FeedQuery) -> bool {
    q.text.as_deref().is_none_or(|t| t.trim().is_empty())
}

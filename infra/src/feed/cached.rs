//! What the read cache holds for topics: rows as read (the topic and its place's ancestry), shared by
//! everyone who may see them. Nothing personal goes in (whether I co-signed, my ballot): those are
//! resolved per viewer, and so is the permission to see the entry, which every read checks against the
//! place before serving.

use std::collections::HashMap;

use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::place::{Ancestry, PlaceContext};
use sea_orm::prelude::Uuid;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::FeedQuery;
use crate::entities::topic;
use crate::rows::corrupt;
use crate::topics::{TopicRecord, record_of, row};
use crate::{Error, Result, Store};

#[derive(Serialize, Deserialize)]
pub(crate) struct CachedTopic {
    pub(crate) row: topic::Model,
    /// The ids from the city down to the topic's place: all a topic needs of its place, and it never
    /// changes (places do not move). Taken from the place's context, not joined to every row.
    pub(crate) path: Vec<Uuid>,
}

impl CachedTopic {
    pub(super) fn new(row: topic::Model, place: &Ancestry) -> Self {
        Self { row, path: place.path().iter().map(PlaceId::as_uuid).collect() }
    }

    pub(crate) fn record(&self) -> Result<TopicRecord> {
        let path: Vec<PlaceId> = self.path.iter().copied().map(PlaceId::from_uuid).collect();
        let ancestry = Ancestry::from_path(&path)
            .filter(|ancestry| ancestry.id().as_uuid() == self.row.place_id)
            .ok_or_else(|| corrupt("topic's place path", self.row.id))?;
        let topic = row::topic_of(&self.row, ancestry)?;
        Ok(record_of(&self.row, topic))
    }
}

impl Store {
    /// Rows with their places' paths, and the policy's context of each place, from `read_contexts` (the
    /// authority snapshot usually holds them: no statement).
    pub(crate) async fn with_places(
        &self,
        rows: Vec<topic::Model>,
    ) -> Result<(Vec<CachedTopic>, HashMap<Uuid, PlaceContext>)> {
        let places: Vec<Uuid> = rows.iter().map(|row| row.place_id).collect();
        let contexts = self.read_contexts(&places).await?;
        let topics = rows
            .into_iter()
            .map(|row| {
                let place = contexts.get(&row.place_id).ok_or(Error::NotFound("place"))?;
                Ok(CachedTopic::new(row, &place.ancestry))
            })
            .collect::<Result<_>>()?;
        Ok((topics, contexts))
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

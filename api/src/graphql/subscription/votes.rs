//! `voteProgress` and `myNotifications`: a vote re-read as ballots come in, and a person's notices.

use async_graphql::{ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, VoteId};
use gongzhi_infra::Store;
use gongzhi_infra::live::Notice;

use super::delivery::Reader;
use crate::error::ApiError;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::types::vote::Vote;

/// A vote after a ballot (or a change to the vote). The first message is the vote as it stood when the
/// subscription began listening (`seq` null).
#[derive(SimpleObject)]
pub struct VoteProgress {
    pub seq: Option<i64>,
    /// The vote as the viewer sees it now; its `result` stays `null` while results are hidden.
    pub vote: Vote,
}

/// The vote as the viewer may see it now; a partner never may (people only, as the `node` query).
pub async fn progress(store: &Store, reader: &Reader, id: VoteId, seq: i64) -> Result<VoteProgress, ApiError> {
    let Reader::Person(actor) = reader else {
        return Err(ApiError::Partner(gongzhi_domain::partner::PartnerDenied::PeopleOnly));
    };
    let record = store.vote(actor, id).await?;
    Ok(VoteProgress { seq: Some(seq), vote: record.into() })
}

/// Notices read per delivery at most; more wait for the next.
const NOTICES_PER_READ: u64 = 100;

pub async fn notices(store: &Store, person: PersonId, after: Option<uuid::Uuid>) -> Result<Vec<Notice>, ApiError> {
    Ok(store.notices_for(person, after, NOTICES_PER_READ).await?)
}

/// Notifications queued for the logged-in person. The first message says the subscription is listening
/// (`seq` null, none): every notification queued after it is sent.
#[derive(SimpleObject)]
pub struct NotificationsUpdate {
    pub seq: Option<i64>,
    pub notifications: Vec<Notification>,
}

/// One of the logged-in person's notifications.
pub struct Notification(pub Notice);

#[Object]
impl Notification {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The kind of notification, e.g. `topic_accepted`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    /// The topic it is about, as a global id; read it with `node` (which checks it may still be seen).
    async fn topic_id(&self) -> Option<ID> {
        self.0.topic.map(|topic| encode(NodeType::Topic, topic))
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

//! A submission as it is kept while held (decision 130): the step's input, serialised, so that publishing
//! it later runs the very step it was submitted to, as its author, with every rule that step applies then.

use gongzhi_domain::content::{HoldKind, Scene};
use gongzhi_domain::ids::{CategoryId, OpinionId, PlaceId, RoundId, TopicId};
use gongzhi_domain::opinion::Stance;
use gongzhi_domain::policy::Actor;
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::topic;
use crate::topics::{NewLocation, NewTopic, OpinionThread, TopicRecord};
use crate::{Error, Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredLocation {
    datum: String,
    latitude: String,
    longitude: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Submission {
    Topic {
        place: Uuid,
        category: Uuid,
        round: Option<Uuid>,
        title: String,
        description: String,
        location: Option<StoredLocation>,
        photos: Vec<String>,
    },
    Opinion {
        topic: Uuid,
        stance: String,
        text: String,
    },
    Reply {
        parent: Uuid,
        text: String,
    },
}

/// What publishing a submission made.
#[derive(Debug, Clone)]
pub enum Published {
    Topic(TopicRecord),
    Opinion(OpinionThread),
}

impl Published {
    pub fn id(&self) -> Uuid {
        match self {
            Published::Topic(record) => record.topic.id.as_uuid(),
            Published::Opinion(thread) => thread.opinion.opinion.id.as_uuid(),
        }
    }

    /// The topic it is, or is about.
    pub fn topic(&self) -> TopicId {
        match self {
            Published::Topic(record) => record.topic.id,
            Published::Opinion(thread) => thread.opinion.opinion.topic,
        }
    }
}

impl Submission {
    pub(crate) fn topic(input: &NewTopic) -> Self {
        Submission::Topic {
            place: input.place.as_uuid(),
            category: input.category.as_uuid(),
            round: input.round.map(|r| r.as_uuid()),
            title: input.title.clone(),
            description: input.description.clone(),
            location: input.location.as_ref().map(|l| StoredLocation {
                datum: l.datum.clone(),
                latitude: l.latitude.clone(),
                longitude: l.longitude.clone(),
            }),
            photos: input.photos.clone(),
        }
    }

    pub(crate) fn kind(&self) -> HoldKind {
        match self {
            Submission::Topic { .. } => HoldKind::Topic,
            Submission::Opinion { .. } => HoldKind::Opinion,
            Submission::Reply { .. } => HoldKind::Reply,
        }
    }

    /// The text others would read, as one string for the check: a topic's title and description together.
    pub(crate) fn text(&self) -> String {
        match self {
            Submission::Topic { title, description, .. } => format!("{title}\n{description}"),
            Submission::Opinion { text, .. } | Submission::Reply { text, .. } => text.clone(),
        }
    }

    pub(crate) fn title(&self) -> Option<&str> {
        match self {
            Submission::Topic { title, .. } => Some(title),
            _ => None,
        }
    }

    pub(crate) fn body(&self) -> &str {
        match self {
            Submission::Topic { description, .. } => description,
            Submission::Opinion { text, .. } | Submission::Reply { text, .. } => text,
        }
    }

    pub(crate) fn scene(&self) -> Scene {
        match self {
            Submission::Topic { .. } => Scene::Forum,
            Submission::Opinion { .. } | Submission::Reply { .. } => Scene::Comment,
        }
    }

    /// Runs the step as `actor` on `store` (a unit of work, so the caller decides whether it commits).
    pub(crate) async fn publish(&self, store: &Store, actor: &Actor) -> Result<Published> {
        match self {
            Submission::Topic { place, category, round, title, description, location, photos } => {
                let input = NewTopic {
                    place: PlaceId::from_uuid(*place),
                    category: CategoryId::from_uuid(*category),
                    round: round.map(RoundId::from_uuid),
                    title: title.clone(),
                    description: description.clone(),
                    location: location.as_ref().map(|l| NewLocation {
                        datum: l.datum.clone(),
                        latitude: l.latitude.clone(),
                        longitude: l.longitude.clone(),
                    }),
                    photos: photos.clone(),
                };
                store.submit_topic(actor, input).await.map(Published::Topic)
            }
            Submission::Opinion { topic, stance, text } => {
                let stance = Stance::parse(stance)?;
                store.post_opinion(actor, TopicId::from_uuid(*topic), stance, text).await.map(Published::Opinion)
            }
            Submission::Reply { parent, text } => {
                store.reply_to_opinion(actor, OpinionId::from_uuid(*parent), text).await.map(Published::Opinion)
            }
        }
    }
}

/// The place content about `topic` is moderated at: the topic's compound or building, and its community.
pub(crate) async fn topic_place(store: &Store, topic: TopicId) -> Result<(PlaceId, PlaceId)> {
    let row = topic::Entity::find_by_id(topic.as_uuid()).one(&store.db).await?.ok_or(Error::NotFound("topic"))?;
    Ok((PlaceId::from_uuid(row.place_id), PlaceId::from_uuid(row.community_id)))
}

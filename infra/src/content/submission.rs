//! A submission as it is kept while held (decision 130): the step's input, serialised, so that publishing
//! it later runs the very step it was submitted to, as its author, with every rule that step applies then.

use gongzhi_domain::content::{HoldKind, Scene};
use gongzhi_domain::disclosure::DisclosureRules;
use gongzhi_domain::ids::{CategoryId, DisclosureId, MeetingId, OpinionId, PlaceId, RoundId, TopicId};
use gongzhi_domain::opinion::Stance;
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::Actor;
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::disclosures::Question;
use crate::entities::{disclosure, topic};
use crate::topics::{MeetingRecord, NewLocation, NewTopic, OpinionThread, TopicRecord, TopicRequest};
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
    Minutes {
        meeting: Uuid,
        text: String,
        attachments: Vec<String>,
        reason: Option<String>,
    },
    /// A rating with a comment: the score waits with the comment it came with (decision 135).
    Rating {
        topic: Uuid,
        score: i16,
        comment: String,
    },
    Explanation {
        request: Uuid,
        answer: String,
    },
    /// `answer_days` is the setting when it was asked; the answer is due that long after it is shown.
    DisclosureQuestion {
        disclosure: Uuid,
        line: String,
        text: String,
        answer_days: u32,
    },
}

/// What publishing a submission made.
#[derive(Debug, Clone)]
pub enum Published {
    Topic(TopicRecord),
    Opinion(OpinionThread),
    Minutes(MeetingRecord),
    /// The topic rated (a rating has no id of its own: one per resident and topic).
    Rating(TopicId),
    Explanation(TopicRequest),
    DisclosureQuestion(Question),
}

impl Published {
    /// What it became, for `publishedId`: the topic, opinion, meeting (minutes), topic (a rating), request
    /// (an explanation) or question.
    pub fn id(&self) -> Uuid {
        match self {
            Published::Topic(record) => record.topic.id.as_uuid(),
            Published::Opinion(thread) => thread.opinion.opinion.id.as_uuid(),
            Published::Minutes(record) => record.meeting.id.as_uuid(),
            Published::Rating(topic) => topic.as_uuid(),
            Published::Explanation(request) => request.id,
            Published::DisclosureQuestion(question) => question.id.as_uuid(),
        }
    }

    /// The place it is about and that place's community, whose residents' committee moderates it.
    pub(crate) async fn place(&self, store: &Store) -> Result<(PlaceId, PlaceId)> {
        let topic = match self {
            Published::Topic(record) => {
                let place = &record.topic.place;
                return Ok((place.id(), place.at(PlaceKind::Community).ok_or(Error::NotFound("community"))?));
            }
            Published::DisclosureQuestion(question) => return disclosure_place(store, question.disclosure).await,
            Published::Opinion(thread) => thread.opinion.opinion.topic,
            Published::Minutes(record) => record.meeting.topic,
            Published::Rating(topic) => *topic,
            Published::Explanation(request) => request.topic,
        };
        topic_place(store, topic).await
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
            Submission::Minutes { .. } => HoldKind::Minutes,
            Submission::Rating { .. } => HoldKind::Rating,
            Submission::Explanation { .. } => HoldKind::Explanation,
            Submission::DisclosureQuestion { .. } => HoldKind::DisclosureQuestion,
        }
    }

    /// The text others would read, as one string for the check: a topic's title and description together.
    pub(crate) fn text(&self) -> String {
        match self {
            Submission::Topic { title, description, .. } => format!("{title}\n{description}"),
            other => other.body().to_owned(),
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
            Submission::Opinion { text, .. }
            | Submission::Reply { text, .. }
            | Submission::Minutes { text, .. }
            | Submission::DisclosureQuestion { text, .. } => text,
            Submission::Rating { comment, .. } => comment,
            Submission::Explanation { answer, .. } => answer,
        }
    }

    pub(crate) fn scene(&self) -> Scene {
        match self {
            Submission::Topic { .. } => Scene::Forum,
            Submission::Opinion { .. } | Submission::Reply { .. } | Submission::Rating { .. } => Scene::Comment,
            Submission::Minutes { .. } | Submission::Explanation { .. } | Submission::DisclosureQuestion { .. } => {
                Scene::Forum
            }
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
            Submission::Minutes { meeting, text, attachments, reason } => store
                .write_minutes(actor, MeetingId::from_uuid(*meeting), text, attachments.clone(), reason.as_deref())
                .await
                .map(Published::Minutes),
            Submission::Rating { topic, score, comment } => {
                let topic = TopicId::from_uuid(*topic);
                store.rate_topic(actor, topic, *score, Some(comment)).await.map(|()| Published::Rating(topic))
            }
            Submission::Explanation { request, answer } => {
                store.answer_explanation(actor, *request, answer).await.map(Published::Explanation)
            }
            Submission::DisclosureQuestion { disclosure, line, text, answer_days } => {
                let rules = DisclosureRules { answer_days: *answer_days, ..DisclosureRules::default() };
                store
                    .question_disclosure(actor, DisclosureId::from_uuid(*disclosure), line, text, &rules)
                    .await
                    .map(Published::DisclosureQuestion)
            }
        }
    }
}

/// The place content about `topic` is moderated at: the topic's compound or building, and its community.
pub(crate) async fn topic_place(store: &Store, topic: TopicId) -> Result<(PlaceId, PlaceId)> {
    let row = topic::Entity::find_by_id(topic.as_uuid()).one(&store.db).await?.ok_or(Error::NotFound("topic"))?;
    Ok((PlaceId::from_uuid(row.place_id), PlaceId::from_uuid(row.community_id)))
}

/// The place a disclosure is of, and its community.
async fn disclosure_place(store: &Store, of: DisclosureId) -> Result<(PlaceId, PlaceId)> {
    let row =
        disclosure::Entity::find_by_id(of.as_uuid()).one(&store.db).await?.ok_or(Error::NotFound("disclosure"))?;
    let place = crate::places::find_row(&store.db, PlaceId::from_uuid(row.place_id)).await?;
    let ctx = crate::places::context_of(&store.db, &place).await?;
    Ok((ctx.ancestry.id(), ctx.ancestry.at(PlaceKind::Community).ok_or(Error::NotFound("community"))?))
}

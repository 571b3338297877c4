//! What a step records, and what a consumer reads. A step builds a `NewEvent` and hands it to its write
//! (`TopicWrite::record`); nothing reaches the log until the write's transaction flushes it, last before
//! commit (`append`). A step that rolls back records nothing.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, PlaceId, TopicId, VoteId};
use gongzhi_domain::topic::{TimelineEvent, Visibility};
use uuid::Uuid;

use super::wire::{self, Payload, WireEvent};

/// Who may see a fact. Wider than the timeline's `Visibility`: a ballot is the participants' business, a
/// rating or a mandate the person's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Every resident of the place, and everyone with a role over it.
    Public,
    /// Those taking part (a vote's roll, a meeting's invitees), and the staff.
    Participants,
    /// Community staff and officers above.
    Staff,
    /// The person it concerns (the actor or the subject), and the staff who must know.
    Private,
}

impl Audience {
    pub const fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Participants => "participants",
            Audience::Staff => "staff",
            Audience::Private => "private",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "public" => Audience::Public,
            "participants" => Audience::Participants,
            "staff" => Audience::Staff,
            "private" => Audience::Private,
            _ => return None,
        })
    }
}

impl From<Visibility> for Audience {
    fn from(visibility: Visibility) -> Self {
        match visibility {
            Visibility::Public => Audience::Public,
            Visibility::Staff => Audience::Staff,
        }
    }
}

/// One event as the log holds it (spine.md). `payload` is the `wire::Payload` as JSON; its free texts are
/// read with `event_log::texts`.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedEvent {
    pub seq: i64,
    pub id: Uuid,
    pub kind: String,
    pub schema_version: i16,
    pub at: DateTime<Utc>,
    pub actor: Option<PersonId>,
    pub topic: Option<TopicId>,
    pub vote: Option<VoteId>,
    pub place: Option<PlaceId>,
    /// City first, the place itself last; empty when the fact concerns no place.
    pub place_path: Vec<Uuid>,
    pub audience: Audience,
    pub payload: serde_json::Value,
}

impl LoggedEvent {
    /// The payload in this build's wire type; `None` for a kind or version this build does not know.
    pub fn wire(&self) -> Option<Payload> {
        (self.schema_version <= wire::SCHEMA_VERSION).then(|| serde_json::from_value(self.payload.clone()).ok())?
    }
}

/// A free text of an event, as stored apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventText {
    pub event: Uuid,
    pub field: String,
    pub audience: Audience,
    /// `None` once redacted.
    pub body: Option<String>,
}

/// An event not yet in the log.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub(crate) id: Uuid,
    pub(crate) at: DateTime<Utc>,
    pub(crate) actor: Option<Uuid>,
    pub(crate) topic: Option<Uuid>,
    pub(crate) vote: Option<Uuid>,
    /// When `None` and `topic` is set, the topic's place, resolved at flush.
    pub(crate) place: Option<Uuid>,
    /// The place's path (`/<city>/…/<place>/`) when the write already knows it; read at flush otherwise.
    pub(crate) place_path: Option<String>,
    pub(crate) audience: Audience,
    pub(crate) event: WireEvent,
    pub(crate) texts: Vec<(&'static str, Audience, String)>,
    pub(crate) due: Option<wire::WireDue>,
}

impl NewEvent {
    pub(crate) fn new(event: WireEvent, at: DateTime<Utc>, audience: Audience) -> Self {
        NewEvent {
            id: crate::new_id(),
            at,
            actor: None,
            topic: None,
            vote: None,
            place: None,
            place_path: None,
            audience,
            event,
            texts: Vec::new(),
            due: None,
        }
    }

    /// The deadline the step was taken against (decision 157).
    pub(crate) fn due(mut self, kind: &str, at: DateTime<Utc>) -> Self {
        self.due = Some(wire::WireDue { kind: kind.to_owned(), at });
        self
    }

    pub(crate) fn actor(mut self, actor: Option<PersonId>) -> Self {
        self.actor = actor.map(|p| p.as_uuid());
        self
    }

    pub(crate) fn topic(mut self, topic: TopicId) -> Self {
        self.topic = Some(topic.as_uuid());
        self
    }

    pub(crate) fn vote(mut self, vote: VoteId) -> Self {
        self.vote = Some(vote.as_uuid());
        self
    }

    pub(crate) fn place(mut self, place: PlaceId) -> Self {
        self.place = Some(place.as_uuid());
        self
    }

    /// A free text, kept apart from the payload; empty texts are not kept.
    pub(crate) fn text(mut self, field: &'static str, audience: Audience, body: &str) -> Self {
        if !body.is_empty() {
            self.texts.push((field, audience, body.to_owned()));
        }
        self
    }

    /// A topic's timeline step: the same fact, in the wire type; its note is as visible as the kind says.
    pub(crate) fn of_timeline(event: &TimelineEvent) -> Self {
        let (wire, texts) = wire::of_timeline(&event.kind);
        let audience = Audience::from(event.visibility());
        let mut new = NewEvent::new(wire, event.at, audience).actor(event.actor).topic(event.topic);
        for (field, body) in texts {
            new = new.text(field, audience, &body);
        }
        if let Some(note) = &event.note {
            new = new.text("note", Audience::from(event.kind.note_visibility()), note.as_str());
        }
        new
    }

    /// One of its texts, by field name.
    pub(crate) fn text_of(&self, field: &str) -> Option<&str> {
        self.texts.iter().find(|(f, _, _)| *f == field).map(|(_, _, body)| body.as_str())
    }

    pub(crate) fn payload(&self) -> Payload {
        Payload {
            event: self.event.clone(),
            texts: self.texts.iter().map(|(f, _, _)| (*f).to_owned()).collect(),
            due: self.due.clone(),
        }
    }
}

/// Events recorded in a unit of work, flushed at its outer commit.
pub(crate) type Pending = Arc<Mutex<Vec<NewEvent>>>;

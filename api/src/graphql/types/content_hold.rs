//! A submission the content check held back (decision 130), as its author and the residents' committee
//! read it. Nobody else learns that it exists.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::content::{HoldKind, HoldState, Suggestion};
use gongzhi_infra::content::HoldRecord;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::types::place::Place;
use crate::graphql::types::topic::Refusal;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ContentKind {
    Topic,
    Opinion,
    Reply,
    /// A version of a meeting's minutes.
    Minutes,
    /// A rating with its comment.
    Rating,
    /// Staff's answer to a request for an explanation.
    Explanation,
    /// A question on a line of a disclosure.
    DisclosureQuestion,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ContentHoldState {
    /// The content check could not be made; it is asked again shortly. Nothing is lost.
    AwaitingCheck,
    /// Flagged by the check: the residents' committee decides.
    Held,
    /// Shown to others now (`publishedId`).
    Published,
    /// Refused by the residents' committee (`rejectionReason`).
    Rejected,
    /// Cleared, but the step no longer took it (the thread closed, the topic moved on).
    Lapsed,
}

/// What the check said.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ContentSuggestion {
    Pass,
    Review,
    Risky,
}

pub struct ContentHold(pub HoldRecord);

#[Object]
impl ContentHold {
    async fn id(&self) -> ID {
        encode(NodeType::ContentHold, self.0.hold.id.as_uuid())
    }

    async fn kind(&self) -> ContentKind {
        match self.0.hold.kind {
            HoldKind::Topic => ContentKind::Topic,
            HoldKind::Opinion => ContentKind::Opinion,
            HoldKind::Reply => ContentKind::Reply,
            HoldKind::Minutes => ContentKind::Minutes,
            HoldKind::Rating => ContentKind::Rating,
            HoldKind::Explanation => ContentKind::Explanation,
            HoldKind::DisclosureQuestion => ContentKind::DisclosureQuestion,
        }
    }

    async fn state(&self) -> ContentHoldState {
        match self.0.hold.state {
            HoldState::AwaitingCheck { .. } => ContentHoldState::AwaitingCheck,
            HoldState::Held { .. } => ContentHoldState::Held,
            HoldState::Published { .. } => ContentHoldState::Published,
            HoldState::Rejected { .. } => ContentHoldState::Rejected,
            HoldState::Lapsed => ContentHoldState::Lapsed,
        }
    }

    /// Not yet shown to others, and not yet decided: what the author sees as 待审核.
    async fn pending(&self) -> bool {
        self.0.hold.state.is_pending()
    }

    /// The check's answer, once it gave one.
    async fn suggestion(&self) -> Option<ContentSuggestion> {
        self.0.suggestion.map(|s| match s {
            Suggestion::Pass => ContentSuggestion::Pass,
            Suggestion::Review => ContentSuggestion::Review,
            Suggestion::Risky => ContentSuggestion::Risky,
        })
    }

    /// A topic's title.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    /// A topic's description, an opinion's or a reply's text.
    async fn text(&self) -> &str {
        &self.0.text
    }

    async fn author_id(&self) -> ID {
        encode(NodeType::Person, self.0.hold.author.as_uuid())
    }

    /// The compound or building it is about.
    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.hold.place).await.gql()?.map(Place))
    }

    /// How many times the check was tried without an answer.
    async fn check_attempts(&self) -> u32 {
        self.0.attempts
    }

    /// When the check is asked again, while it is owed.
    async fn next_check_at(&self) -> Option<DateTime<Utc>> {
        match self.0.hold.state {
            HoldState::AwaitingCheck { next_check_at, .. } => Some(next_check_at),
            _ => None,
        }
    }

    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.submitted_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// What it became, once published: the topic, the opinion, the meeting (minutes), the topic rated
    /// (a rating), the explanation request answered, or the disclosure question.
    async fn published_id(&self) -> Option<ID> {
        let kind = match self.0.hold.kind {
            HoldKind::Topic | HoldKind::Rating => NodeType::Topic,
            HoldKind::Opinion | HoldKind::Reply => NodeType::Opinion,
            HoldKind::Minutes => NodeType::Meeting,
            HoldKind::Explanation => NodeType::TopicRequest,
            HoldKind::DisclosureQuestion => NodeType::DisclosureQuestion,
        };
        self.0.published.map(|id| encode(kind, id))
    }

    /// Why the residents' committee refused it.
    async fn rejection_reason(&self) -> Option<&str> {
        match &self.0.hold.state {
            HoldState::Rejected { reason, .. } => Some(reason.as_str()),
            _ => None,
        }
    }

    /// Who on the residents' committee decided it.
    async fn decided_by_id(&self) -> Option<ID> {
        self.0.decided_by.map(|p| encode(NodeType::Person, p.as_uuid()))
    }
}

/// The result of a moderator's decision: `refusal` when someone decided first (`content_not_held`), with
/// the submission as it stands.
#[derive(SimpleObject)]
pub struct ContentHoldPayload {
    pub ok: bool,
    pub refusal: Option<Refusal>,
    pub hold: Option<ContentHold>,
}

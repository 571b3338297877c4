//! 网上协商: the online thread where a topic under deliberation gathers individual opinions (个别酝酿)
//! before and during its meetings. An opinion takes a [`Stance`] and says why; others reply to it (one
//! level deep). Posting and replying happen while the topic is deliberating
//! ([`Topic::check_deliberating`]); moderation and reports at any time.
//!
//! Moderation never deletes: the topic's moderators hide an opinion with a reason, which takes it (and
//! its replies with it) out of the public thread, while storage keeps it and the moderators (and its
//! author) still see it, with who hid it, when and why. Residents report an opinion to the moderators,
//! once each. Who may post and who moderates is [`crate::policy`]'s decision
//! ([`Action::PostOpinion`](crate::policy::Action::PostOpinion),
//! [`Action::ModerateOpinions`](crate::policy::Action::ModerateOpinions)).

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::Invalid;
use crate::ids::{OpinionId, PersonId, TopicId};
use crate::topic::{Reason, Topic, TopicError};

/// Where an opinion stands on the topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stance {
    /// 赞成.
    For,
    /// 反对.
    Against,
    /// 中立 (a question, a condition, a third way).
    Neutral,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::For, Stance::Against, Stance::Neutral];

    pub const fn as_str(self) -> &'static str {
        match self {
            Stance::For => "for",
            Stance::Against => "against",
            Stance::Neutral => "neutral",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|stance| stance.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "stance", given: input.to_owned() })
    }
}

/// What an opinion or reply says: paragraphs (line breaks kept, normalised to `\n`), at most 1000
/// characters, no other control characters and no directional overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionText(String);

impl OpinionText {
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let field = "text";
        let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
        let trimmed = normalised.trim();
        if trimmed.is_empty() {
            return Err(Invalid::Required { field });
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::TooLong { field, max: Self::MAX_CHARS });
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(Invalid::ControlCharacters { field });
        }
        crate::text_direction::refuse_direction_controls(field, trimmed)?;
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OpinionError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The topic does not take opinions now (it is not deliberating).
    #[error(transparent)]
    Topic(#[from] TopicError),
    #[error("replies go one level deep: reply to the opinion, not to a reply")]
    NestedReply,
    #[error("the opinion has been hidden by the moderators")]
    Hidden,
    #[error("the opinion is already hidden")]
    AlreadyHidden,
    #[error("one cannot report one's own opinion")]
    OwnOpinion,
    #[error("the person already reported this opinion")]
    AlreadyReported,
}

impl OpinionError {
    pub const fn code(&self) -> &'static str {
        match self {
            OpinionError::Invalid(_) => "invalid",
            OpinionError::Topic(err) => err.code(),
            OpinionError::NestedReply => "nested_reply",
            OpinionError::Hidden => "opinion_hidden",
            OpinionError::AlreadyHidden => "already_hidden",
            OpinionError::OwnOpinion => "own_opinion",
            OpinionError::AlreadyReported => "already_reported",
        }
    }
}

/// Who hid an opinion, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hiding {
    pub by: PersonId,
    pub at: DateTime<Utc>,
    pub reason: Reason,
}

/// An opinion in a topic's thread, or a reply to one. Fields are public so storage can rebuild it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opinion {
    pub id: OpinionId,
    pub topic: TopicId,
    pub author: PersonId,
    /// The opinion replied to; `None` for an opinion of the thread itself.
    pub parent: Option<OpinionId>,
    /// Opinions take a stance; replies do not (they discuss, and are not counted).
    pub stance: Option<Stance>,
    pub text: OpinionText,
    pub posted_at: DateTime<Utc>,
    pub hidden: Option<Hiding>,
}

impl Opinion {
    /// A new opinion in the thread of a topic under deliberation.
    pub fn post(
        topic: &Topic,
        id: OpinionId,
        author: PersonId,
        stance: Stance,
        text: OpinionText,
        now: DateTime<Utc>,
    ) -> Result<Self, OpinionError> {
        topic.check_deliberating()?;
        Ok(Self { id, topic: topic.id, author, parent: None, stance: Some(stance), text, posted_at: now, hidden: None })
    }

    /// A reply to this opinion, which must be an opinion of the thread (not a reply) and not hidden.
    pub fn reply(
        &self,
        topic: &Topic,
        id: OpinionId,
        author: PersonId,
        text: OpinionText,
        now: DateTime<Utc>,
    ) -> Result<Self, OpinionError> {
        topic.check_deliberating()?;
        if self.parent.is_some() {
            return Err(OpinionError::NestedReply);
        }
        if self.hidden.is_some() {
            return Err(OpinionError::Hidden);
        }
        Ok(Self {
            id,
            topic: topic.id,
            author,
            parent: Some(self.id),
            stance: None,
            text,
            posted_at: now,
            hidden: None,
        })
    }

    /// Takes the opinion out of the public thread, with the reason the moderators and its author read.
    pub fn hide(mut self, by: PersonId, reason: Reason, now: DateTime<Utc>) -> Result<Self, OpinionError> {
        if self.hidden.is_some() {
            return Err(OpinionError::AlreadyHidden);
        }
        self.hidden = Some(Hiding { by, at: now, reason });
        Ok(self)
    }

    /// Whether someone may report it: not its author, and not once it is hidden (the moderators have
    /// already acted). Once per person is storage's unique key.
    pub fn check_reportable(&self, by: PersonId) -> Result<(), OpinionError> {
        if self.author == by {
            return Err(OpinionError::OwnOpinion);
        }
        if self.hidden.is_some() {
            return Err(OpinionError::Hidden);
        }
        Ok(())
    }

    /// Whether the viewer sees it: the public sees what is not hidden; the moderators see everything;
    /// the author sees their own hidden opinion, with the reason.
    pub fn is_visible_to(&self, viewer: PersonId, moderator: bool) -> bool {
        self.hidden.is_none() || moderator || self.author == viewer
    }
}

#[cfg(test)]
#[path = "opinion_tests.rs"]
mod tests;

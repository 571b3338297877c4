//! The online opinion thread of a topic (网上协商): opinions with a stance, their replies, moderation and
//! reports, as one viewer sees them.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::OpinionId;
use gongzhi_domain::opinion::Stance as DomainStance;
use gongzhi_infra::topics::{OpinionEntry, OpinionThread, TopicRecord};

use super::person::Person;
use super::topic::Refusal;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, cursor, encode};
use crate::graphql::loaders::{FirstThreadsLoader, ReportsLoader};
use crate::graphql::page::page_args;
use crate::graphql::preload;

/// Where an opinion stands on the topic.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stance {
    /// 赞成.
    For,
    /// 反对.
    Against,
    /// 中立.
    Neutral,
}

impl From<DomainStance> for Stance {
    fn from(stance: DomainStance) -> Self {
        match stance {
            DomainStance::For => Stance::For,
            DomainStance::Against => Stance::Against,
            DomainStance::Neutral => Stance::Neutral,
        }
    }
}

impl From<Stance> for DomainStance {
    fn from(stance: Stance) -> Self {
        match stance {
            Stance::For => DomainStance::For,
            Stance::Against => DomainStance::Against,
            Stance::Neutral => DomainStance::Neutral,
        }
    }
}

/// An opinion in a topic's thread, with its replies; or a reply.
pub struct Opinion {
    entry: OpinionEntry,
    replies: Vec<OpinionEntry>,
}

impl From<OpinionThread> for Opinion {
    fn from(thread: OpinionThread) -> Self {
        Self { entry: thread.opinion, replies: thread.replies }
    }
}

/// Who hid an opinion, when and why: shown to the moderators and to its author.
pub struct Hiding {
    by: gongzhi_domain::ids::PersonId,
    at: DateTime<Utc>,
    reason: String,
}

#[Object]
impl Hiding {
    async fn hidden_at(&self) -> DateTime<Utc> {
        self.at
    }

    async fn hidden_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.by).await.gql()?.map(Person))
    }

    async fn reason(&self) -> &str {
        &self.reason
    }
}

/// A report of an opinion, as the moderators read it (who reported is not shown).
#[derive(SimpleObject)]
pub struct OpinionReport {
    reason: String,
    reported_at: DateTime<Utc>,
}

#[Object]
impl Opinion {
    pub async fn id(&self) -> ID {
        encode(NodeType::Opinion, self.entry.opinion.id)
    }

    /// `null` on a reply: replies discuss, they are not counted.
    async fn stance(&self) -> Option<Stance> {
        self.entry.opinion.stance.map(Into::into)
    }

    async fn text(&self) -> &str {
        self.entry.opinion.text.as_str()
    }

    async fn posted_at(&self) -> DateTime<Utc> {
        self.entry.opinion.posted_at
    }

    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.entry.opinion.author).await.gql()?.map(Person))
    }

    /// Whether the logged-in person wrote it.
    async fn mine(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        ctx.is_me(self.entry.opinion.author).await
    }

    /// The opinion this replies to; `null` for an opinion of the thread.
    async fn reply_to(&self) -> Option<ID> {
        self.entry.opinion.parent.map(|p| encode(NodeType::Opinion, p))
    }

    /// Replies, oldest first (always empty on a reply).
    async fn replies(&self) -> Vec<Opinion> {
        self.replies.iter().cloned().map(|entry| Opinion { entry, replies: Vec::new() }).collect()
    }

    /// Hidden from the public thread. Only moderators and its author ever see a hidden opinion.
    async fn hidden(&self) -> bool {
        self.entry.opinion.hidden.is_some()
    }

    /// Who hid it, when and why.
    async fn hiding(&self) -> Option<Hiding> {
        self.entry.opinion.hidden.as_ref().map(|h| Hiding { by: h.by, at: h.at, reason: h.reason.as_str().to_owned() })
    }

    /// How many people reported it: for moderators, `null` for everyone else.
    async fn report_count(&self) -> Option<u64> {
        self.entry.report_count
    }

    /// Whether the logged-in person reported it.
    async fn reported_by_me(&self) -> bool {
        self.entry.reported_by_me
    }

    /// The reports with their reasons, oldest first: for moderators, `null` for everyone else.
    async fn reports(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<OpinionReport>>> {
        if !self.entry.moderator {
            return Ok(None);
        }
        let reports = ctx.loader::<ReportsLoader>()?.load_one(self.entry.opinion.id).await.gql()?.unwrap_or_default();
        Ok(Some(reports.into_iter().map(|r| OpinionReport { reason: r.reason, reported_at: r.reported_at }).collect()))
    }
}

/// How many opinions of the public thread take each stance (hidden ones and replies are not counted).
#[derive(SimpleObject)]
pub struct StanceCounts {
    r#for: u64,
    against: u64,
    neutral: u64,
}

/// What a thread page says about the whole thread.
#[derive(SimpleObject)]
pub struct OpinionThreadSummary {
    stance_counts: StanceCounts,
    /// Hidden opinions and replies: for moderators, `null` for everyone else.
    hidden_count: Option<u64>,
}

/// One page of a topic's thread, newest opinion first. The first page is read for every topic of a list at
/// once (by the viewer's standing towards each); a later page continues this topic's thread alone.
pub async fn thread(
    ctx: &Context<'_>,
    topic: &TopicRecord,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Connection<String, Opinion, OpinionThreadSummary>> {
    let actor = ctx.actor().await?;
    let page = page_args(first, after).gql()?;
    let limit = u64::try_from(page.limit).unwrap_or(u64::MAX);
    let found = match page.after {
        None => {
            let standing = super::topic::standing(ctx, topic).await?;
            ctx.loader::<FirstThreadsLoader>()?.load_one((standing, limit)).await.gql()?.unwrap_or_default()
        }
        Some(after) => {
            let after = Some(OpinionId::from_uuid(after));
            ctx.store().opinions(actor, topic.topic.id, after, limit).await.gql()?
        }
    };
    preload::opinions(ctx, preload::rows_of(&ctx.look_ahead()), &found.threads).await?;
    let summary = OpinionThreadSummary {
        stance_counts: StanceCounts {
            r#for: found.stances.for_,
            against: found.stances.against,
            neutral: found.stances.neutral,
        },
        hidden_count: found.hidden_count,
    };
    let mut connection = Connection::with_additional_fields(page.after.is_some(), found.has_next, summary);
    connection
        .edges
        .extend(found.threads.into_iter().map(|t| Edge::new(cursor(t.opinion.opinion.id.as_uuid()), Opinion::from(t))));
    Ok(connection)
}

/// The result of a step in the thread. `refusal` is set when the step was refused for a reason the client
/// expects (the topic is not deliberating, the opinion was hidden, one's own opinion): nothing changed,
/// and `opinion` shows the opinion acted on as it stands (`null` for a new opinion).
#[derive(SimpleObject)]
pub struct OpinionPayload {
    pub ok: bool,
    pub refusal: Option<Refusal>,
    pub opinion: Option<Opinion>,
    /// Set when the content check held the opinion or reply back (decision 130): it is pending, seen by its
    /// author only, and `opinion` is null until it is published.
    pub held: Option<crate::graphql::types::content_hold::ContentHold>,
}

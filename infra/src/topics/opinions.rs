//! 网上协商: the online opinion thread of a topic. Residents of the compound and its staff post opinions
//! with a stance and reply to them while the topic is deliberating; the moderators (community staff and
//! officers over the topic) hide opinions with a reason and see reports; anyone who sees the thread may
//! report an opinion, once.
//!
//! Hidden opinions stay in storage. The public thread leaves them out (and their replies with them);
//! moderators see them flagged, with who hid them, when and why; authors see their own, with the reason.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Utc;
use gongzhi_domain::ids::{OpinionId, PersonId, TopicId};
use gongzhi_domain::opinion::{Hiding, Opinion, OpinionError, OpinionText, Stance};
use gongzhi_domain::policy::{Action, Actor, authorize, require};
use gongzhi_domain::topic::Reason;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, Condition, ConnectionTrait, QueryOrder, QuerySelect, SqlErr};
use tracing::instrument;

use super::{Loaded, load_visible};
use crate::entities::{opinion, opinion_report};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

/// An opinion as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionEntry {
    pub opinion: Opinion,
    /// Whether the viewer moderates the thread (and so sees hidings and reports).
    pub moderator: bool,
    /// How many people reported it: for moderators only.
    pub report_count: Option<u64>,
    pub reported_by_me: bool,
}

/// An opinion of the thread with its replies, oldest reply first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionThread {
    pub opinion: OpinionEntry,
    pub replies: Vec<OpinionEntry>,
}

/// How many opinions of the public thread (hidden ones left out, replies not counted) take each stance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StanceCounts {
    pub for_: u64,
    pub against: u64,
    pub neutral: u64,
}

impl StanceCounts {
    /// Records `n` opinions of a stance as counted by the database; an opinion of the thread without a
    /// stance is a storage fault.
    pub(super) fn set(&mut self, topic: TopicId, stance: Option<&str>, n: i64) -> Result<()> {
        let n = u64::try_from(n).unwrap_or(0);
        match stance.map(Stance::parse) {
            Some(Ok(Stance::For)) => self.for_ = n,
            Some(Ok(Stance::Against)) => self.against = n,
            Some(Ok(Stance::Neutral)) => self.neutral = n,
            _ => return Err(corrupt("opinion stance", topic.as_uuid()).into()),
        }
        Ok(())
    }
}

/// One page of a topic's thread, newest opinion first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpinionPage {
    pub threads: Vec<OpinionThread>,
    pub has_next: bool,
    pub stances: StanceCounts,
    /// Hidden opinions and replies: for moderators only.
    pub hidden_count: Option<u64>,
}

/// A report of an opinion, as moderators read it (the reporter is not named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionReport {
    pub reason: String,
    pub reported_at: chrono::DateTime<Utc>,
}

pub(super) fn opinion_of(row: &opinion::Model) -> Result<Opinion, DbErr> {
    let bad = || corrupt("opinion", row.id);
    let hidden = match (row.hidden_at, row.hidden_by, row.hidden_reason.as_deref()) {
        (Some(at), Some(by), Some(reason)) => {
            Some(Hiding { by: PersonId::from_uuid(by), at, reason: Reason::parse(reason).map_err(|_| bad())? })
        }
        (None, None, None) => None,
        _ => return Err(bad()),
    };
    Ok(Opinion {
        id: OpinionId::from_uuid(row.id),
        topic: TopicId::from_uuid(row.topic_id),
        author: PersonId::from_uuid(row.author_id),
        parent: row.parent_id.map(OpinionId::from_uuid),
        stance: row.stance.as_deref().map(Stance::parse).transpose().map_err(|_| bad())?,
        text: OpinionText::parse(&row.text).map_err(|_| bad())?,
        posted_at: row.posted_at,
        hidden,
    })
}

fn is_moderator(actor: &Actor, loaded: &Loaded) -> bool {
    authorize(actor, Action::ModerateOpinions, &loaded.ctx).is_ok()
}

/// What the viewer sees of a thread: all of it for moderators; otherwise what is not hidden, and one's own.
fn visible_to(actor: &Actor, moderator: bool) -> Condition {
    if moderator {
        Condition::all()
    } else {
        Condition::any()
            .add(opinion::Column::HiddenAt.is_null())
            .add(opinion::Column::AuthorId.eq(actor.person.as_uuid()))
    }
}

/// An opinion the actor may see, with its topic.
async fn load_opinion(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: OpinionId,
) -> Result<(opinion::Model, Opinion, Loaded, bool)> {
    let row = opinion::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("opinion"))?;
    let opinion = opinion_of(&row)?;
    let loaded = load_visible(db, actor, opinion.topic).await?;
    let moderator = is_moderator(actor, &loaded);
    if !opinion.is_visible_to(actor.person, moderator) {
        return Err(Error::NotFound("opinion"));
    }
    Ok((row, opinion, loaded, moderator))
}

async fn insert(db: &impl ConnectionTrait, opinion: &Opinion) -> Result<()> {
    opinion::ActiveModel {
        id: Set(opinion.id.as_uuid()),
        topic_id: Set(opinion.topic.as_uuid()),
        parent_id: Set(opinion.parent.map(|p| p.as_uuid())),
        author_id: Set(opinion.author.as_uuid()),
        stance: Set(opinion.stance.map(|s| s.as_str().to_owned())),
        text: Set(opinion.text.as_str().to_owned()),
        posted_at: Set(opinion.posted_at),
        hidden_at: Set(None),
        hidden_by: Set(None),
        hidden_reason: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The viewer's entries for these opinions: report counts for moderators, and which they reported.
async fn entries(
    db: &impl ConnectionTrait,
    actor: &Actor,
    moderator: bool,
    opinions: Vec<Opinion>,
) -> Result<Vec<OpinionEntry>> {
    let ids: Vec<Uuid> = opinions.iter().map(|o| o.id.as_uuid()).collect();
    let counts: BTreeMap<Uuid, u64> = if moderator && !ids.is_empty() {
        let rows: Vec<(Uuid, i64)> = opinion_report::Entity::find()
            .select_only()
            .column(opinion_report::Column::OpinionId)
            .column_as(opinion_report::Column::PersonId.count(), "reports")
            .filter(opinion_report::Column::OpinionId.is_in(ids.clone()))
            .group_by(opinion_report::Column::OpinionId)
            .into_tuple()
            .all(db)
            .await?;
        rows.into_iter().map(|(id, n)| (id, u64::try_from(n).unwrap_or(0))).collect()
    } else {
        BTreeMap::new()
    };
    let mine: BTreeSet<Uuid> = if ids.is_empty() {
        BTreeSet::new()
    } else {
        opinion_report::Entity::find()
            .select_only()
            .column(opinion_report::Column::OpinionId)
            .filter(opinion_report::Column::PersonId.eq(actor.person.as_uuid()))
            .filter(opinion_report::Column::OpinionId.is_in(ids))
            .into_tuple::<Uuid>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(opinions
        .into_iter()
        .map(|opinion| {
            let id = opinion.id.as_uuid();
            OpinionEntry {
                report_count: moderator.then(|| counts.get(&id).copied().unwrap_or(0)),
                reported_by_me: mine.contains(&id),
                moderator,
                opinion,
            }
        })
        .collect())
}

/// The opinion as the viewer sees it, with its replies when it is an opinion of the thread.
async fn thread(db: &impl ConnectionTrait, actor: &Actor, moderator: bool, opinion: Opinion) -> Result<OpinionThread> {
    let replies = if opinion.parent.is_none() {
        let rows = opinion::Entity::find()
            .filter(opinion::Column::ParentId.eq(opinion.id.as_uuid()))
            .filter(visible_to(actor, moderator))
            .order_by_asc(opinion::Column::Id)
            .all(db)
            .await?;
        let replies = rows.iter().map(opinion_of).collect::<Result<Vec<_>, _>>()?;
        entries(db, actor, moderator, replies).await?
    } else {
        Vec::new()
    };
    let opinion = entries(db, actor, moderator, vec![opinion]).await?.pop().ok_or(Error::NotFound("opinion"))?;
    Ok(OpinionThread { opinion, replies })
}

/// An opinion or a reply, as the log records it: as public as the thread, its words apart.
fn posted(opinion: &Opinion) -> NewEvent {
    let event = WireEvent::OpinionPosted {
        opinion: opinion.id.as_uuid(),
        parent: opinion.parent.map(|p| p.as_uuid()),
        stance: opinion.stance.map(|s| s.as_str().to_owned()),
    };
    NewEvent::new(event, opinion.posted_at, Audience::Public).actor(Some(opinion.author)).topic(opinion.topic).text(
        "text",
        Audience::Public,
        opinion.text.as_str(),
    )
}

impl Store {
    /// Posts an opinion with a stance in the thread of a topic under deliberation.
    #[instrument(skip_all)]
    pub async fn post_opinion(
        &self,
        actor: &Actor,
        topic: TopicId,
        stance: Stance,
        text: &str,
    ) -> Result<OpinionThread> {
        let text = OpinionText::parse(text)?;
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, topic).await?;
        require(actor, Action::PostOpinion, &loaded.ctx)?;
        let id = OpinionId::from_uuid(new_id());
        let opinion = Opinion::post(loaded.topic(), id, actor.person, stance, text, self.clock.now())?;
        insert(&txn, &opinion).await?;
        crate::event_log::record(&txn, posted(&opinion)).await?;
        let moderator = is_moderator(actor, &loaded);
        let posted = thread(&txn, actor, moderator, opinion).await?;
        txn.commit().await?;
        Ok(posted)
    }

    /// Replies to an opinion of the thread (not to a reply), while the topic is deliberating.
    #[instrument(skip_all)]
    pub async fn reply_to_opinion(&self, actor: &Actor, parent: OpinionId, text: &str) -> Result<OpinionThread> {
        let text = OpinionText::parse(text)?;
        let txn = self.write().await?;
        let (_, parent, loaded, moderator) = load_opinion(&txn, actor, parent).await?;
        require(actor, Action::PostOpinion, &loaded.ctx)?;
        let id = OpinionId::from_uuid(new_id());
        let reply = parent.reply(loaded.topic(), id, actor.person, text, self.clock.now())?;
        insert(&txn, &reply).await?;
        crate::event_log::record(&txn, posted(&reply)).await?;
        let posted = thread(&txn, actor, moderator, reply).await?;
        txn.commit().await?;
        Ok(posted)
    }

    /// Hides an opinion from the public thread, with a reason (moderators). It stays in storage.
    #[instrument(skip_all)]
    pub async fn hide_opinion(&self, actor: &Actor, id: OpinionId, reason: &str) -> Result<OpinionThread> {
        let reason = Reason::parse(reason)?;
        let txn = self.write().await?;
        let (_, opinion, loaded, _) = load_opinion(&txn, actor, id).await?;
        require(actor, Action::ModerateOpinions, &loaded.ctx)?;
        let hidden = opinion.hide(actor.person, reason, self.clock.now())?;
        let Some(hiding) = &hidden.hidden else { return Err(Error::NotFound("opinion")) };
        let updated = opinion::Entity::update_many()
            .col_expr(opinion::Column::HiddenAt, Expr::value(Some(hiding.at)))
            .col_expr(opinion::Column::HiddenBy, Expr::value(Some(hiding.by.as_uuid())))
            .col_expr(opinion::Column::HiddenReason, Expr::value(Some(hiding.reason.as_str().to_owned())))
            .filter(opinion::Column::Id.eq(id.as_uuid()))
            .filter(opinion::Column::HiddenAt.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            // Another moderator hid it meanwhile.
            return Err(OpinionError::AlreadyHidden.into());
        }
        let fact = NewEvent::new(WireEvent::OpinionHidden { opinion: id.as_uuid() }, hiding.at, Audience::Public)
            .actor(Some(actor.person))
            .topic(hidden.topic)
            .text("reason", Audience::Staff, hiding.reason.as_str());
        crate::event_log::record(&txn, fact).await?;
        let hidden = thread(&txn, actor, true, hidden).await?;
        txn.commit().await?;
        Ok(hidden)
    }

    /// Reports an opinion to the moderators, with a reason; once per person per opinion.
    #[instrument(skip_all)]
    pub async fn report_opinion(&self, actor: &Actor, id: OpinionId, reason: &str) -> Result<OpinionThread> {
        let reason = Reason::parse(reason)?;
        let txn = self.write().await?;
        let (_, opinion, _, moderator) = load_opinion(&txn, actor, id).await?;
        opinion.check_reportable(actor.person)?;
        opinion_report::ActiveModel {
            opinion_id: Set(id.as_uuid()),
            person_id: Set(actor.person.as_uuid()),
            reason: Set(reason.as_str().to_owned()),
            reported_at: Set(self.clock.now()),
        }
        .insert(&txn)
        .await
        .map_err(|err| match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => OpinionError::AlreadyReported.into(),
            _ => Error::from(err),
        })?;
        let fact =
            NewEvent::new(WireEvent::OpinionReported { opinion: id.as_uuid() }, self.clock.now(), Audience::Staff)
                .actor(Some(actor.person))
                .topic(opinion.topic)
                .text("reason", Audience::Staff, reason.as_str());
        crate::event_log::record(&txn, fact).await?;
        let reported = thread(&txn, actor, moderator, opinion).await?;
        txn.commit().await?;
        Ok(reported)
    }

    /// An opinion (with its replies, for an opinion of the thread) as the actor sees it.
    pub async fn opinion(&self, actor: &Actor, id: OpinionId) -> Result<OpinionThread> {
        let (_, opinion, _, moderator) = load_opinion(&self.db, actor, id).await?;
        thread(&self.db, actor, moderator, opinion).await
    }

    /// One page of the topic's thread as the actor sees it: opinions newest first (after the opinion
    /// `after`, if given), each with its replies, and the public thread's stance counts.
    pub async fn opinions(
        &self,
        actor: &Actor,
        topic: TopicId,
        after: Option<OpinionId>,
        limit: u64,
    ) -> Result<OpinionPage> {
        let loaded = load_visible(&self.db, actor, topic).await?;
        let moderator = is_moderator(actor, &loaded);
        let mut query = opinion::Entity::find()
            .filter(opinion::Column::TopicId.eq(topic.as_uuid()))
            .filter(opinion::Column::ParentId.is_null())
            .filter(visible_to(actor, moderator));
        if let Some(after) = after {
            query = query.filter(opinion::Column::Id.lt(after.as_uuid()));
        }
        let mut rows = query.order_by_desc(opinion::Column::Id).limit(limit + 1).all(&self.db).await?;
        let has_next = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let reply_rows = if ids.is_empty() {
            Vec::new()
        } else {
            opinion::Entity::find()
                .filter(opinion::Column::ParentId.is_in(ids))
                .filter(visible_to(actor, moderator))
                .order_by_asc(opinion::Column::Id)
                .all(&self.db)
                .await?
        };
        let opinions = rows.iter().map(opinion_of).collect::<Result<Vec<_>, _>>()?;
        let replies = reply_rows.iter().map(opinion_of).collect::<Result<Vec<_>, _>>()?;
        let mut replies_by_parent: BTreeMap<OpinionId, Vec<OpinionEntry>> = BTreeMap::new();
        for reply in entries(&self.db, actor, moderator, replies).await? {
            if let Some(parent) = reply.opinion.parent {
                replies_by_parent.entry(parent).or_default().push(reply);
            }
        }
        let threads = entries(&self.db, actor, moderator, opinions)
            .await?
            .into_iter()
            .map(|opinion| {
                let replies = replies_by_parent.remove(&opinion.opinion.id).unwrap_or_default();
                OpinionThread { opinion, replies }
            })
            .collect();
        Ok(OpinionPage {
            threads,
            has_next,
            stances: self.stance_counts(topic).await?,
            hidden_count: if moderator { Some(self.hidden_count(topic).await?) } else { None },
        })
    }

    /// Counted by the database over the public thread.
    async fn stance_counts(&self, topic: TopicId) -> Result<StanceCounts> {
        let rows: Vec<(Option<String>, i64)> = opinion::Entity::find()
            .select_only()
            .column(opinion::Column::Stance)
            .column_as(opinion::Column::Id.count(), "opinions")
            .filter(opinion::Column::TopicId.eq(topic.as_uuid()))
            .filter(opinion::Column::ParentId.is_null())
            .filter(opinion::Column::HiddenAt.is_null())
            .group_by(opinion::Column::Stance)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut counts = StanceCounts::default();
        for (stance, n) in rows {
            counts.set(topic, stance.as_deref(), n)?;
        }
        Ok(counts)
    }

    async fn hidden_count(&self, topic: TopicId) -> Result<u64> {
        use sea_orm::PaginatorTrait;
        let hidden = opinion::Entity::find()
            .filter(opinion::Column::TopicId.eq(topic.as_uuid()))
            .filter(opinion::Column::HiddenAt.is_not_null())
            .count(&self.db)
            .await?;
        Ok(hidden)
    }

    /// The reports of each opinion, oldest first, for the thread's moderators: the caller shows them only
    /// on entries read for a moderator (`OpinionEntry::moderator`), as the thread itself decided.
    pub async fn reports_of(&self, opinions: &[OpinionId]) -> Result<HashMap<OpinionId, Vec<OpinionReport>>> {
        let rows = opinion_report::Entity::find()
            .filter(opinion_report::Column::OpinionId.is_in(opinions.iter().map(OpinionId::as_uuid)))
            .order_by_asc(opinion_report::Column::ReportedAt)
            .order_by_asc(opinion_report::Column::PersonId)
            .all(&self.db)
            .await?;
        let mut reports: HashMap<OpinionId, Vec<OpinionReport>> = opinions.iter().map(|o| (*o, Vec::new())).collect();
        for row in rows {
            let report = OpinionReport { reason: row.reason, reported_at: row.reported_at };
            reports.entry(OpinionId::from_uuid(row.opinion_id)).or_default().push(report);
        }
        Ok(reports)
    }
}

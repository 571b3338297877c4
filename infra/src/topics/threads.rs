//! The first page of many topics' opinion threads at once, for the API's loader: for a list of topics that
//! each show their thread, at most six statements whatever the number of topics (the opinions, numbered
//! within their topic newest first; their replies; report counts, for moderators; the viewer's own
//! reports; stance counts; hidden counts, for moderators). A later page (after a cursor) continues one
//! topic's thread and is read alone (`Store::opinions`).
//!
//! What each viewer sees is what `Store::opinions` shows them: everything for the thread's moderators,
//! otherwise what is not hidden and their own; decided per topic by the viewer's [`Standing`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use gongzhi_domain::ids::{OpinionId, PersonId, TopicId};
use gongzhi_domain::opinion::Opinion;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Alias, Asterisk, Order, Query, WindowStatement};
use sea_orm::{Condition, ExprTrait, FromQueryResult, QueryOrder, QuerySelect, QueryTrait};

use super::opinions::{OpinionEntry, OpinionPage, OpinionThread, StanceCounts, opinion_of};
use super::standing::Standing;
use crate::entities::{opinion, opinion_report};
use crate::{Result, Store};

/// What one viewer sees of these topics' threads: all of a moderated thread, otherwise what is not hidden
/// and their own.
fn visible(viewer: PersonId, keys: &[Standing]) -> Condition {
    let topics = |moderated: bool| -> Vec<Uuid> {
        keys.iter().filter(|k| k.moderates() == moderated).map(|k| k.topic().as_uuid()).collect()
    };
    Condition::any().add(opinion::Column::TopicId.is_in(topics(true))).add(
        Condition::all().add(opinion::Column::TopicId.is_in(topics(false))).add(
            Condition::any()
                .add(opinion::Column::HiddenAt.is_null())
                .add(opinion::Column::AuthorId.eq(viewer.as_uuid())),
        ),
    )
}

/// Splits keys by viewer. Within one request there is one viewer, so this is one batch; another viewer's
/// keys are read in statements of their own, since what the rows are numbered over differs.
fn by_viewer(keys: &[Standing]) -> HashMap<PersonId, Vec<Standing>> {
    let mut groups: HashMap<PersonId, Vec<Standing>> = HashMap::new();
    for key in keys {
        groups.entry(key.viewer()).or_default().push(*key);
    }
    groups
}

impl Store {
    /// The first `limit` opinions of each topic's thread as its viewer sees them, newest first, each with
    /// its replies, and the public thread's stance counts; every key gets a page.
    pub async fn first_threads(&self, keys: &[Standing], limit: u64) -> Result<HashMap<Standing, OpinionPage>> {
        let mut pages = HashMap::new();
        for (viewer, keys) in by_viewer(keys) {
            pages.extend(self.first_threads_of(viewer, &keys, limit).await?);
        }
        Ok(pages)
    }

    async fn first_threads_of(
        &self,
        viewer: PersonId,
        keys: &[Standing],
        limit: u64,
    ) -> Result<HashMap<Standing, OpinionPage>> {
        let topics: Vec<Uuid> = keys.iter().map(|k| k.topic().as_uuid()).collect();
        let moderated: BTreeSet<TopicId> = keys.iter().filter(|k| k.moderates()).map(Standing::topic).collect();

        // The opinions of each thread, numbered within it newest first; one more than the page says whether
        // another page follows.
        let position = Alias::new("position");
        let numbered = opinion::Entity::find()
            .filter(opinion::Column::TopicId.is_in(topics.clone()))
            .filter(opinion::Column::ParentId.is_null())
            .filter(visible(viewer, keys))
            .into_query()
            .expr_window_as(
                Expr::cust("ROW_NUMBER()"),
                WindowStatement::partition_by(opinion::Column::TopicId)
                    .order_by(opinion::Column::Id, Order::Desc)
                    .to_owned(),
                position.clone(),
            )
            .to_owned();
        let first = Query::select()
            .column(Asterisk)
            .from_subquery(numbered, Alias::new("numbered"))
            .and_where(Expr::col(position).lte(i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX)))
            .order_by(opinion::Column::Id, Order::Desc)
            .to_owned();
        let backend = sea_orm::ConnectionTrait::get_database_backend(&self.db);
        let rows = opinion::Model::find_by_statement(backend.build(&first)).all(&self.db).await?;
        let mut shown: BTreeMap<TopicId, Vec<Opinion>> = BTreeMap::new();
        let mut has_next: BTreeSet<TopicId> = BTreeSet::new();
        for row in &rows {
            let opinion = opinion_of(row)?;
            let page = shown.entry(opinion.topic).or_default();
            if page.len() as u64 == limit {
                has_next.insert(opinion.topic);
            } else {
                page.push(opinion);
            }
        }

        let ids: Vec<Uuid> = shown.values().flatten().map(|o| o.id.as_uuid()).collect();
        let replies = if ids.is_empty() {
            Vec::new()
        } else {
            opinion::Entity::find()
                .filter(opinion::Column::ParentId.is_in(ids))
                .filter(visible(viewer, keys))
                .order_by_asc(opinion::Column::Id)
                .all(&self.db)
                .await?
                .iter()
                .map(opinion_of)
                .collect::<Result<Vec<_>, _>>()?
        };

        let all: Vec<&Opinion> = shown.values().flatten().chain(replies.iter()).collect();
        let (reports, mine) = self.report_facts(viewer, &all, &moderated).await?;
        let entry = |opinion: &Opinion| {
            let moderator = moderated.contains(&opinion.topic);
            OpinionEntry {
                report_count: moderator.then(|| reports.get(&opinion.id).copied().unwrap_or(0)),
                reported_by_me: mine.contains(&opinion.id),
                moderator,
                opinion: opinion.clone(),
            }
        };
        let mut replies_by_parent: BTreeMap<OpinionId, Vec<OpinionEntry>> = BTreeMap::new();
        for reply in &replies {
            if let Some(parent) = reply.parent {
                replies_by_parent.entry(parent).or_default().push(entry(reply));
            }
        }

        let stances = self.stances_among(&topics).await?;
        let hidden = self.hidden_among(&moderated).await?;
        Ok(keys
            .iter()
            .map(|key| {
                let topic = key.topic();
                let threads = shown
                    .get(&topic)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|opinion| OpinionThread {
                        opinion: entry(opinion),
                        replies: replies_by_parent.remove(&opinion.id).unwrap_or_default(),
                    })
                    .collect();
                let page = OpinionPage {
                    threads,
                    has_next: has_next.contains(&topic),
                    stances: stances.get(&topic).copied().unwrap_or_default(),
                    hidden_count: key.moderates().then(|| hidden.get(&topic).copied().unwrap_or(0)),
                };
                (*key, page)
            })
            .collect())
    }

    /// How many reports each opinion of a moderated thread has, and which of the opinions the viewer
    /// reported.
    async fn report_facts(
        &self,
        viewer: PersonId,
        opinions: &[&Opinion],
        moderated: &BTreeSet<TopicId>,
    ) -> Result<(HashMap<OpinionId, u64>, BTreeSet<OpinionId>)> {
        if opinions.is_empty() {
            return Ok((HashMap::new(), BTreeSet::new()));
        }
        let of_moderated: Vec<Uuid> =
            opinions.iter().filter(|o| moderated.contains(&o.topic)).map(|o| o.id.as_uuid()).collect();
        let counts = if of_moderated.is_empty() {
            HashMap::new()
        } else {
            let rows: Vec<(Uuid, i64)> = opinion_report::Entity::find()
                .select_only()
                .column(opinion_report::Column::OpinionId)
                .column_as(opinion_report::Column::PersonId.count(), "reports")
                .filter(opinion_report::Column::OpinionId.is_in(of_moderated))
                .group_by(opinion_report::Column::OpinionId)
                .into_tuple()
                .all(&self.db)
                .await?;
            rows.into_iter().map(|(id, n)| (OpinionId::from_uuid(id), u64::try_from(n).unwrap_or(0))).collect()
        };
        let mine: Vec<Uuid> = opinion_report::Entity::find()
            .select_only()
            .column(opinion_report::Column::OpinionId)
            .filter(opinion_report::Column::PersonId.eq(viewer.as_uuid()))
            .filter(opinion_report::Column::OpinionId.is_in(opinions.iter().map(|o| o.id.as_uuid())))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok((counts, mine.into_iter().map(OpinionId::from_uuid).collect()))
    }

    /// Each public thread's opinions by stance (hidden ones and replies not counted), by the database.
    async fn stances_among(&self, topics: &[Uuid]) -> Result<HashMap<TopicId, StanceCounts>> {
        let rows: Vec<(Uuid, Option<String>, i64)> = opinion::Entity::find()
            .select_only()
            .column(opinion::Column::TopicId)
            .column(opinion::Column::Stance)
            .column_as(opinion::Column::Id.count(), "opinions")
            .filter(opinion::Column::TopicId.is_in(topics.iter().copied()))
            .filter(opinion::Column::ParentId.is_null())
            .filter(opinion::Column::HiddenAt.is_null())
            .group_by(opinion::Column::TopicId)
            .group_by(opinion::Column::Stance)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut counts: HashMap<TopicId, StanceCounts> = HashMap::new();
        for (topic, stance, n) in rows {
            let topic = TopicId::from_uuid(topic);
            counts.entry(topic).or_default().set(topic, stance.as_deref(), n)?;
        }
        Ok(counts)
    }

    /// How many opinions and replies are hidden in each of these threads.
    async fn hidden_among(&self, topics: &BTreeSet<TopicId>) -> Result<HashMap<TopicId, u64>> {
        if topics.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, i64)> = opinion::Entity::find()
            .select_only()
            .column(opinion::Column::TopicId)
            .column_as(opinion::Column::Id.count(), "hidden")
            .filter(opinion::Column::TopicId.is_in(topics.iter().map(TopicId::as_uuid)))
            .filter(opinion::Column::HiddenAt.is_not_null())
            .group_by(opinion::Column::TopicId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|(topic, n)| (TopicId::from_uuid(topic), u64::try_from(n).unwrap_or(0))).collect())
    }
}

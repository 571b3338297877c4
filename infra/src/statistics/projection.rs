//! The statistics projection as a consumer of the event log (decision 150): a batch is folded into
//! deltas and added to the stored rows in the consumer's transaction, the one that advances its cursor.
//! It also keeps the last seq it applied in `stat_heads`, in the same transaction, and skips what it has
//! already applied: an event handed to it twice (at-least-once delivery, a test, a rebuild racing the
//! pump) is counted once.

use std::collections::{HashMap, HashSet};

use gongzhi_domain::topic::Stage;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Alias, ExprTrait, OnConflict};
use sea_orm::{DatabaseTransaction, QueryOrder};

use super::fold::{Deltas, TopicFacts, fold};
use crate::entities::{event_log, stat_duration, stat_figure, stat_head, stat_stage, stat_topic, topic};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Consumer, LoggedEvent};
use crate::rows::corrupt;

/// The consumer's name: its cursor's key, its `/metrics` label and its `stat_heads` row.
pub const NAME: &str = "statistics";

/// Rows per insert: well under SQLite's bound on a statement's parameters.
const CHUNK: usize = 400;

/// Keeps `stat_figures`, `stat_stages`, `stat_durations` and `stat_topics` from the log.
pub struct StatisticsProjection;

#[async_trait::async_trait]
impl Consumer for StatisticsProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn handle(&self, txn: &DatabaseTransaction, events: &[LoggedEvent]) -> crate::Result<()> {
        apply(txn, events).await
    }
}

/// Applies the events after the projection's head, in seq order.
pub async fn apply(txn: &DatabaseTransaction, events: &[LoggedEvent]) -> crate::Result<()> {
    let head = stat_head::Entity::find_by_id(NAME.to_owned()).one(txn).await?.map_or(0, |row| row.seq);
    let fresh: Vec<&LoggedEvent> = events.iter().filter(|e| e.seq > head).collect();
    let Some(last) = fresh.iter().map(|e| e.seq).max() else { return Ok(()) };
    let mut topics = facts_of(txn, &fresh).await?;
    let mut changed = HashSet::new();
    let mut deltas = Deltas::default();
    for event in &fresh {
        let facts = event.topic.and_then(|t| topics.get_mut(&t.as_uuid()));
        if facts.is_some() {
            changed.insert(facts_key(event));
        }
        fold(event, facts, &mut deltas);
    }
    write_figures(txn, &deltas).await?;
    write_stages(txn, &deltas).await?;
    write_durations(txn, &deltas).await?;
    write_topics(txn, &topics, &changed).await?;
    stat_head::Entity::insert(stat_head::ActiveModel { name: Set(NAME.to_owned()), seq: Set(last) })
        .on_conflict(OnConflict::column(stat_head::Column::Name).update_column(stat_head::Column::Seq).to_owned())
        .exec(txn)
        .await?;
    Ok(())
}

fn facts_key(event: &LoggedEvent) -> Uuid {
    event.topic.map_or(Uuid::nil(), |t| t.as_uuid())
}

/// The facts of every topic the events concern: stored ones, and new ones for topics met for the first
/// time — placed where the event says, in the category the topic was submitted in. That is the `from` of
/// its first reclassification in the log if it has one, else its category now: the same whenever the
/// projection runs, live or rebuilt, however far behind.
async fn facts_of(txn: &DatabaseTransaction, events: &[&LoggedEvent]) -> crate::Result<HashMap<Uuid, TopicFacts>> {
    let ids: Vec<Uuid> =
        events.iter().filter_map(|e| e.topic.map(|t| t.as_uuid())).collect::<HashSet<_>>().into_iter().collect();
    let mut facts = HashMap::new();
    if ids.is_empty() {
        return Ok(facts);
    }
    for chunk in ids.chunks(CHUNK) {
        for row in stat_topic::Entity::find().filter(stat_topic::Column::TopicId.is_in(chunk.to_vec())).all(txn).await?
        {
            facts.insert(row.topic_id, stored(&row)?);
        }
    }
    // A topic met first by its submission carries its category in the event (decision 158). Only
    // topics submitted before that, logged without it, need the inference of decision 153.
    let mut categories: HashMap<Uuid, Uuid> = HashMap::new();
    for event in events {
        let Some(topic) = event.topic.map(|t| t.as_uuid()).filter(|t| !facts.contains_key(t)) else { continue };
        if let Some(WireEvent::TopicSubmitted { category: Some(category) }) = event.wire().map(|p| p.event) {
            categories.entry(topic).or_insert(category);
        }
    }
    let unknown: Vec<Uuid> =
        ids.iter().filter(|id| !facts.contains_key(*id) && !categories.contains_key(*id)).copied().collect();
    for chunk in unknown.chunks(CHUNK) {
        categories.extend(submitted_in(txn, chunk).await?);
    }
    for event in events {
        let Some(topic) = event.topic.map(|t| t.as_uuid()) else { continue };
        facts.entry(topic).or_insert_with(|| TopicFacts {
            path: event.place_path.clone(),
            category: categories.get(&topic).copied().unwrap_or(Uuid::nil()),
            stage: None,
            submitted_at: None,
            accepted_at: None,
            stage_since: None,
        });
    }
    Ok(facts)
}

/// The category topics logged without one at submission were submitted in: the `from` of their first
/// reclassification in the log if they have one, else their category now — the same whenever the
/// projection runs, live or rebuilt, however far behind (decision 153).
async fn submitted_in(txn: &DatabaseTransaction, topics: &[Uuid]) -> crate::Result<HashMap<Uuid, Uuid>> {
    let mut categories = HashMap::new();
    let rows = topic::Entity::find().filter(topic::Column::Id.is_in(topics.to_vec())).all(txn).await?;
    categories.extend(rows.into_iter().map(|t| (t.id, t.category_id)));
    let reclassified = event_log::Entity::find()
        .filter(event_log::Column::TopicId.is_in(topics.to_vec()))
        .filter(event_log::Column::Kind.eq("topic.reclassified"))
        .order_by_desc(event_log::Column::Seq)
        .all(txn)
        .await?;
    // Newest first, so the earliest reclassification of each topic is written last.
    for row in reclassified {
        let from = serde_json::from_str::<serde_json::Value>(&row.payload)
            .ok()
            .and_then(|p| p.get("from").and_then(|f| f.as_str()).and_then(|f| f.parse::<Uuid>().ok()));
        if let (Some(topic), Some(from)) = (row.topic_id, from) {
            categories.insert(topic, from);
        }
    }
    Ok(categories)
}

fn stored(row: &stat_topic::Model) -> crate::Result<TopicFacts> {
    let bad = || crate::Error::from(corrupt("statistics topic", row.topic_id));
    let path = row
        .place_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<Uuid>().map_err(|_| bad()))
        .collect::<crate::Result<Vec<_>>>()?;
    let stage = row.stage.as_deref().map(Stage::parse).transpose().map_err(|_| bad())?;
    Ok(TopicFacts {
        path,
        category: row.category_id,
        stage,
        submitted_at: row.submitted_at,
        accepted_at: row.accepted_at,
        stage_since: row.stage_since,
    })
}

fn path_text(path: &[Uuid]) -> String {
    let mut text = String::from("/");
    for id in path {
        text.push_str(&id.to_string());
        text.push('/');
    }
    text
}

/// `total = total + excluded.total`: the batch's sum added to what is stored, in one statement per chunk.
fn add_to(table: impl sea_orm::sea_query::Iden + 'static, column: &'static str) -> sea_orm::sea_query::SimpleExpr {
    Expr::col((table, Alias::new(column))).add(Expr::col((Alias::new("excluded"), Alias::new(column))))
}

async fn write_figures(txn: &DatabaseTransaction, deltas: &Deltas) -> crate::Result<()> {
    let rows: Vec<stat_figure::ActiveModel> = deltas
        .figures
        .iter()
        .filter(|(_, by)| **by != 0)
        .map(|(key, by)| stat_figure::ActiveModel {
            place_id: Set(key.place),
            parent_id: Set(key.parent),
            period: Set(key.period.as_str().to_owned()),
            period_start: Set(key.start),
            metric: Set(key.metric.as_str().to_owned()),
            category_id: Set(key.category),
            total: Set(*by),
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        stat_figure::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    stat_figure::Column::PlaceId,
                    stat_figure::Column::Period,
                    stat_figure::Column::PeriodStart,
                    stat_figure::Column::Metric,
                    stat_figure::Column::CategoryId,
                ])
                .value(stat_figure::Column::Total, add_to(stat_figure::Entity, "total"))
                .to_owned(),
            )
            .exec(txn)
            .await?;
    }
    Ok(())
}

async fn write_stages(txn: &DatabaseTransaction, deltas: &Deltas) -> crate::Result<()> {
    let rows: Vec<stat_stage::ActiveModel> = deltas
        .stages
        .iter()
        .filter(|(_, by)| **by != 0)
        .map(|(key, by)| stat_stage::ActiveModel {
            place_id: Set(key.place),
            parent_id: Set(key.parent),
            stage: Set(key.stage.as_str().to_owned()),
            category_id: Set(key.category),
            topics: Set(*by),
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        stat_stage::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    stat_stage::Column::PlaceId,
                    stat_stage::Column::Stage,
                    stat_stage::Column::CategoryId,
                ])
                .value(stat_stage::Column::Topics, add_to(stat_stage::Entity, "topics"))
                .to_owned(),
            )
            .exec(txn)
            .await?;
    }
    Ok(())
}

async fn write_topics(
    txn: &DatabaseTransaction,
    topics: &HashMap<Uuid, TopicFacts>,
    changed: &HashSet<Uuid>,
) -> crate::Result<()> {
    let rows: Vec<stat_topic::ActiveModel> = changed
        .iter()
        .filter_map(|id| topics.get(id).map(|facts| (id, facts)))
        .map(|(id, facts)| stat_topic::ActiveModel {
            topic_id: Set(*id),
            place_path: Set(path_text(&facts.path)),
            category_id: Set(facts.category),
            stage: Set(facts.stage.map(|s| s.as_str().to_owned())),
            submitted_at: Set(facts.submitted_at),
            accepted_at: Set(facts.accepted_at),
            stage_since: Set(facts.stage_since),
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        stat_topic::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(stat_topic::Column::TopicId)
                    .update_columns([
                        stat_topic::Column::PlacePath,
                        stat_topic::Column::CategoryId,
                        stat_topic::Column::Stage,
                        stat_topic::Column::SubmittedAt,
                        stat_topic::Column::AcceptedAt,
                        stat_topic::Column::StageSince,
                    ])
                    .to_owned(),
            )
            .exec(txn)
            .await?;
    }
    Ok(())
}

async fn write_durations(txn: &DatabaseTransaction, deltas: &Deltas) -> crate::Result<()> {
    let rows: Vec<stat_duration::ActiveModel> = deltas
        .durations
        .iter()
        .filter(|(_, by)| **by != 0)
        .map(|(key, by)| stat_duration::ActiveModel {
            place_id: Set(key.place),
            parent_id: Set(key.parent),
            period: Set(key.period.as_str().to_owned()),
            period_start: Set(key.start),
            stage: Set(key.stage.as_str().to_owned()),
            bucket: Set(i32::from(key.bucket)),
            total: Set(*by),
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        stat_duration::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    stat_duration::Column::PlaceId,
                    stat_duration::Column::Period,
                    stat_duration::Column::PeriodStart,
                    stat_duration::Column::Stage,
                    stat_duration::Column::Bucket,
                ])
                .value(stat_duration::Column::Total, add_to(stat_duration::Entity, "total"))
                .to_owned(),
            )
            .exec(txn)
            .await?;
    }
    Ok(())
}

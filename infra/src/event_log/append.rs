//! Flushing recorded events into the log, as a transaction's last statements before commit: the places'
//! paths and the texts, then one INSERT of the batch.
//!
//! On PostgreSQL the rows go in without a `seq` (decision 87): nothing is locked, so concurrent writers
//! commit side by side, and the sequencer (`sequencer.rs`) numbers committed rows afterwards. On SQLite,
//! which has one writer, the transaction numbers its own events from the `event_sequence` row (decision
//! 64): its transactions commit one at a time anyway, so that order is commit order.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::prelude::*;
use sea_orm::{ConnectionTrait, DbBackend, QuerySelect, QueryTrait, Statement};

use super::record::NewEvent;
use crate::Result;
use crate::entities::{event_log, event_text, place, topic};

/// Rows per INSERT, under both backends' limits on bound parameters (an import logs thousands at once).
const EVENTS_PER_INSERT: usize = 1_000;
const TEXTS_PER_INSERT: usize = 2_000;

/// Writes `events` into the log inside `db`'s transaction; the caller commits right after.
pub(crate) async fn flush(db: &impl ConnectionTrait, events: Vec<NewEvent>) -> Result<()> {
    flush_after(db, Vec::new(), events).await
}

/// `flush`, after the write's held inserts (`TopicWrite::insert_at_commit`, PostgreSQL only): on
/// PostgreSQL those, the texts and the rows go as one statement (`chained`, decision 175).
pub(crate) async fn flush_after(
    db: &impl ConnectionTrait,
    late: Vec<Statement>,
    mut events: Vec<NewEvent>,
) -> Result<()> {
    if events.is_empty() {
        crate::chained::run(db, late).await?;
        return Ok(());
    }
    resolve_places(db, &mut events).await?;
    let paths = place_paths(db, &events).await?;
    let texts: Vec<event_text::ActiveModel> = events
        .iter()
        .flat_map(|e| {
            e.texts.iter().map(|(field, audience, body)| event_text::ActiveModel {
                event_id: Set(e.id),
                field: Set((*field).to_owned()),
                audience: Set(audience.as_str().to_owned()),
                body: Set(Some(body.clone())),
                redacted_at: Set(None),
            })
        })
        .collect();
    let backend = db.get_database_backend();
    let mut writes = late;
    for chunk in texts.chunks(TEXTS_PER_INSERT) {
        writes.push(event_text::Entity::insert_many(chunk.to_vec()).build(backend));
    }
    let first = match db.get_database_backend() {
        DbBackend::Postgres => None,
        _ => {
            let count = i64::try_from(events.len()).map_err(|_| super::fault("too many events in one commit"))?;
            Some(claim_seqs(db, count).await? - count + 1)
        }
    };
    let mut rows = Vec::with_capacity(events.len());
    for (offset, event) in (0_i64..).zip(events) {
        let payload = serde_json::to_string(&event.payload()).map_err(|e| super::fault(&e.to_string()))?;
        rows.push(event_log::ActiveModel {
            seq: Set(first.map(|first| first + offset)),
            id: Set(event.id),
            // PostgreSQL's identity, in the order of `rows`: the sequencer keeps a write's events in it.
            pos: NotSet,
            kind: Set(event.event.kind()),
            schema_version: Set(super::wire::SCHEMA_VERSION),
            at: Set(event.at),
            actor_id: Set(event.actor),
            topic_id: Set(event.topic),
            vote_id: Set(event.vote),
            place_id: Set(event.place),
            place_path: Set(event
                .place_path
                .clone()
                .or_else(|| event.place.and_then(|p| paths.get(&p).cloned()))
                .unwrap_or_else(|| "/".to_owned())),
            audience: Set(event.audience.as_str().to_owned()),
            payload: Set(payload),
        });
    }
    for chunk in rows.chunks(EVENTS_PER_INSERT) {
        writes.push(event_log::Entity::insert_many(chunk.to_vec()).build(backend));
    }
    crate::chained::run(db, writes).await?;
    Ok(())
}

/// Takes `count` seqs from the one sequence row, locking it to the end of the transaction (SQLite).
async fn claim_seqs(db: &impl ConnectionTrait, count: i64) -> Result<i64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE event_sequence SET last = last + $1 WHERE name = 'log' RETURNING last",
        _ => "UPDATE event_sequence SET last = last + ? WHERE name = 'log' RETURNING last",
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [count.into()]))
        .await?
        .ok_or_else(|| super::fault("the event sequence row is missing"))?;
    Ok(row.try_get::<i64>("", "last")?)
}

/// Events of a topic whose place the step did not name take the topic's place (one statement).
async fn resolve_places(db: &impl ConnectionTrait, events: &mut [NewEvent]) -> Result<()> {
    let topics: BTreeSet<Uuid> = events.iter().filter(|e| e.place.is_none()).filter_map(|e| e.topic).collect();
    if topics.is_empty() {
        return Ok(());
    }
    let places: BTreeMap<Uuid, Uuid> = topic::Entity::find()
        .select_only()
        .column(topic::Column::Id)
        .column(topic::Column::PlaceId)
        .filter(topic::Column::Id.is_in(topics))
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for event in events.iter_mut().filter(|e| e.place.is_none()) {
        event.place = event.topic.and_then(|t| places.get(&t).copied());
    }
    Ok(())
}

/// Each named place's path, `/<city>/…/<place>/`.
async fn place_paths(db: &impl ConnectionTrait, events: &[NewEvent]) -> Result<BTreeMap<Uuid, String>> {
    let ids: BTreeSet<Uuid> = events.iter().filter(|e| e.place_path.is_none()).filter_map(|e| e.place).collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let places = place::Entity::find().filter(place::Column::Id.is_in(ids)).all(db).await?;
    Ok(places.into_iter().map(|p| (p.id, path_of(&p))).collect())
}

pub(crate) fn path_of(place: &place::Model) -> String {
    let levels =
        [place.city_id, place.district_id, place.street_id, place.community_id, place.compound_id, place.building_id];
    path_string(levels.into_iter().flatten().filter(|id| *id != place.id).chain([place.id]))
}

/// `/<city>/…/<place>/` from the ids, root first.
pub(crate) fn path_string(ids: impl IntoIterator<Item = Uuid>) -> String {
    let mut path = String::from("/");
    for id in ids {
        path.push_str(&id.to_string());
        path.push('/');
    }
    path
}

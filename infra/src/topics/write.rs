//! A write transaction that remembers which topics it changed. Every topic change appends a timeline event
//! (`events::append` takes a `TopicWrite`), so the event is the one hook that knows what changed. On commit,
//! the version counters of those topics and of every place above them are bumped, after the commit; inside
//! a unit of work they are handed to the unit, which bumps them after its own (outer) commit.
//!
//! Events for the log (`event_log`) are recorded on the write too, and flushed as its last statements
//! before commit, or inside a unit of work handed to the unit, which flushes them before its outer commit.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use gongzhi_domain::ids::{PlaceId, TopicId};
use gongzhi_domain::place::Ancestry;
use sea_orm::prelude::*;
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, ExecResult, JoinType, QueryResult, QuerySelect, RelationDef,
    Statement,
};

use crate::cache::{ReadCache, place_version, topic_version};
use crate::entities::{place, topic};
use crate::event_log::{LogSignal, NewEvent, Pending};

/// Where the counters go after the commit.
#[derive(Clone, Default)]
pub(crate) enum AfterCommit {
    /// Nothing is cached: nothing to bump (and nothing to look up).
    #[default]
    Nothing,
    Bump(ReadCache),
    /// A unit of work bumps them after its outer commit.
    Defer(Arc<Mutex<BTreeSet<String>>>),
}

/// Where the write's recorded events go: into the log at its own commit, or to the unit of work's.
#[derive(Clone)]
pub(crate) enum EventSink {
    Flush(LogSignal),
    Defer(Pending),
}

pub(crate) struct TopicWrite {
    txn: DatabaseTransaction,
    touched: Mutex<BTreeSet<TopicId>>,
    /// The places, from the city down, of topics whose step already read them (`placed`): their counters
    /// and their events' places need no statement at commit.
    places: Mutex<BTreeMap<TopicId, Vec<PlaceId>>>,
    after: AfterCommit,
    events: Mutex<Vec<NewEvent>>,
    /// Inserts whose rows nothing in the write reads back, sent with the commit's flush (PostgreSQL).
    late: Mutex<Vec<Statement>>,
    sink: EventSink,
}

impl TopicWrite {
    pub(crate) fn new(txn: DatabaseTransaction, after: AfterCommit, sink: EventSink) -> Self {
        Self {
            txn,
            touched: Mutex::default(),
            places: Mutex::default(),
            after,
            events: Mutex::default(),
            late: Mutex::default(),
            sink,
        }
    }

    /// Runs an insert whose row nothing in this write reads back: on PostgreSQL it is held and sent in one
    /// statement with the log's flush at commit (`chained`, decision 175); elsewhere it runs now. Its
    /// errors then surface at commit, which is where a failed write ends anyway.
    pub(crate) async fn insert_at_commit(&self, statement: Statement) -> Result<(), DbErr> {
        if self.txn.get_database_backend() == DbBackend::Postgres {
            self.late.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(statement);
            return Ok(());
        }
        self.txn.execute_raw(statement).await.map(|_| ())
    }

    /// Records a fact for the log; it is written only if this write commits.
    pub(crate) fn record(&self, event: NewEvent) {
        self.events.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(event);
    }

    pub(crate) fn touch(&self, topic: TopicId) {
        self.touched.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(topic);
    }

    /// Tells the write where a topic it changes is (places never move), so that committing it reads no
    /// place: a co-sign or a step has just read the topic's place to authorize it.
    pub(crate) fn placed(&self, topic: TopicId, place: &Ancestry) {
        self.places.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(topic, place.path());
    }

    /// The counters to bump: each touched topic's, and those of its place and every place above it (the
    /// places read in one statement).
    async fn counters(&self) -> Result<BTreeSet<String>, DbErr> {
        let touched: Vec<Uuid> = self
            .touched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|id| id.as_uuid())
            .collect();
        let mut counters: BTreeSet<String> = touched.iter().map(|id| topic_version(*id)).collect();
        // The places of topics the step placed are known; only the others' are read.
        let touched: Vec<Uuid> = {
            let places = self.places.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let mut unplaced = Vec::new();
            for id in touched {
                match places.get(&TopicId::from_uuid(id)) {
                    Some(path) => counters.extend(path.iter().map(|place| place_version(place.as_uuid()))),
                    None => unplaced.push(id),
                }
            }
            unplaced
        };
        if touched.is_empty() {
            return Ok(counters);
        }
        let of_topics: RelationDef =
            place::Entity::belongs_to(topic::Entity).from(place::Column::Id).to(topic::Column::PlaceId).into();
        let places = place::Entity::find()
            .join(JoinType::InnerJoin, of_topics)
            .filter(topic::Column::Id.is_in(touched))
            .all(&self.txn)
            .await?;
        for place in places {
            let levels = [
                place.city_id,
                place.district_id,
                place.street_id,
                place.community_id,
                place.compound_id,
                place.building_id,
            ];
            counters.extend(levels.into_iter().flatten().chain([place.id]).map(place_version));
        }
        Ok(counters)
    }

    /// Gives events about a placed topic its place and the place's path, which the log would otherwise
    /// read at flush.
    fn place_events(&self, events: &mut [NewEvent]) {
        let places = self.places.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for event in events.iter_mut().filter(|e| e.place_path.is_none()) {
            let Some(path) = event.topic.and_then(|topic| places.get(&TopicId::from_uuid(topic))) else { continue };
            let Some(place) = path.last().map(|p| p.as_uuid()) else { continue };
            if event.place.is_some_and(|named| named != place) {
                continue;
            }
            event.place = Some(place);
            event.place_path = Some(crate::event_log::path_string(path.iter().map(|p| p.as_uuid())));
        }
    }

    /// Flushes the recorded events, commits, then invalidates what the write changed.
    pub(crate) async fn commit(self) -> crate::Result<()> {
        let counters = match self.after {
            AfterCommit::Nothing => BTreeSet::new(),
            _ => self.counters().await?,
        };
        let mut events = std::mem::take(&mut *self.events.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        self.place_events(&mut events);
        let late = std::mem::take(&mut *self.late.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        match &self.sink {
            EventSink::Flush(signal) => {
                let appended = !events.is_empty();
                crate::event_log::flush_after(&self.txn, late, events).await?;
                self.txn.commit().await?;
                if appended {
                    signal.appended();
                }
            }
            EventSink::Defer(pending) => {
                crate::chained::run(&self.txn, late).await?;
                self.txn.commit().await?;
                pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(events);
            }
        }
        match self.after {
            AfterCommit::Nothing => {}
            AfterCommit::Bump(cache) => cache.bump(counters).await,
            AfterCommit::Defer(pending) => {
                pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(counters);
            }
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for TopicWrite {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

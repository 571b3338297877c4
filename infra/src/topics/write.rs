//! A write transaction that remembers which topics it changed. Every topic change appends a timeline event
//! (`events::append` takes a `TopicWrite`), so the event is the one hook that knows what changed. On commit,
//! the version counters of those topics and of every place above them are bumped, after the commit; inside
//! a unit of work they are handed to the unit, which bumps them after its own (outer) commit.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use gongzhi_domain::ids::TopicId;
use sea_orm::prelude::*;
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, ExecResult, JoinType, QueryResult, QuerySelect, RelationDef,
    Statement,
};

use crate::cache::{ReadCache, place_version, topic_version};
use crate::entities::{place, topic};

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

pub(crate) struct TopicWrite {
    txn: DatabaseTransaction,
    touched: Mutex<BTreeSet<TopicId>>,
    after: AfterCommit,
}

impl TopicWrite {
    pub(crate) fn new(txn: DatabaseTransaction, after: AfterCommit) -> Self {
        Self { txn, touched: Mutex::default(), after }
    }

    pub(crate) fn touch(&self, topic: TopicId) {
        self.touched.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(topic);
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

    /// Commits, then invalidates what the write changed.
    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        let counters = match self.after {
            AfterCommit::Nothing => BTreeSet::new(),
            _ => self.counters().await?,
        };
        self.txn.commit().await?;
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

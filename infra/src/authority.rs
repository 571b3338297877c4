//! A moment's memory of authority: who a session's person is (their live grants) and what a place is to the
//! policy (its ancestry and its compound's facts), held in process for a second or two.
//!
//! Every request asks both before it reads anything, so without this a cached feed page still cost two
//! statements of its three. Entries are stamped with a generation that every write to grants, sessions or
//! places advances after its commit (a unit of work's, after the unit's), so on the instance that made the
//! change it applies to the next request. Another instance sees it within the time-to-live, the bound
//! decision 32 accepts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use gongzhi_domain::clock::Clock;
use gongzhi_domain::place::PlaceContext;
use gongzhi_domain::policy::Actor;
use uuid::Uuid;

/// The snapshots, or none (every question goes to the database).
#[derive(Clone, Default)]
pub struct AuthorityCache {
    inner: Option<Arc<Snapshots>>,
}

struct Snapshots {
    /// Advanced by every change to what the snapshots hold made through this store (and its clones), and
    /// when another instance's change is noticed (`follow`).
    generation: AtomicU64,
    /// The shared count of changes to grants and places (`cache::authority_version`) as last seen, with
    /// its backend's epoch.
    seen: Mutex<Option<(u64, u64)>>,
    actors: moka::sync::Cache<(Uuid, Uuid), (u64, DateTime<Utc>, Actor)>,
    places: moka::sync::Cache<Uuid, (u64, DateTime<Utc>, PlaceContext)>,
    /// How long an answer serves, on `clock` (decision 84): moka's own time to live, in real time, only
    /// frees the memory of entries past it.
    ttl: chrono::Duration,
    clock: Arc<dyn Clock>,
}

impl Snapshots {
    /// When an answer kept now stops serving.
    fn until(&self) -> DateTime<Utc> {
        self.clock.now() + self.ttl
    }
}

impl AuthorityCache {
    /// Holds answers for `ttl` on `clock`; a zero `ttl` holds none.
    pub fn new(ttl: Duration, max_entries: u64, clock: Arc<dyn Clock>) -> Self {
        if ttl.is_zero() {
            return Self::default();
        }
        let actors = moka::sync::Cache::builder().max_capacity(max_entries).time_to_live(ttl).build();
        let places = moka::sync::Cache::builder().max_capacity(max_entries).time_to_live(ttl).build();
        let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX);
        let snapshots = Snapshots { generation: AtomicU64::new(0), seen: Mutex::new(None), actors, places, ttl, clock };
        Self { inner: Some(Arc::new(snapshots)) }
    }

    /// Something the snapshots may hold has changed and committed: nothing held before now serves again.
    pub(crate) fn changed(&self) {
        if let Some(snapshots) = &self.inner {
            snapshots.generation.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Whether the shared count of changes to grants and places (`counter`: epoch and value, read from the
    /// read cache) is where this instance last saw it. When it moved — a change made through another
    /// instance — nothing held before serves again, and the answer is no: what this instance is about to
    /// judge may have been held from before the change. A read answered yes may be stamped with the value
    /// (`read_stamp`), since anything it takes from the snapshots was read after the value was.
    pub(crate) fn follow(&self, counter: (u64, u64)) -> bool {
        let Some(snapshots) = &self.inner else { return true };
        let mut seen = snapshots.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if *seen == Some(counter) {
            return true;
        }
        // Advanced before the value is recorded, so whoever finds it recorded reads under the new generation.
        snapshots.generation.fetch_add(1, Ordering::SeqCst);
        *seen = Some(counter);
        false
    }

    /// The generation to stamp an answer about to be read with: taken before the database is read, so a
    /// change committed meanwhile leaves the answer already stale.
    pub(crate) fn stamp(&self) -> u64 {
        self.inner.as_ref().map_or(0, |snapshots| snapshots.generation.load(Ordering::SeqCst))
    }

    pub(crate) fn actor(&self, session: Uuid, person: Uuid) -> Option<Actor> {
        let snapshots = self.inner.as_ref()?;
        let (stamp, until, actor) = snapshots.actors.get(&(session, person))?;
        (stamp == self.stamp() && snapshots.clock.now() < until).then_some(actor)
    }

    pub(crate) fn keep_actor(&self, stamp: u64, session: Uuid, person: Uuid, actor: &Actor) {
        if let Some(snapshots) = &self.inner {
            snapshots.actors.insert((session, person), (stamp, snapshots.until(), actor.clone()));
        }
    }

    pub(crate) fn place(&self, place: Uuid) -> Option<PlaceContext> {
        let snapshots = self.inner.as_ref()?;
        let (stamp, until, context) = snapshots.places.get(&place)?;
        (stamp == self.stamp() && snapshots.clock.now() < until).then_some(context)
    }

    pub(crate) fn keep_place(&self, stamp: u64, place: Uuid, context: &PlaceContext) {
        if let Some(snapshots) = &self.inner {
            snapshots.places.insert(place, (stamp, snapshots.until(), context.clone()));
        }
    }
}

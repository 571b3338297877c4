//! What a read answered wholly from caches depended on, so that whoever keeps its answer (the API's
//! response cache, decision 37) can later tell it still current without reading it again: the read
//! cache's counters it was served under, with their values — its place's, the names' it shows, and the
//! one every change to grants or places advances (`authority_version`).
//!
//! A page whose rows or relations were read from the database has no stamp: they are not covered by any
//! counter it could name. Its places' contexts may be read from the database or the authority snapshot
//! (`v:authority` covers them, and a move of it this instance had not seen yet leaves the read unstamped:
//! `AuthorityCache::follow`). Counters are read before what they cover, so a change committed meanwhile
//! leaves the stamp already stale. With Redis the counters are shared by every instance; in process, each
//! instance has its own (one instance is what that set-up is for).

use crate::Store;
use crate::cache::Versions;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadStamp {
    counters: Vec<String>,
    versions: Versions,
}

impl ReadStamp {
    /// The counters it names.
    pub fn counters(&self) -> &[String] {
        &self.counters
    }

    /// Counters read in two calls, joined; `None` when the two came from different lives of the backend.
    pub(crate) fn joined(
        (first, first_versions): (Vec<String>, &Versions),
        (second, second_versions): (Vec<String>, &Versions),
    ) -> Option<Self> {
        if first_versions.epoch != second_versions.epoch {
            return None;
        }
        let counters = first.into_iter().chain(second).collect();
        let numbers = first_versions.numbers.iter().chain(&second_versions.numbers).copied().collect();
        Some(Self { counters, versions: Versions { epoch: first_versions.epoch, numbers } })
    }
}

impl Store {
    /// Whether every counter `stamp` names is at its value still. Any doubt (no cache, the cache
    /// unreachable, an invalidation still pending) answers no.
    pub async fn is_current(&self, stamp: &ReadStamp) -> bool {
        let Some(cache) = self.read_cache() else { return false };
        cache.versions(&stamp.counters).await.is_some_and(|versions| versions == stamp.versions)
    }
}

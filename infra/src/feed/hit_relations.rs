//! The relations of a feed page served from the read cache, for its viewer, without a statement when this
//! instance has kept them:
//! - whether the viewer co-signed each row: per viewer and page, under the page's own version, which every
//!   co-signature in the place advances;
//! - each author and category: each under its own version, which renaming it advances (kept in this
//!   instance only, never in Redis: a person's row carries a phone number);
//! - each row's place context: from the authority snapshot (`read_contexts`).
//!
//! Versions are read before what they stamp, so a change committed meanwhile leaves the kept value already
//! stale rather than current. When anything is not kept, the page's relations are read again in one
//! statement, as a miss reads them, and kept. A miss keeps the co-signatures it read (under the page's
//! version, read first), but not the names: their versions were not read before them.

use std::sync::Arc;

use gongzhi_domain::ids::{CategoryId, PersonId, PlaceId, TopicId};
use gongzhi_domain::topic::Category;
use sea_orm::prelude::*;

use super::cached::CachedTopic;
use super::page::{self, PageRelations};
use crate::cache::{ReadCache, Versions, category_version, person_version};
use crate::entities::topic;
use crate::people::Person;
use crate::{Result, Store};

/// The authors and categories a page's rows name, sorted.
struct Named {
    authors: Vec<Uuid>,
    categories: Vec<Uuid>,
}

impl Named {
    fn of(rows: &[CachedTopic]) -> Self {
        let mut authors: Vec<Uuid> = rows.iter().map(|r| r.row.submitter_id).collect();
        let mut categories: Vec<Uuid> = rows.iter().map(|r| r.row.category_id).collect();
        for ids in [&mut authors, &mut categories] {
            ids.sort_unstable();
            ids.dedup();
        }
        Self { authors, categories }
    }

    fn counters(&self) -> Vec<String> {
        let authors = self.authors.iter().map(|id| person_version(*id));
        authors.chain(self.categories.iter().map(|id| category_version(*id))).collect()
    }

    /// Where each name is kept, as of `versions` (read from `counters`).
    fn keys(&self, versions: &Versions) -> (Vec<String>, Vec<String>) {
        let authors = self.authors.iter().enumerate().map(|(i, id)| versions.key_at(&format!("person:{id}"), i));
        let offset = self.authors.len();
        let categories =
            self.categories.iter().enumerate().map(|(i, id)| versions.key_at(&format!("category:{id}"), offset + i));
        (authors.collect(), categories.collect())
    }
}

impl Store {
    /// `page` is the versions the rows were read under and `entry` the page's key. With the relations, the
    /// names' counters and their values when everything was kept (no statement ran), for a `ReadStamp`.
    pub(super) async fn hit_relations(
        &self,
        cache: &ReadCache,
        page: &Versions,
        entry: &str,
        rows: &[CachedTopic],
        viewer: PersonId,
    ) -> Result<(PageRelations, Option<(Vec<String>, Versions)>)> {
        let named = Named::of(rows);
        let counters = named.counters();
        let versions = cache.versions(&counters).await;
        let keys = versions.as_ref().map(|versions| named.keys(versions));
        let mine = page.key(&mine_entry(viewer, entry));
        if let Some((author_keys, category_keys)) = &keys
            && let Some(signed) = cache.near_get::<Vec<Uuid>>(&mine)
            && let Some(authors) = all_kept::<Person>(cache, author_keys)
            && let Some(categories) = all_kept::<Category>(cache, category_keys)
        {
            let places: Vec<Uuid> = rows.iter().map(|r| r.row.place_id).collect();
            let contexts = self.read_contexts(&places).await?;
            let relations = PageRelations {
                viewer,
                co_signed: rows.iter().map(|r| (TopicId::from_uuid(r.row.id), signed.contains(&r.row.id))).collect(),
                categories: categories.into_iter().map(|c| (c.id, c)).collect(),
                authors: authors.into_iter().map(|p| (p.id, p)).collect(),
                contexts: contexts.into_iter().map(|(id, ctx)| (PlaceId::from_uuid(id), ctx)).collect(),
            };
            return Ok((relations, versions.map(|versions| (counters, versions))));
        }
        let ids = rows.iter().map(|r| r.row.id);
        let (_, relations) =
            page::read(self, topic::Entity::find().filter(topic::Column::Id.is_in(ids)), viewer).await?;
        self.keep_co_signed(cache, page, entry, &relations);
        if let Some((author_keys, category_keys)) = keys {
            keep_each(cache, &named.authors, author_keys, |id| relations.authors.get(&PersonId::from_uuid(id)));
            keep_each(cache, &named.categories, category_keys, |id| {
                relations.categories.get(&CategoryId::from_uuid(id))
            });
        }
        Ok((relations, None))
    }

    /// Keeps the viewer's co-signatures read along with a page's rows under the page's `versions`, read
    /// before the rows were.
    pub(super) fn keep_co_signed(&self, cache: &ReadCache, page: &Versions, entry: &str, relations: &PageRelations) {
        let signed = relations.co_signed.iter().filter(|(_, signed)| **signed).map(|(topic, _)| topic.as_uuid());
        cache.near_put(page.key(&mine_entry(relations.viewer, entry)), Arc::new(signed.collect::<Vec<_>>()));
    }
}

/// The viewer's entry beside a page's.
fn mine_entry(viewer: PersonId, page: &str) -> String {
    format!("mine:{}:{page}", viewer.as_uuid())
}

/// Every value under `keys`, or `None` when any is not kept.
fn all_kept<V: Clone + Send + Sync + 'static>(cache: &ReadCache, keys: &[String]) -> Option<Vec<V>> {
    keys.iter().map(|key| cache.near_get::<V>(key).map(|value| V::clone(&value))).collect()
}

fn keep_each<'a, V: Clone + Send + Sync + 'static>(
    cache: &ReadCache,
    ids: &[Uuid],
    keys: Vec<String>,
    read: impl Fn(Uuid) -> Option<&'a V>,
) {
    for (id, key) in ids.iter().zip(keys) {
        if let Some(value) = read(*id) {
            cache.near_put(key, Arc::new(value.clone()));
        }
    }
}

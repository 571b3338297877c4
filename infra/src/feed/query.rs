//! The topic feed of a place: filtered by stage, category and text, sorted newest, most co-signed or
//! nearest deadline, paged by keyset (the cursor is the last row's sort key and id), so a page costs the
//! same however deep it is.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{CategoryId, PlaceId};
use gongzhi_domain::place::{Ancestry, PlaceKind};
use gongzhi_domain::policy::{Action, Actor, Caller};
use gongzhi_domain::topic::Stage;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Func, LikeExpr};
use sea_orm::{Condition, ExprTrait, QueryOrder, QuerySelect, QueryTrait};

use super::cached::{self, CachedTopic};
use super::page::{self, TopicPage};
use crate::cache::{Versions, authority_version, place_version};
use crate::entities::{place, topic};
use crate::read_stamp::ReadStamp;
use crate::topics::TopicRecord;
use crate::{Error, Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeedSort {
    #[default]
    Newest,
    MostCoSigned,
    /// Topics with a running deadline (triage, publication, confirmation, rating), soonest first.
    NearestDeadline,
}

/// Where the previous page ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedCursor {
    pub id: Uuid,
    pub co_signs: i32,
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default)]
pub struct FeedQuery {
    pub place: Option<PlaceId>,
    pub stage: Option<Stage>,
    pub category: Option<CategoryId>,
    /// Contained in the title or description (any language; case-insensitive for Latin letters).
    pub text: Option<String>,
    pub sort: FeedSort,
    pub after: Option<FeedCursor>,
    pub limit: u64,
    /// Read each row's place context, category and author, and whether the actor co-signed, along with
    /// the rows (`TopicPage::relations`). How to read, not what: it is not part of a cached page's key.
    pub with_relations: bool,
}

impl FeedCursor {
    pub fn of(record: &TopicRecord, due_at: Option<DateTime<Utc>>) -> Self {
        Self {
            id: record.topic.id.as_uuid(),
            co_signs: i32::try_from(record.co_sign_count).unwrap_or(i32::MAX),
            due_at,
        }
    }
}

/// Escapes LIKE's wildcards so a search for "100%" means the text "100%".
fn like_pattern(text: &str) -> String {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

fn apply_filters(mut query: Select<topic::Entity>, q: &FeedQuery) -> Select<topic::Entity> {
    if let Some(stage) = q.stage {
        query = query.filter(topic::Column::Stage.eq(stage.as_str()));
    }
    if let Some(category) = q.category {
        query = query.filter(topic::Column::CategoryId.eq(category.as_uuid()));
    }
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = like_pattern(text);
        let contains = |column: topic::Column| {
            Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(pattern.clone()).escape('\\'))
        };
        query = query
            .filter(Condition::any().add(contains(topic::Column::Title)).add(contains(topic::Column::Description)));
    }
    query
}

fn apply_page(mut query: Select<topic::Entity>, q: &FeedQuery) -> Select<topic::Entity> {
    match q.sort {
        FeedSort::Newest => {
            if let Some(after) = q.after {
                query = query.filter(topic::Column::Id.lt(after.id));
            }
            query.order_by_desc(topic::Column::Id)
        }
        FeedSort::MostCoSigned => {
            if let Some(after) = q.after {
                query = query.filter(keyset(topic::Column::CoSignCount, after.co_signs).lt(after.id));
            }
            query.order_by_desc(topic::Column::CoSignCount).order_by_desc(topic::Column::Id)
        }
        FeedSort::NearestDeadline => {
            query = query.filter(topic::Column::DueAt.is_not_null());
            if let Some(FeedCursor { id, due_at: Some(due_at), .. }) = q.after {
                query = query.filter(keyset(topic::Column::DueAt, due_at).gt(id));
            }
            query.order_by_asc(topic::Column::DueAt).order_by_asc(topic::Column::Id)
        }
    }
}

/// A row's sort key and id against the cursor's, as row values: `(key, id) < (k, i)` is one index range on
/// `(place, key, id)` (decision 86), where the same test spelled with OR filters the scan row by row.
struct Keyset {
    column: topic::Column,
    value: sea_orm::Value,
}

fn keyset(column: topic::Column, value: impl Into<sea_orm::Value>) -> Keyset {
    Keyset { column, value: value.into() }
}

impl Keyset {
    fn rows(&self, id: Uuid) -> (Expr, Expr) {
        let row = Expr::tuple([Expr::col((topic::Entity, self.column)), Expr::col((topic::Entity, topic::Column::Id))]);
        let cursor = Expr::tuple([Expr::val(self.value.clone()), Expr::val(id)]);
        (row, cursor)
    }

    fn lt(&self, id: Uuid) -> Expr {
        let (row, cursor) = self.rows(id);
        row.lt(cursor)
    }

    fn gt(&self, id: Uuid) -> Expr {
        let (row, cursor) = self.rows(id);
        row.gt(cursor)
    }
}

/// Topics about a place or anywhere below it.
fn within(query: Select<topic::Entity>, place: &Ancestry) -> Select<topic::Entity> {
    let id = place.id().as_uuid();
    match place.kind() {
        PlaceKind::Street => query.filter(topic::Column::StreetId.eq(id)),
        PlaceKind::Community => query.filter(topic::Column::CommunityId.eq(id)),
        PlaceKind::Compound => query.filter(topic::Column::CompoundId.eq(id)),
        PlaceKind::Building | PlaceKind::Household => query.filter(topic::Column::PlaceId.eq(id)),
        // Above the street, through the street ids under the place.
        kind @ (PlaceKind::City | PlaceKind::District) => {
            let level = if kind == PlaceKind::City { place::Column::CityId } else { place::Column::DistrictId };
            let streets = place::Entity::find()
                .select_only()
                .column(place::Column::Id)
                .filter(level.eq(id))
                .filter(place::Column::Kind.eq(PlaceKind::Street.as_str()))
                .into_query();
            query.filter(topic::Column::StreetId.in_subquery(streets))
        }
    }
}

/// The place a feed is about, if the caller may list its topics: one statement for the place and the
/// facts of its compound, or none while the authority snapshot holds them.
async fn feed_place(store: &Store, caller: Caller<'_>, place: PlaceId) -> Result<Ancestry> {
    let mut contexts = store.read_contexts(&[place.as_uuid()]).await?;
    let ctx = contexts.remove(&place.as_uuid()).ok_or(Error::NotFound("place"))?;
    caller.authorize(Action::ViewTopics, &ctx).map_err(|_| Error::NotFound("place"))?;
    Ok(ctx.ancestry)
}

impl Store {
    /// A page of the topics about a place (a compound or building for residents; a community or above
    /// for its staff and officers). `None` place is refused: every feed belongs to a place. With
    /// `with_relations`, the rows come with their relations for the actor (see `TopicPage`): read in the
    /// same statement, or, for a page served from the read cache, found kept in this instance (per viewer
    /// and per row, `hit_relations`) or read in one statement of their own. Nothing personal, nor anyone's
    /// name, goes into an entry shared between people or instances. A partner reads the feeds within its scope; relations are read
    /// along for people only (they carry the viewer's co-signatures), and loaded per relation otherwise.
    pub async fn topic_feed<'a>(&self, caller: impl Into<Caller<'a>>, q: &FeedQuery) -> Result<TopicPage> {
        let caller = caller.into();
        let place_id = q.place.ok_or(Error::NotFound("place"))?;
        let cache = self.read_cache().filter(|_| cached::cacheable(q));
        // The page's counter and the policy's, read before the permission and the contexts are, so that
        // a change committed meanwhile leaves the page's stamp already stale.
        let counters = [place_version(place_id.as_uuid()), authority_version()];
        let read_versions = match cache {
            Some(cache) => cache.versions(&counters).await,
            None => None,
        };
        // A change to grants or places through another instance, noticed now, may have been held from
        // before it in the snapshots this read judges with: such a read is not stamped.
        let followed = read_versions.as_ref().is_some_and(|versions| {
            let counter = versions.numbers.get(1).copied().unwrap_or_default();
            self.authority.follow((versions.epoch, counter))
        });
        // The permission is checked afresh on every read, cached page or not.
        let place = feed_place(self, caller, place_id).await?;
        let viewer = caller.person_id().filter(|_| q.with_relations);
        let query = || apply_page(apply_filters(within(topic::Entity::find(), &place), q), q).limit(q.limit);
        // The rows, with their relations for the viewer when there is one.
        let read = || async {
            match viewer {
                Some(viewer) => {
                    page::read(self, query(), viewer).await.map(|(rows, relations)| (rows, Some(relations)))
                }
                None => Ok((self.rows_with_places(query()).await?, None)),
            }
        };
        let (Some(cache), Some(read_versions)) = (cache, read_versions) else {
            let (rows, relations) = read().await?;
            return TopicPage::of(&rows, relations);
        };
        // A miss reads the relations with the rows and caches only the rows; a hit finds them kept or reads
        // what is not (`hit_relations`).
        let mut read_along = None;
        let slot = &mut read_along;
        let fill = move || async move {
            let (rows, relations) = read().await?;
            *slot = relations;
            Ok::<_, Error>(rows)
        };
        // The page is named by its place's counter alone.
        let versions =
            Versions { epoch: read_versions.epoch, numbers: read_versions.numbers.iter().take(1).copied().collect() };
        let entry = cached::feed_entry(place_id, q);
        let rows = cache.fetch_at(&versions, &entry, fill).await?;
        // Only a person's page served wholly from the caches is stamped: a miss, or relations read again,
        // ran statements, and a partner's relations are loaded afterwards.
        let (relations, named) = match (read_along, viewer) {
            (Some(relations), _) => {
                self.keep_co_signed(cache, &versions, &entry, &relations);
                (Some(relations), None)
            }
            (None, Some(viewer)) if !rows.is_empty() => {
                let (relations, named) = self.hit_relations(cache, &versions, &entry, &rows, viewer).await?;
                (Some(relations), named)
            }
            (None, Some(_)) => (None, Some((Vec::new(), Versions { epoch: versions.epoch, numbers: Vec::new() }))),
            (None, None) => (None, None),
        };
        let stamp = named.filter(|_| followed).and_then(|(named, named_versions)| {
            ReadStamp::joined((counters.to_vec(), &read_versions), (named, &named_versions))
        });
        Ok(TopicPage::of(&rows, relations)?.stamped(stamp))
    }

    /// Topics the person submitted, newest first; with their relations read along when `with_relations`.
    pub async fn my_topics(
        &self,
        actor: &Actor,
        after: Option<Uuid>,
        limit: u64,
        with_relations: bool,
    ) -> Result<TopicPage> {
        let mut query = topic::Entity::find().filter(topic::Column::SubmitterId.eq(actor.person.as_uuid()));
        if let Some(after) = after {
            query = query.filter(topic::Column::Id.lt(after));
        }
        let query = query.order_by_desc(topic::Column::Id).limit(limit);
        if with_relations {
            let (rows, relations) = page::read(self, query, actor.person).await?;
            return TopicPage::of(&rows, Some(relations));
        }
        TopicPage::of(&self.rows_with_places(query).await?, None)
    }

    /// How many topics about a place are in each stage.
    pub async fn topic_counts<'a>(
        &self,
        caller: impl Into<Caller<'a>>,
        place_id: PlaceId,
    ) -> Result<Vec<(Stage, u64)>> {
        let place = feed_place(self, caller.into(), place_id).await?;
        let count = || async {
            let counts: Vec<(String, i64)> = within(topic::Entity::find(), &place)
                .select_only()
                .column(topic::Column::Stage)
                .column_as(topic::Column::Id.count(), "n")
                .group_by(topic::Column::Stage)
                .into_tuple()
                .all(&self.db)
                .await?;
            Ok::<_, Error>(counts)
        };
        let counts = match self.read_cache() {
            Some(cache) => {
                let entry = format!("counts:{}", place_id.as_uuid());
                cache.fetch(&[place_version(place_id.as_uuid())], &entry, count).await?
            }
            None => std::sync::Arc::new(count().await?),
        };
        Ok(Stage::ALL
            .into_iter()
            .map(|stage| {
                let n = counts.iter().find(|(s, _)| s == stage.as_str()).map_or(0, |(_, n)| *n);
                (stage, u64::try_from(n).unwrap_or(0))
            })
            .collect())
    }

    /// Runs a query of topics, each with its place's ancestry (from `read_contexts`, usually without a
    /// statement).
    pub(crate) async fn rows_with_places(&self, query: Select<topic::Entity>) -> Result<Vec<CachedTopic>> {
        let rows = query.all(&self.db).await?;
        Ok(self.with_places(rows).await?.0)
    }
}

//! Whole responses to a person's feed, kept in this instance and served again while nothing they were
//! made from has changed (decision 37).
//!
//! Why: a feed page the read cache answers in full still costs its GraphQL execution — twenty topics'
//! fields resolved, their values built and serialized — which was half the server's CPU for a cached
//! feed (bench/README.md, session 6). The same person asking the same page again gets the same bytes, so
//! they are kept, per person, and served after checking, without executing anything, that:
//! - the session still stands and the person's grants are the ones the response was made with;
//! - none of the read cache's counters it was made under has moved (`ReadStamp`): the page's (every
//!   change to a topic of the place, co-signatures included), each name's it shows, and the one every
//!   change to grants or places advances — so a kept response goes stale with the first change to
//!   anything it shows or was judged with, made through any instance sharing the Redis.
//!
//! Only requests of a known shape are kept: one `topics` field selecting fields that come from the
//! feed's cached rows and relations alone (`FEED`). Anything else — another field, a fragment, a
//! directive, an argument below the root — is executed every time, since what it reads is not covered
//! by a stamp. A response with errors, a partner's and a mutation's are never kept.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::web::Bytes;
use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, Selection, SelectionSet};
use chrono::{DateTime, Utc};
use gongzhi_domain::clock::Clock;
use gongzhi_domain::policy::Actor;
use gongzhi_infra::read_stamp::ReadStamp;
use uuid::Uuid;

use super::complexity::ComplexityKey;
use crate::i18n::Lang;

/// The fields a kept response may select, by type: each with the shape of its own selection, or none for
/// a leaf. Every one comes from the feed page's rows, the viewer's co-signatures, the names of authors
/// and categories, or the policy's judgement of the viewer at the rows' places — all covered by the stamp.
struct Shape(&'static [(&'static str, Option<&'static Shape>)]);

static PERSON: Shape = Shape(&[("id", None), ("name", None), ("__typename", None)]);
static CATEGORY: Shape = Shape(&[
    ("id", None),
    ("code", None),
    ("name", None),
    ("nameZh", None),
    ("nameEn", None),
    ("active", None),
    ("__typename", None),
]);
// Not `deadline` (its `overdue` is a function of the time), nor fields that load more than the page.
static TOPIC: Shape = Shape(&[
    ("id", None),
    ("title", None),
    ("description", None),
    ("stage", None),
    ("stateCode", None),
    ("level", None),
    ("submittedAt", None),
    ("updatedAt", None),
    ("coSignCount", None),
    ("coSignedByMe", None),
    ("submittedByMe", None),
    ("photos", None),
    ("rejectionReason", None),
    ("mergedInto", None),
    ("category", Some(&CATEGORY)),
    ("submitter", Some(&PERSON)),
    ("__typename", None),
]);
static EDGE: Shape = Shape(&[("cursor", None), ("node", Some(&TOPIC)), ("__typename", None)]);
static PAGE_INFO: Shape = Shape(&[
    ("hasNextPage", None),
    ("hasPreviousPage", None),
    ("startCursor", None),
    ("endCursor", None),
    ("__typename", None),
]);
static CONNECTION: Shape = Shape(&[("edges", Some(&EDGE)), ("pageInfo", Some(&PAGE_INFO)), ("__typename", None)]);

/// The one root field a kept response may have.
const FEED: (&str, &Shape) = ("topics", &CONNECTION);

/// Whether the operation `name` of `document` (the only one when unnamed) is a feed page that may be kept.
pub fn keepable(document: &ExecutableDocument, name: Option<&str>) -> bool {
    let Some(OperationDefinition { directives, selection_set, .. }) = super::documents::operation(document, name)
    else {
        return false;
    };
    let [root] = selection_set.node.items.as_slice() else { return false };
    let Selection::Field(field) = &root.node else { return false };
    let field = &field.node;
    let (feed, shape) = FEED;
    directives.is_empty()
        && field.name.node.as_str() == feed
        && field.directives.is_empty()
        && fits(&field.selection_set.node, shape)
}

/// Whether every selection is a plain field of `shape` (no argument, directive or fragment), leaves as
/// leaves and objects with selections that fit in turn.
fn fits(selections: &SelectionSet, shape: &Shape) -> bool {
    !selections.items.is_empty()
        && selections.items.iter().all(|selection| {
            let Selection::Field(field) = &selection.node else { return false };
            let field = &field.node;
            if !field.arguments.is_empty() || !field.directives.is_empty() {
                return false;
            }
            let name = field.name.node.as_str();
            match shape.0.iter().find(|(allowed, _)| *allowed == name) {
                Some((_, None)) => field.selection_set.node.items.is_empty(),
                Some((_, Some(inner))) => fits(&field.selection_set.node, inner),
                None => false,
            }
        })
}

/// A kept response's key: whose, in which language, for which request (text, operation, variables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseKey {
    person: Uuid,
    lang: Lang,
    request: ComplexityKey,
}

impl ResponseKey {
    pub fn new(person: Uuid, lang: Lang, request: ComplexityKey) -> Self {
        Self { person, lang, request }
    }
}

/// A kept response and what it was made from.
pub struct Kept {
    pub actor: Actor,
    pub stamp: ReadStamp,
    /// The response's JSON body.
    pub body: Bytes,
}

/// Bytes a kept response is counted at besides its body: the key, the actor and the stamp's counters.
const OVERHEAD: usize = 512;

/// Until when a kept response serves, and the response.
type Entry = (DateTime<Utc>, Arc<Kept>);

/// The kept responses of this instance, bounded by their bytes.
pub struct Responses {
    kept: Option<moka::sync::Cache<ResponseKey, Entry>>,
    /// How long a response serves, on `clock` (decision 84); moka's own time to live, in real time, only
    /// frees the memory of responses past it.
    ttl: chrono::Duration,
    clock: Arc<dyn Clock>,
}

impl Responses {
    /// Up to `max_bytes` of responses, each for at most `ttl` on `clock`; none when either is zero.
    pub fn new(max_bytes: u64, ttl: Duration, clock: Arc<dyn Clock>) -> Self {
        if max_bytes == 0 || ttl.is_zero() {
            return Self::none();
        }
        let kept = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|_: &ResponseKey, (_, kept): &Entry| {
                u32::try_from(kept.body.len() + OVERHEAD + 64 * kept.stamp.counters().len()).unwrap_or(u32::MAX)
            })
            .time_to_live(ttl)
            .build();
        Self { kept: Some(kept), ttl: chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX), clock }
    }

    pub fn none() -> Self {
        Self { kept: None, ttl: chrono::Duration::zero(), clock: Arc::new(gongzhi_domain::clock::SystemClock) }
    }

    pub fn is_enabled(&self) -> bool {
        self.kept.is_some()
    }

    pub fn get(&self, key: &ResponseKey) -> Option<Arc<Kept>> {
        let (until, kept) = self.kept.as_ref()?.get(key)?;
        (self.clock.now() < until).then_some(kept)
    }

    pub fn keep(&self, key: ResponseKey, kept: Kept) {
        if let Some(cache) = &self.kept {
            cache.insert(key, (self.clock.now() + self.ttl, Arc::new(kept)));
        }
    }

    /// Drops every kept response: after an erasure, whose name any feed page may have shown (decision 167).
    pub fn clear(&self) {
        if let Some(kept) = &self.kept {
            kept.invalidate_all();
        }
    }

    pub fn forget(&self, key: &ResponseKey) {
        if let Some(cache) = &self.kept {
            cache.invalidate(key);
        }
    }
}

/// What the feed's resolver reports of its read, put into a request that might be kept.
#[derive(Default)]
pub struct StampSlot(Mutex<Slot>);

#[derive(Default)]
enum Slot {
    #[default]
    Empty,
    Stamped(Actor, ReadStamp),
    /// Read without a stamp, or more than once: not kept.
    Spoiled,
}

impl StampSlot {
    /// The feed was read for `actor` (none for a partner) under `stamp` (none when a statement ran).
    pub fn record(&self, actor: Option<&Actor>, stamp: Option<&ReadStamp>) {
        let mut slot = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = match (&*slot, actor, stamp) {
            (Slot::Empty, Some(actor), Some(stamp)) => Slot::Stamped(actor.clone(), stamp.clone()),
            _ => Slot::Spoiled,
        };
    }

    /// The actor and stamp of the one read, if it was stamped.
    pub fn take(&self) -> Option<(Actor, ReadStamp)> {
        let mut slot = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match std::mem::take(&mut *slot) {
            Slot::Stamped(actor, stamp) => Some((actor, stamp)),
            Slot::Empty | Slot::Spoiled => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keeps(query: &str) -> bool {
        keepable(&async_graphql::parser::parse_query(query).expect("parses"), None)
    }

    const BENCH_FEED: &str = "query Feed($place: ID!) { topics(placeId: $place, first: 20) { edges { cursor node { id \
                              title stage submittedAt coSignCount coSignedByMe category { id name } submitter { id \
                              name } } } pageInfo { hasNextPage endCursor } } }";

    #[test]
    fn a_feed_of_the_pages_own_fields_is_keepable() {
        assert!(keeps(BENCH_FEED));
        assert!(keeps("{ feed: topics(placeId: \"p\") { edges { node { id t: title } } } }"), "aliases are fine");
    }

    #[test]
    fn anything_that_reads_beyond_the_page_is_executed_every_time() {
        let refused = [
            "{ topics(placeId: \"p\") { edges { node { id deadline { overdue } } } } }",
            "{ topics(placeId: \"p\") { edges { node { id place { id } } } } }",
            "{ topics(placeId: \"p\") { edges { node { id timeline { kind } } } } }",
            "{ topics(placeId: \"p\") { edges { node { id submitter { id phoneMasked } } } } }",
            "{ topics(placeId: \"p\") { edges { node { id } } } me { id } }",
            "{ topics(placeId: \"p\") { edges { node { ...T } } } } fragment T on Topic { id }",
            "{ topics(placeId: \"p\") { edges { node { ... on Topic { id } } } } }",
            "query($x: Boolean!) { topics(placeId: \"p\") { edges { node { id title @include(if: $x) } } } }",
            "{ topics(placeId: \"p\") { edges { node { opinions(first: 1) { edges { cursor } } } } } }",
            "{ myTopics { edges { node { id } } } }",
            "mutation { logout }",
        ];
        for query in refused {
            assert!(!keeps(query), "{query}");
        }
    }

    #[test]
    fn the_operation_named_is_the_one_judged() {
        let document =
            async_graphql::parser::parse_query(format!("{BENCH_FEED} query Me {{ me {{ id }} }}")).expect("parses");
        assert!(keepable(&document, Some("Feed")));
        assert!(!keepable(&document, Some("Me")));
        assert!(!keepable(&document, Some("Missing")));
    }
}

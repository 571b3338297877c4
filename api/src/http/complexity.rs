//! The query complexity of requests seen before, so that the same request again is charged to its rate
//! limits before it runs, on a schema with no engine extension.
//!
//! Why: the rate limits need each request's complexity, which the engine computes only while validating
//! and hands only to an extension (`rate_limit::RateLimit`). But any extension makes async-graphql wrap
//! every field's resolution (a registry look-up by type name and a boxed future per field): 15–30 % of
//! the server's throughput on a feed page of 20 topics (bench/README.md, session 5). A complexity is a
//! function of the schema, the document, the operation and the variables, so the key is their digest:
//! the first request of a kind runs on the metered schema, which computes and remembers it; the same
//! request again is charged the remembered figure and runs on the plain schema, which validates it all
//! the same (depth, complexity ceiling) but wraps nothing.

use std::num::NonZeroUsize;
use std::sync::{Mutex, MutexGuard};

use async_graphql::Request;
use lru::LruCache;
use sha2::{Digest, Sha256};

use super::persisted_queries::Hash;

/// Kinds of request remembered (32-byte keys and a number each: under a megabyte).
const REMEMBERED: usize = 10_000;

/// What a request is, as far as its complexity goes. Attached to a request the metered schema runs, so
/// its extension can remember what it computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ComplexityKey(Hash);

impl ComplexityKey {
    pub fn of(request: &Request) -> Self {
        let mut digest = Sha256::new();
        // Lengths first, so no two different (text, operation) pairs run together into the same bytes.
        let operation = request.operation_name.as_deref().unwrap_or_default();
        digest.update((request.query.len() as u64).to_le_bytes());
        digest.update(request.query.as_bytes());
        digest.update((operation.len() as u64).to_le_bytes());
        digest.update(operation.as_bytes());
        // Variables that do not serialize cannot be remembered by their bytes: an empty value never
        // matches a real request's serialized map, which is at least "{}".
        digest.update(serde_json::to_vec(&request.variables).unwrap_or_default());
        Self(digest.finalize().into())
    }
}

pub struct Complexities {
    known: Mutex<LruCache<Hash, u64>>,
}

impl Default for Complexities {
    fn default() -> Self {
        let size = NonZeroUsize::new(REMEMBERED).unwrap_or(NonZeroUsize::MIN);
        Self { known: Mutex::new(LruCache::new(size)) }
    }
}

/// A poisoned lock only means another request panicked while holding it; the figures are intact.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Complexities {
    pub fn get(&self, key: ComplexityKey) -> Option<u64> {
        lock(&self.known).get(&key.0).copied()
    }

    pub fn remember(&self, key: ComplexityKey, cost: u64) {
        lock(&self.known).put(key.0, cost);
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::Variables;
    use serde_json::json;

    use super::*;

    fn request(query: &str, operation: Option<&str>, variables: serde_json::Value) -> Request {
        let request = Request::new(query).variables(Variables::from_json(variables));
        match operation {
            Some(name) => request.operation_name(name),
            None => request,
        }
    }

    #[test]
    fn the_same_request_has_the_same_key_and_any_difference_another() {
        let feed = "query F($p: ID!, $n: Int) { topics(placeId: $p, first: $n) { edges { cursor } } }";
        fn key(query: &str, operation: Option<&str>, variables: serde_json::Value) -> ComplexityKey {
            ComplexityKey::of(&request(query, operation, variables))
        }
        let base = key(feed, None, json!({ "p": "a", "n": 20 }));

        assert_eq!(base, key(feed, None, json!({ "p": "a", "n": 20 })));
        assert_ne!(base, key(feed, None, json!({ "p": "a", "n": 100 })), "a page size changes the cost");
        assert_ne!(base, key(feed, Some("F"), json!({ "p": "a", "n": 20 })));
        assert_ne!(base, key(&format!("{feed} "), None, json!({ "p": "a", "n": 20 })));
        assert_ne!(key("ab", Some("c"), json!({})), key("a", Some("bc"), json!({})), "text and name stay apart");
    }

    #[test]
    fn a_remembered_cost_is_found_until_pushed_out() {
        let complexities = Complexities::default();
        let first = ComplexityKey::of(&request("{ me { id } }", None, json!({})));

        complexities.remember(first, 2);
        assert_eq!(complexities.get(first), Some(2));
        for n in 0..REMEMBERED {
            complexities.remember(ComplexityKey::of(&request("{ me { id } }", None, json!({ "n": n }))), 2);
        }
        assert_eq!(complexities.get(first), None, "bounded: the oldest goes first");
    }
}

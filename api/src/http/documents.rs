//! Query documents before execution: a cache of parsed documents, so the same query text is not parsed
//! again and again. In-process and bounded (least recently used entries go first).

use std::num::NonZeroUsize;
use std::sync::{Mutex, MutexGuard};

use async_graphql::Request;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use lru::LruCache;
use sha2::{Digest, Sha256};

/// Parsed documents kept, by the hash of their text.
const PARSED_DOCUMENTS: usize = 1_000;
/// Longer texts are not kept parsed, so the cache stays small (at most a few tens of MiB) however large the
/// bodies clients send.
const MAX_CACHED_TEXT: usize = 16 * 1024;

type Hash = [u8; 32];

pub struct QueryCaches {
    parsed: Mutex<LruCache<Hash, ExecutableDocument>>,
}

impl Default for QueryCaches {
    fn default() -> Self {
        let size = |n: usize| NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN);
        Self { parsed: Mutex::new(LruCache::new(size(PARSED_DOCUMENTS))) }
    }
}

/// A poisoned lock only means another request panicked while holding it; the cache itself is intact.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn sha256(text: &str) -> Hash {
    Sha256::digest(text.as_bytes()).into()
}

impl QueryCaches {
    /// Hands the engine the parsed document from the cache, parsing (and caching) it on a miss, and tells
    /// which kind of operation the request would run. A text that does not parse is left to the engine,
    /// which reports the error as always.
    pub fn prepare(&self, request: &mut Request) -> Option<OperationType> {
        let hash = sha256(&request.query);
        let cached = lock(&self.parsed).get(&hash).cloned();
        let document = match cached {
            Some(document) => document,
            None => {
                let document = async_graphql::parser::parse_query(&request.query).ok()?;
                if request.query.len() <= MAX_CACHED_TEXT {
                    lock(&self.parsed).put(hash, document.clone());
                }
                document
            }
        };
        let operation = operation_type(&document, request.operation_name.as_deref());
        request.set_parsed_query(document);
        operation
    }
}

/// The kind of the operation a request runs: the one named, or the only one.
fn operation_type(document: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    document
        .operations
        .iter()
        .find(|(op_name, _)| match (name, op_name) {
            (Some(wanted), Some(op_name)) => wanted == op_name.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        })
        .map(|(_, op)| op.node.ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_parsed_once_and_their_operation_is_told() {
        let caches = QueryCaches::default();
        let mut first = Request::new("query A { me { id } } mutation B { logout }").operation_name("B");
        assert_eq!(caches.prepare(&mut first), Some(OperationType::Mutation));
        assert_eq!(lock(&caches.parsed).len(), 1);
        let mut again = Request::new("query A { me { id } } mutation B { logout }").operation_name("A");
        assert_eq!(caches.prepare(&mut again), Some(OperationType::Query));
        assert_eq!(lock(&caches.parsed).len(), 1);
        assert_eq!(caches.prepare(&mut Request::new("{ not closed")), None);
    }
}

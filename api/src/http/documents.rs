//! Query documents before execution: automatic persisted queries (Apollo's protocol) and a cache of parsed
//! documents.
//!
//! A client may send `extensions.persistedQuery = {version: 1, sha256Hash}` without the query text; the
//! text registered under that hash is used, or the request is refused with `PERSISTED_QUERY_NOT_FOUND`
//! and the client sends the text along with the hash once, which registers it (after checking that the
//! hash is the text's). Hash-only GET requests are what make queries cacheable by URL.
//!
//! Both caches are in-process and bounded (least recently used entries go first). Several instances each
//! learn the queries they are sent; a shared store (Redis) for persisted queries is a follow-up.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard};

use async_graphql::Request;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, BadRequest};

/// Distinct query texts remembered for persisted-query hashes.
const PERSISTED_QUERIES: usize = 2_000;
/// Parsed documents kept, by the hash of their text.
const PARSED_DOCUMENTS: usize = 1_000;
/// Longer texts are neither registered nor kept parsed, so the caches stay small (at most a few tens of MiB)
/// however large the bodies clients send; a longer query still runs when sent in full.
const MAX_CACHED_TEXT: usize = 16 * 1024;

type Hash = [u8; 32];

pub struct QueryCaches {
    persisted: Mutex<LruCache<Hash, Arc<str>>>,
    parsed: Mutex<LruCache<Hash, ExecutableDocument>>,
}

impl Default for QueryCaches {
    fn default() -> Self {
        let size = |n: usize| NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN);
        Self {
            persisted: Mutex::new(LruCache::new(size(PERSISTED_QUERIES))),
            parsed: Mutex::new(LruCache::new(size(PARSED_DOCUMENTS))),
        }
    }
}

/// A poisoned lock only means another request panicked while holding it; the cache itself is intact.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn sha256(text: &str) -> Hash {
    Sha256::digest(text.as_bytes()).into()
}

fn parse_hex(text: &str) -> Option<Hash> {
    if text.len() != 64 {
        return None;
    }
    let mut hash = [0u8; 32];
    for (byte, pair) in hash.iter_mut().zip(text.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(hash)
}

/// The persisted-query extension of a request, if it has one: the hash it names.
fn persisted_hash(request: &Request) -> Result<Option<Hash>, ApiError> {
    use async_graphql::Value;
    let Some(extension) = request.extensions.0.get("persistedQuery") else { return Ok(None) };
    let Value::Object(fields) = extension else { return Err(ApiError::Bad(BadRequest::PersistedQuery)) };
    let version = fields.get("version").and_then(|v| match v {
        Value::Number(n) => n.as_i64(),
        _ => None,
    });
    if version != Some(1) {
        return Err(ApiError::Bad(BadRequest::PersistedQueryVersion));
    }
    match fields.get("sha256Hash") {
        Some(Value::String(hex)) => parse_hex(hex).map(Some).ok_or(ApiError::Bad(BadRequest::PersistedQuery)),
        _ => Err(ApiError::Bad(BadRequest::PersistedQuery)),
    }
}

impl QueryCaches {
    /// Fills in the text of a hash-only request, or registers the text a request sends with its hash.
    pub fn resolve_persisted(&self, request: &mut Request) -> Result<(), ApiError> {
        let Some(hash) = persisted_hash(request)? else { return Ok(()) };
        if request.query.is_empty() {
            let known = lock(&self.persisted).get(&hash).cloned();
            request.query = known.ok_or(ApiError::PersistedQueryNotFound)?.to_string();
            return Ok(());
        }
        if sha256(&request.query) != hash {
            return Err(ApiError::Bad(BadRequest::PersistedQueryHash));
        }
        if request.query.len() <= MAX_CACHED_TEXT {
            lock(&self.persisted).put(hash, Arc::from(request.query.as_str()));
        }
        Ok(())
    }

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

    fn with_hash(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        let extension = serde_json::json!({ "version": 1, "sha256Hash": hash });
        request.extensions.0.insert(
            "persistedQuery".into(),
            async_graphql::Value::from_json(extension).unwrap_or(async_graphql::Value::Null),
        );
        request
    }

    fn hex(hash: Hash) -> String {
        hash.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn a_hash_is_known_only_after_its_text_was_sent_with_it() {
        let caches = QueryCaches::default();
        let query = "{ me { id } }";
        let hash = hex(sha256(query));
        assert!(matches!(caches.resolve_persisted(&mut with_hash("", &hash)), Err(ApiError::PersistedQueryNotFound)));
        assert!(caches.resolve_persisted(&mut with_hash(query, &hash)).is_ok());
        let mut later = with_hash("", &hash);
        assert!(caches.resolve_persisted(&mut later).is_ok());
        assert_eq!(later.query, query);
    }

    #[test]
    fn a_text_sent_with_another_texts_hash_is_refused() {
        let caches = QueryCaches::default();
        let wrong = hex(sha256("{ other }"));
        let refused = caches.resolve_persisted(&mut with_hash("{ me { id } }", &wrong));
        assert!(matches!(refused, Err(ApiError::Bad(BadRequest::PersistedQueryHash))));
        let mut request = with_hash("", &wrong);
        request.extensions.0.insert("persistedQuery".into(), async_graphql::Value::from(2));
        assert!(matches!(caches.resolve_persisted(&mut request), Err(ApiError::Bad(BadRequest::PersistedQuery))));
    }

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

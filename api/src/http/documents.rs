//! Query documents before execution: automatic persisted queries (Apollo's protocol) and a cache of parsed
//! documents.
//!
//! A client may send `extensions.persistedQuery = {version: 1, sha256Hash}` without the query text; the
//! text registered under that hash is used, or the request is refused with `PERSISTED_QUERY_NOT_FOUND`
//! and the client sends the text along with the hash once, which registers it (after checking that the
//! hash is the text's, and that the text parses). Hash-only GET requests are what make queries cacheable
//! by URL. Where registered texts live is `persisted_queries.rs`: in memory, and in Redis when there is
//! one, so every instance knows them.
//!
//! Parsed documents are cached in process and bounded (least recently used entries go first). Every text
//! is screened before it is parsed, and every document measured before the engine sees it
//! (`document_bounds.rs`); the request's metric label is named here too, from the schema's own fields.

use std::num::NonZeroUsize;
use std::sync::{Mutex, MutexGuard};

use async_graphql::Request;
use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, OperationType};
use gongzhi_infra::persisted_queries::SharedQueryTexts;
use lru::LruCache;

use super::document_bounds::{self, Limits};
use super::operation_labels::OperationLabels;
use super::persisted_queries::{Hash, PersistedQueries, persisted_hash, sha256};
use crate::error::{ApiError, BadRequest};

/// Parsed documents kept, by the hash of their text.
const PARSED_DOCUMENTS: usize = 1_000;
/// Longer texts are neither registered nor kept parsed, so the caches (and Redis) stay small however large
/// the bodies clients send; a longer query still runs when sent in full.
const MAX_CACHED_TEXT: usize = 16 * 1024;

pub struct QueryCaches {
    persisted: PersistedQueries,
    parsed: Mutex<LruCache<Hash, ExecutableDocument>>,
    limits: Limits,
    labels: &'static OperationLabels,
}

impl Default for QueryCaches {
    fn default() -> Self {
        Self::new(None, Limits::of(&crate::config::Settings::default()))
    }
}

/// What is known of a request before it runs.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// The kind of operation it runs; `None` when the text does not parse (the engine reports why).
    pub operation: Option<OperationType>,
    /// Its selections with fragments expanded (`document_bounds::Shape`), part of what it is charged.
    pub selections: u64,
    /// Its name in metrics: its kind and first root field, when the schema has that field.
    pub label: &'static str,
}

/// A poisoned lock only means another request panicked while holding it; the cache itself is intact.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl QueryCaches {
    /// `shared`: persisted-query texts in Redis, when there is one.
    pub fn new(shared: Option<SharedQueryTexts>, limits: Limits) -> Self {
        let size = NonZeroUsize::new(PARSED_DOCUMENTS).unwrap_or(NonZeroUsize::MIN);
        Self {
            persisted: PersistedQueries::new(shared),
            parsed: Mutex::new(LruCache::new(size)),
            limits,
            labels: OperationLabels::of_schema(),
        }
    }

    /// Fills in the text of a hash-only request, or registers the text a request sends with its hash.
    pub async fn resolve_persisted(&self, request: &mut Request) -> Result<(), ApiError> {
        let Some(hash) = persisted_hash(request)? else { return Ok(()) };
        if request.query.is_empty() {
            let known = self.persisted.find(&hash).await;
            request.query = known.ok_or(ApiError::PersistedQueryNotFound)?.to_string();
            return Ok(());
        }
        if sha256(&request.query) != hash {
            return Err(ApiError::Bad(BadRequest::PersistedQueryHash));
        }
        document_bounds::screen(&request.query, &self.limits).map_err(ApiError::Bad)?;
        // A text that does not parse could never run by its hash: it is not kept (its request reports the
        // error as always), so junk costs no room in Redis.
        if request.query.len() <= MAX_CACHED_TEXT && self.document(&request.query).is_some() {
            self.persisted.register(hash, &request.query).await;
        }
        Ok(())
    }

    /// The parsed document of a text, from the cache or parsed (and cached) now; `None` if it does not parse.
    /// The text must have been screened.
    fn document(&self, text: &str) -> Option<ExecutableDocument> {
        let hash = sha256(text);
        if let Some(document) = lock(&self.parsed).get(&hash).cloned() {
            return Some(document);
        }
        let document = async_graphql::parser::parse_query(text).ok()?;
        if text.len() <= MAX_CACHED_TEXT {
            lock(&self.parsed).put(hash, document.clone());
        }
        Some(document)
    }

    /// Screens the text, hands the engine the parsed document from the cache (parsing and caching it on a
    /// miss) once it is measured within the limits, and tells what the request would run. A text that
    /// does not parse is left to the engine, which reports the error as always; screened, it is safe to.
    pub fn prepare(&self, request: &mut Request) -> Result<Prepared, ApiError> {
        document_bounds::screen(&request.query, &self.limits).map_err(ApiError::Bad)?;
        let Some(document) = self.document(&request.query) else {
            return Ok(Prepared { label: OperationLabels::OTHER, ..Prepared::default() });
        };
        let shape = document_bounds::measure(&document, &self.limits).map_err(ApiError::Bad)?;
        let operation = operation(&document, request.operation_name.as_deref());
        let prepared = Prepared {
            operation: operation.map(|op| op.ty),
            selections: shape.selections,
            label: operation.map_or(OperationLabels::OTHER, |op| self.labels.of(op)),
        };
        request.set_parsed_query(document);
        Ok(prepared)
    }
}

/// The operation a request runs: the one named, or the first (the only one, in a valid document).
pub fn operation<'a>(document: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a OperationDefinition> {
    document
        .operations
        .iter()
        .find(|(op_name, _)| match (name, op_name) {
            (Some(wanted), Some(op_name)) => wanted == op_name.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        })
        .map(|(_, op)| &op.node)
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

    #[tokio::test]
    async fn a_hash_is_known_only_after_its_text_was_sent_with_it() {
        let caches = QueryCaches::default();
        let query = "{ me { id } }";
        let hash = hex(sha256(query));
        let unknown = caches.resolve_persisted(&mut with_hash("", &hash)).await;
        assert!(matches!(unknown, Err(ApiError::PersistedQueryNotFound)));
        assert!(caches.resolve_persisted(&mut with_hash(query, &hash)).await.is_ok());
        let mut later = with_hash("", &hash);
        assert!(caches.resolve_persisted(&mut later).await.is_ok());
        assert_eq!(later.query, query);
    }

    #[tokio::test]
    async fn a_text_sent_with_another_texts_hash_is_refused() {
        let caches = QueryCaches::default();
        let wrong = hex(sha256("{ other }"));
        let refused = caches.resolve_persisted(&mut with_hash("{ me { id } }", &wrong)).await;
        assert!(matches!(refused, Err(ApiError::Bad(BadRequest::PersistedQueryHash))));
        let mut request = with_hash("", &wrong);
        request.extensions.0.insert("persistedQuery".into(), async_graphql::Value::from(2));
        let malformed = caches.resolve_persisted(&mut request).await;
        assert!(matches!(malformed, Err(ApiError::Bad(BadRequest::PersistedQuery))));
    }

    #[tokio::test]
    async fn a_text_that_does_not_parse_runs_but_is_not_registered() {
        let caches = QueryCaches::default();
        let broken = "{ me { id }";
        let hash = hex(sha256(broken));
        assert!(caches.resolve_persisted(&mut with_hash(broken, &hash)).await.is_ok());
        let later = caches.resolve_persisted(&mut with_hash("", &hash)).await;
        assert!(matches!(later, Err(ApiError::PersistedQueryNotFound)));
    }

    #[test]
    fn documents_are_parsed_once_and_their_operation_is_told() {
        let caches = QueryCaches::default();
        let mut first = Request::new("query A { me { id } } mutation B { logout }").operation_name("B");
        let kind = |request: &mut Request| caches.prepare(request).ok().and_then(|prepared| prepared.operation);
        assert_eq!(kind(&mut first), Some(OperationType::Mutation));
        assert_eq!(lock(&caches.parsed).len(), 1);
        let mut again = Request::new("query A { me { id } } mutation B { logout }").operation_name("A");
        assert_eq!(kind(&mut again), Some(OperationType::Query));
        assert_eq!(lock(&caches.parsed).len(), 1);
        assert_eq!(kind(&mut Request::new("{ not closed")), None);
    }
}

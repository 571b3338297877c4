//! A query that met the database out of reach — a restart, a failover, a cut connection — is run once
//! more, on a fresh connection. A restart breaks every pooled connection, and each fails the next
//! statement given to it: without this, a client asking just after a restart is told `UNAVAILABLE` for a
//! database that is back. Only a query is run again: it changed nothing, so a second run cannot do twice
//! what the client asked once. A mutation may have committed before the connection broke; it is the
//! client's to send again (with an idempotency key, it is then answered once).

use std::future::Future;

use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response};
use gongzhi_infra::Store;

use crate::error::ApiError;

/// Runs `attempt` on the request, and once more on a copy of it when it is a query whose answer says
/// the database was out of reach, after the pool's broken connections are closed. `response` reads an
/// answer's GraphQL response.
pub(super) async fn read_once_more<T, Fut>(
    store: &Store,
    request: Request,
    kind: Option<OperationType>,
    response: impl Fn(&T) -> &Response,
    attempt: impl Fn(Request) -> Fut,
) -> T
where
    Fut: Future<Output = T>,
{
    let again = (kind == Some(OperationType::Query) && request.uploads.is_empty()).then(|| copy(&request));
    let first = attempt(request).await;
    let Some(request) = again.filter(|_| met_unreachable_database(response(&first))) else { return first };
    tracing::warn!("a query met the database out of reach; it runs once more on a fresh connection");
    store.discard_broken_connections().await;
    attempt(request).await
}

/// What the client sent, without what the server attached to it: a run attaches its own data.
fn copy(request: &Request) -> Request {
    let mut copy = Request::new(request.query.clone()).variables(request.variables.clone());
    copy.operation_name.clone_from(&request.operation_name);
    copy.extensions = request.extensions.clone();
    copy.introspection_mode = request.introspection_mode;
    copy
}

fn met_unreachable_database(response: &Response) -> bool {
    response.errors.iter().any(|error| matches!(error.source::<ApiError>(), Some(ApiError::DatabaseUnavailable)))
}

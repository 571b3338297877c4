//! Runs what a live connection asks for: subscriptions only (queries and mutations go over HTTP, where
//! the rate limits, idempotency keys and response cache are), within the document bounds HTTP holds
//! requests to, at most `max_subscriptions_per_connection` at once. Each subscription gets its own request
//! context and loaders (which remember nothing, so every delivery reads afresh), and its errors are worded
//! and coded as over HTTP.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Request, Response, ServerError};
use futures::StreamExt;
use futures::stream::BoxStream;

use super::viewer::LiveViewer;
use crate::error::ApiError;
use crate::graphql::context::RequestCtx;
use crate::graphql::loaders;
use crate::i18n::Lang;
use crate::state::SharedState;

#[derive(Clone)]
pub struct LiveExecutor {
    state: SharedState,
    viewer: LiveViewer,
    lang: Lang,
    /// Subscriptions running on this connection.
    running: Arc<AtomicUsize>,
}

/// One running subscription, counted until its stream is dropped (finished, completed by the client, or
/// the connection gone).
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl LiveExecutor {
    pub fn new(state: SharedState, viewer: LiveViewer, lang: Lang) -> Self {
        Self { state, viewer, lang, running: Arc::default() }
    }

    fn refused(&self, error: ApiError) -> BoxStream<'static, Response> {
        error.log(Some("subscription"));
        let mut server_error = ServerError::new(error.message(self.lang), None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", error.code().as_str());
        if let Some(reason) = error.reason() {
            extensions.set("reason", reason);
        }
        server_error.extensions = Some(extensions);
        futures::stream::once(async move { Response::from_errors(vec![server_error]) }).boxed()
    }

    fn start(&self, mut request: Request) -> Result<BoxStream<'static, Response>, ApiError> {
        let prepared = self.state.queries.prepare(&mut request)?;
        if prepared.operation.is_some_and(|operation| operation != OperationType::Subscription) {
            return Err(ApiError::Live(crate::error::LiveRefusal::SubscriptionsOnly));
        }
        let most = self.state.settings.live.max_subscriptions_per_connection;
        if self.running.fetch_add(1, Ordering::Relaxed) >= most {
            self.running.fetch_sub(1, Ordering::Relaxed);
            return Err(ApiError::Live(crate::error::LiveRefusal::TooManySubscriptions { max: most }));
        }
        let running = Running(self.running.clone());
        let store = self.state.store.clone();
        let auth = self.viewer.claims.clone().map(Ok);
        let context = RequestCtx::new(self.lang, store.clone(), auth).with_partner(self.viewer.partner.clone());
        let request =
            loaders::attach(request.data(self.state.clone()), &store, false).data(context).data(self.viewer.clone());
        let (state, lang) = (self.state.clone(), self.lang);
        let responses = self.state.plain_schema.execute_stream(request).map(move |mut response| {
            // Held by the stream: the subscription counts until it is dropped.
            let _running = &running;
            crate::http::graphql::finish_errors(&mut response, lang, &state, "subscription");
            response
        });
        Ok(responses.boxed())
    }
}

impl async_graphql::Executor for LiveExecutor {
    async fn execute(&self, _request: Request) -> Response {
        // The WebSocket engine only ever starts streams; a plain execution never comes through here.
        Response::from_errors(vec![ServerError::new("subscriptions only", None)])
    }

    fn execute_stream(&self, request: Request, _session: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        match self.start(request) {
            Ok(stream) => stream,
            Err(error) => self.refused(error),
        }
    }
}

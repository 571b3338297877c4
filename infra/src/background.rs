//! Work that runs beside requests rather than for one — the event log's consumers, the delivery worker —
//! is marked while it runs, and its statements are counted apart from requests' (decision 163). The
//! statement counter tests pin a request's cost with (`Store::statements_run`) then counts the request's
//! statements only, however busy the consumers are at that moment.
//!
//! The mark is a task-local: sea-orm reports each statement to the connection's callback from the future
//! that ran it, so the callback knows whose statement it was without another pool or connection.

use std::future::Future;

tokio::task_local! {
    static BACKGROUND: ();
}

/// Runs `work` as background work: its statements count in `Store::background_statements_run`.
pub async fn in_background<F: Future>(work: F) -> F::Output {
    BACKGROUND.scope((), work).await
}

/// Whether the statement being reported was run by background work.
pub(crate) fn is_background() -> bool {
    BACKGROUND.try_with(|_| ()).is_ok()
}

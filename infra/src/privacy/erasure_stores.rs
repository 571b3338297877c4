//! After an erasure commits, the stores outside the database (decision 167): the blob store's uploads and
//! exports, the read cache (this instance's decoded values, and any shared entry in Redis whose bytes still
//! hold the person's identifiers), and the local outbox log file. Each is best effort after the commit
//! and says how it went, so the caller can log a store it could not reach; the database, which holds the
//! truth, was erased in the transaction.

use std::path::Path;

use tracing::instrument;

use super::erasure::Traces;
use crate::Store;
use crate::files::BlobStore;

/// What the sweep could not do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Files the blob store failed to delete.
    pub files_left: Vec<String>,
    /// Whether the shared cache could not be searched (Redis unreachable).
    pub shared_cache_missed: bool,
    /// Whether the outbox log file could not be rewritten.
    pub log_file_failed: bool,
}

impl Store {
    /// Deletes the erased person's files and forgets what the caches hold of them.
    #[instrument(skip_all)]
    pub async fn sweep_erased(&self, traces: &Traces, blobs: &dyn BlobStore) -> SweepReport {
        let mut report = SweepReport::default();
        for key in &traces.files {
            if let Err(err) = blobs.delete(key).await {
                tracing::warn!(key, error = %err, "an erased person's file could not be deleted");
                report.files_left.push(key.clone());
            }
        }
        report.shared_cache_missed = !self.cache.forget_containing(&traces.needles).await;
        report
    }
}

/// Rewrites the outbox's local log file without the lines that hold any of `needles` (written under a
/// temporary name and renamed, so a crash leaves the old file or the new, never half of one). A line the
/// sink appends between the read and the rename is lost from the file; the file is the embedded
/// default's demonstration log, not a record (the outbox tables are).
pub async fn forget_in_log_file(path: &Path, needles: &[String]) -> std::io::Result<()> {
    if needles.is_empty() {
        return Ok(());
    }
    let text = match tokio::fs::read_to_string(path).await {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    let kept: String = text
        .lines()
        .filter(|line| !needles.iter().any(|n| line.contains(n.as_str())))
        .flat_map(|line| [line, "\n"])
        .collect();
    if kept.len() == text.len() {
        return Ok(());
    }
    let partial = path.with_extension("erasing");
    tokio::fs::write(&partial, kept).await?;
    tokio::fs::rename(&partial, path).await
}

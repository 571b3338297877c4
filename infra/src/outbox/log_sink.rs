//! The embedded default when no gateway is configured: messages are "delivered" as JSON lines to a local
//! file that `gongzhi outbox tail` shows, so a newcomer sees them arrive without any outside service.

use std::path::{Path, PathBuf};
use std::time::Duration;

use gongzhi_domain::notify::Outcome;
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

use super::gateway::Attempt;

pub struct LogSink {
    path: PathBuf,
    lock: Mutex<()>,
}

impl LogSink {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        LogSink { path: path.into(), lock: Mutex::new(()) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends the message as one line. A failure to write is a transient failure like a gateway's, so
    /// the message is retried rather than lost.
    pub async fn write(&self, line: &serde_json::Value) -> Attempt {
        let started = std::time::Instant::now();
        let _guard = self.lock.lock().await;
        let outcome = match self.append(line).await {
            Ok(()) => Outcome::Accepted,
            Err(err) => Outcome::Failed { reason: format!("could not write {}: {err}", self.path.display()) },
        };
        Attempt { outcome, http_status: None, took: started.elapsed() }
    }

    async fn append(&self, line: &serde_json::Value) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await?;
        }
        let mut file = tokio::fs::OpenOptions::new().create(true).append(true).open(&self.path).await?;
        let mut text = line.to_string();
        text.push('\n');
        file.write_all(text.as_bytes()).await?;
        file.flush().await
    }
}

/// Prints the log's last `last` lines, then (if `follow`) new ones as they are written.
pub async fn tail(path: &Path, last: usize, follow: bool, mut out: impl std::io::Write) -> std::io::Result<()> {
    let text = tokio::fs::read_to_string(path).await.or_else(|err| match err.kind() {
        std::io::ErrorKind::NotFound => Ok(String::new()),
        _ => Err(err),
    })?;
    let lines: Vec<&str> = text.lines().collect();
    for line in &lines[lines.len().saturating_sub(last)..] {
        writeln!(out, "{line}")?;
    }
    if !follow {
        return Ok(());
    }
    let mut offset = text.len() as u64;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let Ok(meta) = tokio::fs::metadata(path).await else { continue };
        if meta.len() <= offset {
            continue;
        }
        let text = tokio::fs::read(path).await?;
        let fresh = text.get(offset as usize..).unwrap_or_default();
        // Only whole lines: a line being written is printed next time.
        let Some(end) = fresh.iter().rposition(|b| *b == b'\n') else { continue };
        out.write_all(&fresh[..=end])?;
        out.flush()?;
        offset += end as u64 + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_sink_appends_lines_and_tail_prints_the_last_ones() {
        let path = std::env::temp_dir().join(format!("gongzhi-sink-{}/outbox.jsonl", uuid::Uuid::new_v4()));
        let sink = LogSink::new(&path);

        let answers = [
            sink.write(&serde_json::json!({ "n": 1 })).await,
            sink.write(&serde_json::json!({ "n": 2 })).await,
            sink.write(&serde_json::json!({ "n": 3 })).await,
        ];
        let mut printed = Vec::new();
        tail(&path, 2, false, &mut printed).await.expect("tail");
        let mut nothing = Vec::new();
        tail(&path.with_file_name("missing.jsonl"), 5, false, &mut nothing).await.expect("tail of nothing");

        assert!(answers.iter().all(|a| a.outcome == Outcome::Accepted));
        assert_eq!(String::from_utf8_lossy(&printed), "{\"n\":2}\n{\"n\":3}\n");
        assert!(nothing.is_empty());
    }
}

//! The app's log lines as a test sees them. The app logs on its own worker threads, so a subscriber set for
//! the test's thread would see nothing: one global subscriber for the whole test binary keeps the lines of
//! requests sent with a marker as their user agent (every line logged while serving a request names the
//! request's user agent in its span), and drops the rest.

use std::io::Write;
use std::sync::{Mutex, OnceLock, PoisonError};

use tracing_subscriber::EnvFilter;

/// Starts every marker, so the writer can tell the lines it keeps without knowing the tests' markers.
const MARKER: &str = "gongzhi-log-probe-";

static KEPT: OnceLock<Mutex<Vec<String>>> = OnceLock::new();

fn kept() -> &'static Mutex<Vec<String>> {
    KEPT.get_or_init(|| {
        let installed = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("info,sqlx=warn,sea_orm=warn"))
            .with_ansi(false)
            .without_time()
            .with_writer(|| Line(Vec::new()))
            .try_init();
        assert!(installed.is_ok(), "another global subscriber is installed; log lines cannot be captured");
        Mutex::new(Vec::new())
    })
}

/// One event's formatted line, kept on drop if it belongs to a marked request.
struct Line(Vec<u8>);

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let line = String::from_utf8_lossy(&self.0);
        if line.contains(MARKER) {
            kept().lock().unwrap_or_else(PoisonError::into_inner).push(line.trim_end().to_owned());
        }
    }
}

/// The log lines of the requests a test sends with `marker()` as their user agent.
pub struct Logs {
    marker: String,
}

impl Logs {
    /// Starts capturing (the first call in the binary installs the subscriber).
    pub fn capture() -> Self {
        kept();
        Self { marker: format!("{MARKER}{}", uuid::Uuid::new_v4()) }
    }

    pub fn marker(&self) -> &str {
        &self.marker
    }

    /// Every line logged so far while serving this test's marked requests, each starting with its level.
    pub fn lines(&self) -> Vec<String> {
        let kept = kept().lock().unwrap_or_else(PoisonError::into_inner);
        kept.iter().filter(|line| line.contains(&self.marker)).cloned().collect()
    }
}

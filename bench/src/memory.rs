//! The process's resident memory as Linux reports it in `/proc/self/status`.

/// Resident set size now and its peak since the start (or since [`reset_peak`]), in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Resident {
    pub now_kib: u64,
    pub peak_kib: u64,
}

pub fn resident() -> Resident {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    Resident { now_kib: field("VmRSS:"), peak_kib: field("VmHWM:") }
}

/// Lowers the peak to the present size (`echo 5 > /proc/self/clear_refs`), so that the next reading is
/// the peak of what follows. False where the kernel does not allow it; the peak then counts from start.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

//! How a vote came out. Every kind of vote ends in one of three verdicts, which the API returns as data with
//! the measured shares beside it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Too few took part (turnout or quorum not met): the vote decides nothing either way, and the
    /// approval shares beside it are for information only.
    Invalid,
    /// Enough took part, but too few approved.
    Failed,
    Passed,
}

impl Verdict {
    pub(crate) const fn decide(valid: bool, approved: bool) -> Self {
        match (valid, approved) {
            (false, _) => Verdict::Invalid,
            (true, false) => Verdict::Failed,
            (true, true) => Verdict::Passed,
        }
    }

    pub const fn passed(self) -> bool {
        matches!(self, Verdict::Passed)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Invalid => "invalid",
            Verdict::Failed => "failed",
            Verdict::Passed => "passed",
        }
    }
}

//! 三个公开 and 双晒 (issue 17): what the parties owe the residents in public, and the rules that make it
//! trustworthy — typed accounts whose totals add up, versions that are never edited and chain by hash per
//! place, letters for what is missing, and questions that must be answered. Seeds 001, 002, 003.

mod chain;
mod content;
mod diff;
mod error;
mod kind;
mod money;
mod obligation;
mod period;
mod question;
mod version;

pub use chain::{ChainProblem, ChainVerdict, GENESIS, Link, StoredLink, verify};
pub use content::{Body, Line, LineCategory, LineInput, MAX_ATTACHMENTS, MAX_LINES, Side, Totals};
pub use diff::{BodyDiff, LineChange, diff};
pub use error::DisclosureError;
pub use kind::{Cadence, DisclosureKind};
pub use money::Fen;
pub use obligation::{DisclosureRules, Obligation};
pub use period::Period;
pub use question::{check_answer, check_question};
pub use version::{Publication, check_correction, check_first};

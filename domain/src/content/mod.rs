//! Content safety (issue 19, decisions 130–136): what a content check may answer (`suggestion`), the
//! embedded word list (`word_list`), and a submission held back from publication until it is checked or a
//! moderator decides (`hold`). The checks themselves (WeChat, the word list behind one trait) run in infra.

mod hold;
mod suggestion;
mod word_list;

pub use hold::{ContentError, Hold, HoldKind, HoldState, retry_after};
pub use suggestion::{Scene, Suggestion};
pub use word_list::WordList;

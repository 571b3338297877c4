//! Content safety (issue 19; decisions 130–137): the check behind one trait (`check`: the local word list,
//! WeChat's `msgSecCheck` in `wechat_check`, on the shared access token of `access_token`), the gate the
//! write paths pass through (`gate`), and the submissions it held back (`holds`, `submission`).

mod access_token;
mod check;
mod gate;
mod holds;
mod submission;
mod wechat_check;

pub use access_token::AccessTokens;
pub use check::{CheckUnavailable, ContentCheck, TextToCheck, WordListCheck};
pub use gate::{Checked, ContentGate, RecheckReport};
pub use holds::HoldRecord;
pub use submission::Published;
pub use wechat_check::WeChatContentCheck;

//! WeChat subscribe-message consent, as the mini-program reports it after `wx.requestSubscribeMessage`.
//!
//! A one-time grant allows one message of that template and accumulates (three accepts, three messages);
//! a long-term grant (offered to public-service accounts) allows messages until withdrawn. A refusal
//! withdraws a long-term grant but not one-time grants already given, as in WeChat. WeChat's errcode
//! 43101 on a send means it holds no consent at all, and clears both.

use crate::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentGrant {
    OneTime,
    LongTerm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentReport {
    Accepted(ConsentGrant),
    Rejected,
}

/// The most one-time grants kept per template: a client looping on the consent prompt cannot buy a
/// person an unbounded stream of messages.
pub const MAX_ONE_TIME_GRANTS: i32 = 50;

impl ConsentReport {
    /// WeChat's per-template answer (`accept`, `reject`, `ban`, `filter`) and whether the template was
    /// offered as long-term.
    pub fn from_wechat(answer: &str, long_term: bool) -> Result<Self, Invalid> {
        match answer {
            "accept" if long_term => Ok(ConsentReport::Accepted(ConsentGrant::LongTerm)),
            "accept" => Ok(ConsentReport::Accepted(ConsentGrant::OneTime)),
            // `ban`: the template was banned; `filter`: WeChat filtered it. Neither allows a message.
            "reject" | "ban" | "filter" => Ok(ConsentReport::Rejected),
            other => Err(Invalid::UnknownValue { field: "result", given: other.to_owned() }),
        }
    }
}

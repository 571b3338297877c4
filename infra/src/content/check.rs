//! The one seam every content check sits behind (decision 131): the use cases ask `ContentCheck` and do
//! not know whether WeChat or the local word list answers.

use gongzhi_domain::content::{Scene, Suggestion, WordList};

/// One text to check, with what WeChat weighs it by: where it will be shown, and the author's openid
/// (WeChat checks against the user's recent activity; a person who never logged in with WeChat has none).
#[derive(Debug, Clone, Copy)]
pub struct TextToCheck<'a> {
    pub text: &'a str,
    pub scene: Scene,
    pub openid: Option<&'a str>,
}

/// No answer was had. The submission waits and is checked again; it is never published unchecked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckUnavailable {
    #[error("the content check did not answer in time")]
    Timeout,
    #[error("the content check could not be reached")]
    Unreachable,
    #[error("the content check answered with something that is not an answer")]
    Malformed,
    /// WeChat's error code (for the token or the check).
    #[error("the content check refused the request: errcode {0}")]
    Refused(i64),
}

impl CheckUnavailable {
    pub(crate) fn transport(err: reqwest::Error) -> Self {
        // The token's URL carries the secret: keep the kind of failure, never the error's URL.
        if err.is_timeout() { CheckUnavailable::Timeout } else { CheckUnavailable::Unreachable }
    }
}

#[async_trait::async_trait]
pub trait ContentCheck: Send + Sync {
    /// The verdict on one text.
    async fn check_text(&self, text: TextToCheck<'_>) -> Result<Suggestion, CheckUnavailable>;

    /// Which checker this is, for logs and the health of the setting (`words`, `wechat`).
    fn name(&self) -> &'static str;

    /// Whether the verdict weighs the author's openid (WeChat's does): only then is it read for the check.
    fn weighs_author(&self) -> bool {
        false
    }
}

/// The embedded default: the local word list, which always answers.
pub struct WordListCheck {
    list: WordList,
}

impl WordListCheck {
    pub fn new(list: WordList) -> Self {
        Self { list }
    }
}

#[async_trait::async_trait]
impl ContentCheck for WordListCheck {
    async fn check_text(&self, text: TextToCheck<'_>) -> Result<Suggestion, CheckUnavailable> {
        Ok(self.list.check(text.text))
    }

    fn name(&self) -> &'static str {
        "words"
    }
}

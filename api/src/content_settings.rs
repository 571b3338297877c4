//! `[content]` (`GONGZHI_CONTENT__…`): which content check user text passes before others see it
//! (decisions 131–132). The embedded default is the local word list; `wechat` asks WeChat's `msgSecCheck`
//! at `WECHAT_API_BASE` with the mini-program's credentials (`WECHAT_APP_ID`, `WECHAT_APP_SECRET`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use gongzhi_domain::clock::Clock;
use gongzhi_domain::content::WordList;
use gongzhi_infra::cache::RedisLink;
use gongzhi_infra::content::{ContentCheck, WeChatContentCheck, WordListCheck};
use serde::{Deserialize, Serialize};

use crate::config::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Checker {
    /// The local word list (`words`, or the embedded one).
    #[default]
    Words,
    /// WeChat's content security API.
    WeChat,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ContentSettings {
    pub checker: Checker,
    /// Words that hold a text for moderation, for the `words` checker; the embedded list when empty.
    pub words: Vec<String>,
    /// How long WeChat's check may take; past it, the submission waits for the retry round.
    pub timeout_ms: u64,
}

impl Default for ContentSettings {
    fn default() -> Self {
        Self { checker: Checker::Words, words: Vec::new(), timeout_ms: 3_000 }
    }
}

/// The configured check. WeChat's shares its access token through Redis when there is one.
pub fn content_check(
    settings: &Settings,
    clock: &Arc<dyn Clock>,
    redis: &Option<Arc<RedisLink>>,
) -> anyhow::Result<Arc<dyn ContentCheck>> {
    let content = &settings.content;
    Ok(match content.checker {
        Checker::Words => Arc::new(WordListCheck::new(WordList::new(&content.words))),
        Checker::WeChat => Arc::new(
            WeChatContentCheck::build(
                &settings.wechat.api_base,
                &settings.wechat.app_id,
                settings.wechat.app_secret.clone(),
                Duration::from_millis(content.timeout_ms),
                clock.clone(),
                redis.clone(),
            )
            .context("cannot build the content check's HTTP client")?,
        ),
    })
}

//! WeChat's content security (内容安全) as a `ContentCheck` (decision 132): `msgSecCheck` v2 for text, on
//! the shared access token. WeChat's answer is untrusted input, read field by field; an answer that is no
//! answer (an error code, a timeout, garbage) is `CheckUnavailable`, and the submission waits.

use std::sync::Arc;

use gongzhi_domain::content::Suggestion;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use tracing::{instrument, warn};

use super::access_token::AccessTokens;
use super::check::{CheckUnavailable, ContentCheck, TextToCheck};

/// WeChat answers are small; a bigger body is not an answer.
const MAX_BODY: usize = 64 * 1024;

/// The token is no longer good: fetch a new one before the next check.
const TOKEN_INVALID: [i64; 3] = [40001, 42001, 40014];
/// The openid is unknown to WeChat or has not used the mini-program lately: asking again will not help,
/// so a person looks instead (decision 132).
const USER_UNKNOWN: [i64; 2] = [40003, 61010];

#[derive(Deserialize)]
struct CheckAnswer {
    errcode: Option<i64>,
    result: Option<CheckResult>,
}

#[derive(Deserialize)]
struct CheckResult {
    suggest: Option<String>,
}

pub struct WeChatContentCheck {
    http: reqwest::Client,
    base: String,
    tokens: Arc<AccessTokens>,
}

impl WeChatContentCheck {
    pub fn new(http: reqwest::Client, base: &str, tokens: Arc<AccessTokens>) -> Self {
        Self { http, base: base.trim_end_matches('/').to_owned(), tokens }
    }

    /// The check at `base` for the mini-program `app_id`, each call bounded by `timeout`, its access token
    /// shared through `shared` when there is a Redis.
    pub fn build(
        base: &str,
        app_id: &str,
        secret: secrecy::SecretString,
        timeout: std::time::Duration,
        clock: Arc<dyn gongzhi_domain::clock::Clock>,
        shared: Option<Arc<crate::cache::RedisLink>>,
    ) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder().timeout(timeout).connect_timeout(timeout).build()?;
        let tokens = Arc::new(AccessTokens::new(http.clone(), base, app_id, secret, clock, shared));
        Ok(Self::new(http, base, tokens))
    }
}

pub(crate) async fn read_json<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, CheckUnavailable> {
    if !response.status().is_success() {
        return Err(CheckUnavailable::Unreachable);
    }
    let body = response.bytes().await.map_err(CheckUnavailable::transport)?;
    if body.len() > MAX_BODY {
        return Err(CheckUnavailable::Malformed);
    }
    // WeChat sends JSON as text/plain, so the content type is not checked.
    serde_json::from_slice(&body).map_err(|_| CheckUnavailable::Malformed)
}

#[async_trait::async_trait]
impl ContentCheck for WeChatContentCheck {
    #[instrument(skip_all)]
    async fn check_text(&self, text: TextToCheck<'_>) -> Result<Suggestion, CheckUnavailable> {
        // msgSecCheck v2 requires the author's openid; without one there is nothing WeChat can check.
        let Some(openid) = text.openid else { return Ok(Suggestion::Review) };
        let token = self.tokens.token().await?;
        let response = self
            .http
            .post(format!("{}/wxa/msg_sec_check", self.base))
            .query(&[("access_token", token.as_str())])
            .json(&json!({
                "content": text.text,
                "version": 2,
                "scene": text.scene.wechat_code(),
                "openid": openid,
            }))
            .send()
            .await
            .map_err(CheckUnavailable::transport)?;
        let answer: CheckAnswer = read_json(response).await?;
        match answer.errcode {
            None | Some(0) => answer
                .result
                .and_then(|r| r.suggest)
                .and_then(|s| Suggestion::parse(&s))
                .ok_or(CheckUnavailable::Malformed),
            Some(code) if TOKEN_INVALID.contains(&code) => {
                self.tokens.invalidate(&token).await;
                Err(CheckUnavailable::Refused(code))
            }
            Some(code) if USER_UNKNOWN.contains(&code) => Ok(Suggestion::Review),
            Some(code) => {
                warn!(errcode = code, "WeChat's content check refused a request");
                Err(CheckUnavailable::Refused(code))
            }
        }
    }

    fn weighs_author(&self) -> bool {
        true
    }

    fn name(&self) -> &'static str {
        "wechat"
    }
}

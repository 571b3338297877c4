//! WeChat mini-program login: trade the one-time `code` from `wx.login` for an openid at
//! `{base}/sns/jscode2session`. The answer is untrusted input: checked field by field, and WeChat's
//! error codes become errors a client can act on.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use thiserror::Error;
use tracing::{instrument, warn};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WeChatError {
    /// 40029: the code is wrong, expired or already used.
    #[error("the login code is invalid or expired")]
    InvalidCode,
    /// 45011: WeChat rate-limits this user's logins.
    #[error("too many login attempts")]
    RateLimited,
    /// 40226: WeChat flags the user as high-risk and blocks the login.
    #[error("WeChat blocked this login as high-risk")]
    HighRisk,
    /// -1: WeChat is busy.
    #[error("WeChat is busy")]
    Busy,
    #[error("WeChat did not answer in time")]
    Timeout,
    /// Anything else: WeChat unreachable, an error code we do not know, a malformed answer.
    #[error("WeChat login is unavailable: {0}")]
    Unavailable(String),
}

#[derive(Clone)]
pub struct WeChatClient {
    http: reqwest::Client,
    base: String,
    app_id: String,
    secret: SecretString,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeChatIdentity {
    pub openid: String,
    pub union_id: Option<String>,
}

#[derive(Deserialize)]
struct Session {
    openid: Option<String>,
    unionid: Option<String>,
    errcode: Option<i64>,
    errmsg: Option<String>,
}

/// openids and unionids are short URL-safe strings; anything else is not from WeChat.
fn plausible_id(id: &str) -> bool {
    (8..=128).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A `wx.login` code is a short printable token; we refuse anything else before calling WeChat.
pub fn plausible_code(code: &str) -> bool {
    (1..=128).contains(&code.len()) && code.chars().all(|c| c.is_ascii_graphic())
}

/// WeChat answers are small; a bigger body is not an answer.
const MAX_BODY: usize = 16 * 1024;

impl WeChatClient {
    pub fn new(base: &str, app_id: &str, secret: SecretString, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder().timeout(timeout).connect_timeout(timeout).build()?;
        Ok(Self { http, base: base.trim_end_matches('/').to_owned(), app_id: app_id.to_owned(), secret })
    }

    #[instrument(skip_all)]
    pub async fn code_to_session(&self, code: &str) -> Result<WeChatIdentity, WeChatError> {
        let url = format!("{}/sns/jscode2session", self.base);
        let response = self
            .http
            .get(url)
            .query(&[
                ("appid", self.app_id.as_str()),
                ("secret", self.secret.expose_secret()),
                ("js_code", code),
                ("grant_type", "authorization_code"),
            ])
            .send()
            .await
            .map_err(transport)?;
        if !response.status().is_success() {
            return Err(WeChatError::Unavailable(format!("HTTP {}", response.status().as_u16())));
        }
        let body = response.bytes().await.map_err(transport)?;
        if body.len() > MAX_BODY {
            return Err(WeChatError::Unavailable("oversized answer".into()));
        }
        // WeChat sends JSON as text/plain, so the content type is not checked.
        let session: Session =
            serde_json::from_slice(&body).map_err(|_| WeChatError::Unavailable("malformed answer".into()))?;
        match session.errcode {
            None | Some(0) => {}
            Some(40029) => return Err(WeChatError::InvalidCode),
            Some(45011) => return Err(WeChatError::RateLimited),
            Some(40226) => return Err(WeChatError::HighRisk),
            Some(-1) => return Err(WeChatError::Busy),
            Some(other) => {
                warn!(errcode = other, errmsg = session.errmsg.as_deref().unwrap_or(""), "unexpected WeChat error");
                return Err(WeChatError::Unavailable(format!("errcode {other}")));
            }
        }
        let openid = session
            .openid
            .filter(|id| plausible_id(id))
            .ok_or_else(|| WeChatError::Unavailable("answer without a valid openid".into()))?;
        let union_id = session.unionid.filter(|id| plausible_id(id));
        Ok(WeChatIdentity { openid, union_id })
    }
}

fn transport(err: reqwest::Error) -> WeChatError {
    if err.is_timeout() {
        WeChatError::Timeout
    } else {
        // The URL carries the secret: log the kind of failure, never the error's URL.
        WeChatError::Unavailable(if err.is_connect() { "connection failed".into() } else { "transport error".into() })
    }
}

//! Sending one message over HTTP: to the messaging gateway (docs/gateway.md) or to a partner's webhook
//! endpoint, signed either way. The answer is read by `gongzhi_domain::notify::Outcome`.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use gongzhi_domain::notify::Outcome;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde::Deserialize;

use super::signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};

/// One attempt's result, as the attempts log keeps it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub outcome: Outcome,
    pub http_status: Option<u16>,
    pub took: Duration,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    errcode: Option<i64>,
    errmsg: Option<String>,
}

#[derive(Clone)]
pub struct HttpSender {
    http: reqwest::Client,
}

impl HttpSender {
    pub fn new(timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(3)))
            .user_agent(concat!("gongzhi/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(HttpSender { http })
    }

    /// POSTs `body` with the message id as `Idempotency-Key`, so a resend after an unanswered attempt is
    /// recognised by the receiver as the same message.
    pub async fn post(&self, url: &str, secret: &[u8], id: uuid::Uuid, body: Vec<u8>, now: DateTime<Utc>) -> Attempt {
        let started = Instant::now();
        let timestamp = now.timestamp();
        let signature = sign(secret, timestamp, &body);
        let sent = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", id.to_string())
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(err) => {
                let reason = if err.is_timeout() {
                    "no answer in time".to_owned()
                } else if err.is_connect() {
                    "could not connect".to_owned()
                } else {
                    format!("request failed: {err}")
                };
                return Attempt { outcome: Outcome::Failed { reason }, http_status: None, took: started.elapsed() };
            }
        };
        let status = response.status().as_u16();
        let retry_after = response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        // The body matters only when the answer is not a success; a slow body is bounded by the timeout.
        let error = if response.status().is_success() {
            ErrorBody::default()
        } else {
            response.json::<ErrorBody>().await.unwrap_or_default()
        };
        let outcome =
            Outcome::from_response(status, retry_after.as_deref(), error.errcode, error.errmsg.as_deref(), now);
        Attempt { outcome, http_status: Some(status), took: started.elapsed() }
    }
}

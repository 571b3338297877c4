//! Sending one message over HTTP: to the messaging gateway (docs/gateway.md) with its own signature, or to
//! a partner's webhook endpoint in the Standard Webhooks format (decision 70), through a client that
//! connects only to checked addresses (`targets`). The answer is read by `gongzhi_domain::notify::Outcome`.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use gongzhi_domain::notify::Outcome;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde::Deserialize;

use super::signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, sign_webhook};
use super::targets::{WebhookTargets, refused_in};

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
        answer(sent, started, now).await
    }
}

/// Posts to partners' endpoints: no redirects followed, no proxy, and names resolved through the
/// address rule, so nothing is posted into the server's own network (decision 71).
#[derive(Clone)]
pub struct WebhookSender {
    http: reqwest::Client,
    targets: WebhookTargets,
}

impl WebhookSender {
    pub fn new(timeout: Duration, targets: WebhookTargets) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(3)))
            .user_agent(concat!("gongzhi/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(targets.resolver())
            .build()?;
        Ok(WebhookSender { http, targets })
    }

    /// POSTs `body` with the Standard Webhooks headers: `webhook-id` (the same on every attempt, so the
    /// partner deduplicates), `webhook-timestamp` (this attempt's) and `webhook-signature`. A URL that the
    /// address rule refuses is a refusal (dead-lettered, not retried): the rule will not change its mind.
    pub async fn post(&self, url: &str, key: &[u8], id: &str, body: Vec<u8>, now: DateTime<Utc>) -> Attempt {
        let started = Instant::now();
        let refused = |reason: String| Attempt {
            outcome: Outcome::Refused { reason, consent_refused: false },
            http_status: None,
            took: started.elapsed(),
        };
        if let Err(invalid) = self.targets.check_url(url) {
            return refused(format!("refused: {invalid}"));
        }
        let timestamp = now.timestamp();
        let signature = sign_webhook(key, id, timestamp, &body);
        let sent = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await;
        if let Err(err) = &sent
            && let Some(target) = refused_in(err)
        {
            return refused(target.to_string());
        }
        answer(sent, started, now).await
    }
}

/// Reads an answer (or the failure to get one) as an attempt.
async fn answer(sent: reqwest::Result<reqwest::Response>, started: Instant, now: DateTime<Utc>) -> Attempt {
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
    let outcome = Outcome::from_response(status, retry_after.as_deref(), error.errcode, error.errmsg.as_deref(), now);
    Attempt { outcome, http_status: Some(status), took: started.elapsed() }
}

//! A fake messaging gateway on loopback (docs/gateway.md): `POST /v1/messages`, and `/hooks/{name}` as a
//! partner's webhook endpoint with its own secret. Like a real one it checks each request's signature —
//! the gateway's (HMAC-SHA256 of `{timestamp}.{body}`, computed here independently of the code under
//! test), a webhook's with the Standard Webhooks reference library (`standardwebhooks`), as a partner
//! would — and takes a message once per key (`Idempotency-Key`; a webhook's `webhook-id`), answering a
//! repeat 200 "duplicate". It records what arrived and
//! when, so a test can ask what the gateway saw: every key received, the keys taken, bad signatures, the
//! most requests in flight at once (for one key, and in all), and arrival times.
//!
//! Its answer is switched at runtime with [`Mode`]; a recipient can also be made to refuse like WeChat's
//! errcode 43101.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::watch;

/// The path personal messages are posted to.
pub const MESSAGES: &str = "/v1/messages";

/// How the gateway answers, until switched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 202: the message is taken.
    Accept,
    /// 503, as during an outage. Nothing is taken.
    Fail,
    /// No answer until switched, or until the client hangs up: longer than any client timeout. Nothing is
    /// taken.
    Hang,
    /// The message is taken, but the answer comes only after switching: the sender never hears.
    TakeThenHang,
    /// 429 with `Retry-After: {seconds}`.
    RateLimited { seconds: u64 },
}

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub path: String,
    /// The `Idempotency-Key` header; for a webhook, `webhook-id`.
    pub key: String,
    /// A webhook's `webhook-timestamp`.
    pub timestamp: Option<i64>,
    pub at: Instant,
    pub signed: bool,
    pub body: Value,
}

#[derive(Debug, Default)]
struct Log {
    arrivals: Vec<Arrival>,
    /// Keys taken, in order; a key is taken at most once.
    taken: Vec<String>,
    duplicates: usize,
    bad_signatures: usize,
    in_flight: HashMap<String, usize>,
    max_in_flight_per_key: usize,
    max_in_flight: usize,
}

struct Shared {
    secrets: Mutex<HashMap<String, Vec<u8>>>,
    mode: Mutex<Mode>,
    refusing: Mutex<HashSet<String>>,
    /// Webhook paths answering 503 whatever the mode: one partner down while the rest are up.
    failing: Mutex<HashSet<String>>,
    /// While true, requests wait before answering (`hold`), in flight, until the test opens the gate.
    held: watch::Sender<bool>,
    /// Bumped on every switch of mode, which ends every hang.
    switched: watch::Sender<u64>,
    /// Bumped on every change to the log, for `wait_until` to wake on instead of polling.
    changed: watch::Sender<u64>,
    log: Mutex<Log>,
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Counts a request in flight for its key until dropped, however the handler ends (a client that hangs up
/// may have it dropped early).
struct InFlight {
    shared: web::Data<Shared>,
    key: String,
}

impl InFlight {
    fn start(shared: web::Data<Shared>, key: String) -> Self {
        {
            let mut log = locked(&shared.log);
            let now = {
                let count = log.in_flight.entry(key.clone()).or_default();
                *count += 1;
                *count
            };
            log.max_in_flight_per_key = log.max_in_flight_per_key.max(now);
            let all: usize = log.in_flight.values().sum();
            log.max_in_flight = log.max_in_flight.max(all);
        }
        touched(&shared);
        InFlight { shared, key }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        {
            let mut log = locked(&self.shared.log);
            if let Some(count) = log.in_flight.get_mut(&self.key) {
                *count -= 1;
                if *count == 0 {
                    log.in_flight.remove(&self.key);
                }
            }
        }
        touched(&self.shared);
    }
}

/// Wakes whoever waits for the log to change.
fn touched(shared: &Shared) {
    shared.changed.send_modify(|n| *n = n.wrapping_add(1));
}

fn signature_holds(secret: &[u8], timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Some(given) = signature.strip_prefix("v1=").and_then(|hex| hex::decode(hex).ok()) else { return false };
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else { return false };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> &'a str {
    request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// Verifies a webhook as a partner does: `standardwebhooks::Webhook::verify` with the `whsec_` secret,
/// which also refuses a timestamp more than five minutes from the wall clock.
fn webhook_verifies(secret: &[u8], request: &HttpRequest, body: &[u8]) -> bool {
    let Ok(secret) = std::str::from_utf8(secret) else { return false };
    let Ok(webhook) = standardwebhooks::Webhook::new(secret) else { return false };
    let mut headers = http::HeaderMap::new();
    for (name, value) in request.headers() {
        if let (Ok(name), Ok(value)) =
            (http::HeaderName::from_bytes(name.as_str().as_bytes()), http::HeaderValue::from_bytes(value.as_bytes()))
        {
            headers.append(name, value);
        }
    }
    webhook.verify(body, &headers).is_ok()
}

async fn receive(request: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let path = request.path().to_owned();
    let Some(secret) = locked(&shared.secrets).get(&path).cloned() else {
        return HttpResponse::NotFound().finish();
    };
    let is_webhook = path.starts_with("/hooks/");
    let (key, timestamp, signed) = if is_webhook {
        let timestamp = header(&request, "webhook-timestamp").parse().ok();
        (header(&request, "webhook-id").to_owned(), timestamp, webhook_verifies(&secret, &request, &body))
    } else {
        let signed = signature_holds(
            &secret,
            header(&request, "X-Gongzhi-Timestamp"),
            &body,
            header(&request, "X-Gongzhi-Signature"),
        );
        (header(&request, "Idempotency-Key").to_owned(), None, signed)
    };
    let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    {
        let mut log = locked(&shared.log);
        let arrival = Arrival { path, key: key.clone(), timestamp, at: Instant::now(), signed, body: parsed.clone() };
        log.arrivals.push(arrival);
        if !signed {
            log.bad_signatures += 1;
        }
    }
    touched(&shared);
    if !signed {
        return HttpResponse::Unauthorized().json(json!({ "errcode": 40001, "errmsg": "invalid signature" }));
    }
    // Before the duplicate check: every endpoint is sent an event under the same `webhook-id`, and one
    // partner that is down answers nothing, even for what another partner took.
    if locked(&shared.failing).contains(request.path()) {
        return HttpResponse::ServiceUnavailable().json(json!({ "errmsg": "partner down" }));
    }
    let _in_flight = InFlight::start(shared.clone(), key.clone());
    let duplicate = || HttpResponse::Ok().json(json!({ "status": "duplicate" }));
    if already_taken(&shared, &key) {
        return duplicate();
    }
    // Held at the gate until the test opens it: answers as slow as the test needs, without a delay.
    let _ = shared.held.subscribe().wait_for(|held| !held).await;
    let to = parsed["to"].as_str().unwrap_or_default();
    if locked(&shared.refusing).contains(to) {
        return HttpResponse::Forbidden().json(json!({ "errcode": 43101, "errmsg": "user refuse to accept the msg" }));
    }
    let mode = *locked(&shared.mode);
    match mode {
        Mode::Accept => {
            if take(&shared, &key) {
                HttpResponse::Accepted().json(json!({ "status": "accepted" }))
            } else {
                duplicate()
            }
        }
        Mode::Fail => HttpResponse::ServiceUnavailable().json(json!({ "errmsg": "gateway unavailable" })),
        Mode::Hang => {
            hang(&shared).await;
            HttpResponse::ServiceUnavailable().json(json!({ "errmsg": "too late" }))
        }
        Mode::TakeThenHang => {
            take(&shared, &key);
            hang(&shared).await;
            HttpResponse::Accepted().json(json!({ "status": "accepted" }))
        }
        Mode::RateLimited { seconds } => HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", seconds.to_string()))
            .json(json!({ "errmsg": "slow down" })),
    }
}

/// True for a key already taken, counted as a duplicate.
fn already_taken(shared: &Shared, key: &str) -> bool {
    let taken = {
        let mut log = locked(&shared.log);
        let taken = log.taken.iter().any(|k| k == key);
        if taken {
            log.duplicates += 1;
        }
        taken
    };
    touched(shared);
    taken
}

/// Takes the key unless it was taken meanwhile (then counts a duplicate).
fn take(shared: &Shared, key: &str) -> bool {
    let fresh = {
        let mut log = locked(&shared.log);
        let fresh = !log.taken.iter().any(|k| k == key);
        if fresh {
            log.taken.push(key.to_owned());
        } else {
            log.duplicates += 1;
        }
        fresh
    };
    touched(shared);
    fresh
}

/// Until the mode is switched; a client that gives up first drops the request, and this with it.
async fn hang(shared: &Shared) {
    let _ = shared.switched.subscribe().changed().await;
}

pub struct FakeGateway {
    /// `http://127.0.0.1:{port}`, what the worker's `Transport::Gateway` takes.
    pub base: String,
    shared: web::Data<Shared>,
}

impl FakeGateway {
    /// A gateway taking messages (mode `Accept`) signed with `secret`.
    pub async fn start(secret: &str) -> Self {
        let shared = web::Data::new(Shared {
            secrets: Mutex::new(HashMap::from([(MESSAGES.to_owned(), secret.as_bytes().to_vec())])),
            mode: Mutex::new(Mode::Accept),
            refusing: Mutex::new(HashSet::new()),
            failing: Mutex::new(HashSet::new()),
            held: watch::Sender::new(false),
            switched: watch::Sender::new(0),
            changed: watch::Sender::new(0),
            log: Mutex::new(Log::default()),
        });
        let data = shared.clone();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind fake gateway");
        let port = listener.local_addr().expect("addr").port();
        let server =
            HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::post().to(receive)))
                .workers(2)
                .disable_signals()
                .listen(listener)
                .expect("listen")
                .run();
        tokio::spawn(server);
        FakeGateway { base: format!("http://127.0.0.1:{port}"), shared }
    }

    /// Switches the answer; every request hanging now is answered.
    pub fn set_mode(&self, mode: Mode) {
        *locked(&self.shared.mode) = mode;
        self.shared.switched.send_modify(|n| *n += 1);
    }

    /// From now on, requests wait in flight before their answer until `release`.
    pub fn hold(&self) {
        self.shared.held.send_replace(true);
    }

    /// Opens the gate: every request held is answered, and the next are not held.
    pub fn release(&self) {
        self.shared.held.send_replace(false);
    }

    /// Messages to this address are refused as WeChat refuses a template the user has not agreed to.
    pub fn refuse_consent_of(&self, address: &str) {
        locked(&self.shared.refusing).insert(address.to_owned());
    }

    /// A partner's webhook endpoint at `/hooks/{name}`, checking signatures with `secret`; returns its URL.
    pub fn add_webhook(&self, name: &str, secret: &str) -> String {
        let path = format!("/hooks/{name}");
        locked(&self.shared.secrets).insert(path.clone(), secret.as_bytes().to_vec());
        format!("{}{path}", self.base)
    }

    /// `/hooks/{name}` answers 503 to everything until `recover_webhook`, whatever the mode.
    pub fn fail_webhook(&self, name: &str) {
        locked(&self.shared.failing).insert(format!("/hooks/{name}"));
    }

    pub fn recover_webhook(&self, name: &str) {
        locked(&self.shared.failing).remove(&format!("/hooks/{name}"));
    }

    /// The URL of `/hooks/{name}` before its secret is known (the secret comes from registering it).
    pub fn webhook_url(&self, name: &str) -> String {
        format!("{}/hooks/{name}", self.base)
    }

    /// Every request that arrived, in order.
    pub fn arrivals(&self) -> Vec<Arrival> {
        locked(&self.shared.log).arrivals.clone()
    }

    /// The keys of the requests that arrived at `path`, in order, repeats included.
    pub fn received(&self, path: &str) -> Vec<String> {
        locked(&self.shared.log).arrivals.iter().filter(|a| a.path == path).map(|a| a.key.clone()).collect()
    }

    /// The keys taken, in order; each at most once.
    pub fn taken(&self) -> Vec<String> {
        locked(&self.shared.log).taken.clone()
    }

    /// Requests answered "duplicate": a key already taken.
    pub fn duplicates(&self) -> usize {
        locked(&self.shared.log).duplicates
    }

    pub fn bad_signatures(&self) -> usize {
        locked(&self.shared.log).bad_signatures
    }

    /// The most requests carrying one key that were in flight at the same moment.
    pub fn max_in_flight_per_key(&self) -> usize {
        locked(&self.shared.log).max_in_flight_per_key
    }

    /// The most requests in flight at the same moment, whatever their keys.
    pub fn max_in_flight(&self) -> usize {
        locked(&self.shared.log).max_in_flight
    }

    /// Requests in flight now.
    pub fn in_flight(&self) -> usize {
        locked(&self.shared.log).in_flight.values().sum()
    }

    /// Waits until `done` holds for the gateway, woken by each change to what it saw; true if it did.
    /// `limit` only stops a test whose condition never comes from hanging: nothing here waits for time.
    pub async fn wait_until(&self, limit: Duration, done: impl Fn(&FakeGateway) -> bool) -> bool {
        let mut changes = self.shared.changed.subscribe();
        let settled = async {
            while !done(self) {
                if changes.changed().await.is_err() {
                    return;
                }
            }
        };
        let _ = tokio::time::timeout(limit, settled).await;
        done(self)
    }
}

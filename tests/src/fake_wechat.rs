//! A fake WeChat API on loopback. The `code` decides the answer:
//! `ok:<openid>` succeeds, `err:<errcode>` fails with that code, `hang` never answers in time,
//! `garbage` answers with something that is not JSON, `noid` answers success without an openid.
//!
//! Content security (decisions 132, 137): `/cgi-bin/stable_token` (POST JSON, as WeChat takes it) issues
//! numbered access tokens good for two hours, counts its fetches and keeps the last request; `/wxa/msg_sec_check` answers `risky` for a text containing `[risky]`, `review` for
//! `[review]`, `pass` otherwise, refuses tokens it did not issue (40001), and while an outage is set
//! answers errcode -1 (`Outage::Error`) or never (`Outage::Hang`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use actix_web::{App, HttpResponse, HttpServer, web};
use serde::Deserialize;
use serde_json::json;

pub struct FakeWeChat {
    pub base: String,
    pub calls: Arc<AtomicUsize>,
    pub last_secret: Arc<std::sync::Mutex<Option<String>>>,
    content: Arc<ContentSecurity>,
}

/// How the content check misbehaves, for the tests of an unavailable check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    None = 0,
    /// errcode -1 (系统繁忙).
    Error = 1,
    /// No answer at all: the client's timeout ends the wait.
    Hang = 2,
}

#[derive(Default)]
struct ContentSecurity {
    token_fetches: AtomicUsize,
    checks: AtomicUsize,
    outage: AtomicU8,
    /// The last check's body, as sent.
    last_check: std::sync::Mutex<Option<serde_json::Value>>,
    /// The last token request's body, as sent.
    last_token_request: std::sync::Mutex<Option<serde_json::Value>>,
}

#[derive(Deserialize)]
struct TokenParams {
    grant_type: String,
    appid: String,
    secret: String,
}

#[derive(Deserialize)]
struct TokenQuery {
    access_token: String,
}

/// `getStableAccessToken`: each fetch here is a new token, as WeChat's normal mode gives one when the
/// current one is within five minutes of expiry (the only time the app asks).
async fn stable_token(content: web::Data<Arc<ContentSecurity>>, body: web::Json<serde_json::Value>) -> HttpResponse {
    *content.last_token_request.lock().expect("lock") = Some(body.0.clone());
    let Ok(params) = serde_json::from_value::<TokenParams>(body.0) else {
        return HttpResponse::Ok().json(json!({ "errcode": 47001, "errmsg": "data format error" }));
    };
    if params.grant_type != "client_credential" || params.appid.is_empty() || params.secret.is_empty() {
        return HttpResponse::Ok().json(json!({ "errcode": 40013, "errmsg": "invalid appid" }));
    }
    let n = content.token_fetches.fetch_add(1, Ordering::SeqCst) + 1;
    HttpResponse::Ok().json(json!({ "access_token": format!("token-{n}"), "expires_in": 7200 }))
}

async fn msg_sec_check(
    content: web::Data<Arc<ContentSecurity>>,
    query: web::Query<TokenQuery>,
    body: web::Json<serde_json::Value>,
) -> HttpResponse {
    content.checks.fetch_add(1, Ordering::SeqCst);
    *content.last_check.lock().expect("lock") = Some(body.0.clone());
    match content.outage.load(Ordering::SeqCst) {
        1 => return HttpResponse::Ok().json(json!({ "errcode": -1, "errmsg": "system error" })),
        2 => std::future::pending().await,
        _ => {}
    }
    let issued = content.token_fetches.load(Ordering::SeqCst);
    let known = query.access_token.strip_prefix("token-").and_then(|n| n.parse::<usize>().ok());
    if !known.is_some_and(|n| (1..=issued).contains(&n)) {
        return HttpResponse::Ok().json(json!({ "errcode": 40001, "errmsg": "invalid credential" }));
    }
    if body["version"] != 2 || body["openid"].as_str().is_none_or(str::is_empty) {
        return HttpResponse::Ok().json(json!({ "errcode": 47001, "errmsg": "data format error" }));
    }
    let text = body["content"].as_str().unwrap_or_default();
    let suggest = if text.contains("[risky]") {
        "risky"
    } else if text.contains("[review]") {
        "review"
    } else {
        "pass"
    };
    HttpResponse::Ok().json(json!({
        "errcode": 0,
        "errmsg": "ok",
        "result": { "suggest": suggest, "label": if suggest == "pass" { 100 } else { 20001 } },
        "trace_id": "fake-trace",
    }))
}

#[derive(Deserialize)]
struct Params {
    appid: String,
    secret: String,
    js_code: String,
    grant_type: String,
}

struct Shared {
    calls: Arc<AtomicUsize>,
    last_secret: Arc<std::sync::Mutex<Option<String>>>,
}

async fn jscode2session(shared: web::Data<Shared>, params: web::Query<Params>) -> HttpResponse {
    shared.calls.fetch_add(1, Ordering::SeqCst);
    *shared.last_secret.lock().expect("lock") = Some(params.secret.clone());
    if params.grant_type != "authorization_code" || params.appid.is_empty() {
        return HttpResponse::Ok().json(json!({ "errcode": 40013, "errmsg": "invalid appid" }));
    }
    let code = params.js_code.as_str();
    // WeChat really does answer JSON as text/plain.
    let text = |body: serde_json::Value| HttpResponse::Ok().content_type("text/plain").body(body.to_string());
    if let Some(openid) = code.strip_prefix("ok:") {
        return text(json!({ "openid": openid, "session_key": "c2Vzc2lvbmtleQ==", "unionid": format!("u_{openid}") }));
    }
    if let Some(errcode) = code.strip_prefix("err:") {
        let errcode: i64 = errcode.parse().unwrap_or(40029);
        return text(json!({ "errcode": errcode, "errmsg": "fake error" }));
    }
    match code {
        // An answer that never comes: the client's timeout is what ends the wait.
        "hang" => std::future::pending().await,
        "garbage" => HttpResponse::Ok().body("<html>gateway error</html>"),
        "noid" => text(json!({ "session_key": "x" })),
        _ => text(json!({ "errcode": 40029, "errmsg": "invalid code" })),
    }
}

impl FakeWeChat {
    pub async fn start() -> Self {
        let calls = Arc::new(AtomicUsize::new(0));
        let last_secret = Arc::new(std::sync::Mutex::new(None));
        let shared = web::Data::new(Shared { calls: calls.clone(), last_secret: last_secret.clone() });
        let content = Arc::new(ContentSecurity::default());
        let content_data = web::Data::new(content.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind fake WeChat");
        let port = listener.local_addr().expect("addr").port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .app_data(content_data.clone())
                .route("/sns/jscode2session", web::get().to(jscode2session))
                .route("/cgi-bin/stable_token", web::post().to(stable_token))
                .route("/wxa/msg_sec_check", web::post().to(msg_sec_check))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        tokio::spawn(server);
        Self { base: format!("http://127.0.0.1:{port}"), calls, last_secret, content }
    }

    /// How many access tokens were fetched.
    pub fn token_fetches(&self) -> usize {
        self.content.token_fetches.load(Ordering::SeqCst)
    }

    /// The last access-token request's JSON body.
    pub fn last_token_request(&self) -> Option<serde_json::Value> {
        self.content.last_token_request.lock().expect("lock").clone()
    }

    /// How many texts were sent to the content check.
    pub fn content_checks(&self) -> usize {
        self.content.checks.load(Ordering::SeqCst)
    }

    /// The last content check's request body.
    pub fn last_content_check(&self) -> Option<serde_json::Value> {
        self.content.last_check.lock().expect("lock").clone()
    }

    pub fn set_outage(&self, outage: Outage) {
        self.content.outage.store(outage as u8, Ordering::SeqCst);
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

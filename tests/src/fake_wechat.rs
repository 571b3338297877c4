//! A fake WeChat API on loopback. The `code` decides the answer:
//! `ok:<openid>` succeeds, `err:<errcode>` fails with that code, `hang` never answers in time,
//! `garbage` answers with something that is not JSON, `noid` answers success without an openid.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{App, HttpResponse, HttpServer, web};
use serde::Deserialize;
use serde_json::json;

pub struct FakeWeChat {
    pub base: String,
    pub calls: Arc<AtomicUsize>,
    pub last_secret: Arc<std::sync::Mutex<Option<String>>>,
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
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind fake WeChat");
        let port = listener.local_addr().expect("addr").port();
        let server = HttpServer::new(move || {
            App::new().app_data(shared.clone()).route("/sns/jscode2session", web::get().to(jscode2session))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        tokio::spawn(server);
        Self { base: format!("http://127.0.0.1:{port}"), calls, last_secret }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

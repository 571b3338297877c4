//! A messaging gateway that accepts every message at once (202) and counts them. It runs on its own
//! thread with its own actix system and one HTTP worker, on a loopback port chosen by the kernel.
//! Signatures are not checked: the benchmark measures the outbox, not the gateway.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;

pub struct FakeGateway {
    pub url: String,
    received: Arc<AtomicU64>,
    server: ServerHandle,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

async fn accept(received: web::Data<AtomicU64>, _body: web::Bytes) -> HttpResponse {
    received.fetch_add(1, Ordering::Relaxed);
    HttpResponse::Accepted().finish()
}

impl FakeGateway {
    pub fn start() -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").context("binding the fake gateway")?;
        let url = format!("http://{}", listener.local_addr()?);
        let received = Arc::new(AtomicU64::new(0));
        let counter = web::Data::from(received.clone());
        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new().app_data(counter.clone()).route("/v1/messages", web::post().to(accept))
                })
                .workers(1)
                .listen(listener)?
                .run();
                let _ = handle_tx.send(server.handle());
                server.await
            })
        });
        let server = handle_rx.recv().context("the fake gateway did not start")?;
        Ok(FakeGateway { url, received, server, thread: Some(thread) })
    }

    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    pub async fn stop(mut self) {
        self.server.stop(false).await;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

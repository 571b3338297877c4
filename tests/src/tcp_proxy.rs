//! A TCP proxy on loopback that a test can stop and start again on the same port, to cut an app off from a
//! service (Redis, PostgreSQL) and give it back, without touching the service itself.

use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Redis's `host:port` from a `redis://host:port[/db]` URL without credentials, for a proxy's target.
pub fn redis_address(url: &str) -> String {
    let rest = url.trim_start_matches("redis://");
    rest.split('/').next().unwrap_or(rest).to_owned()
}

pub struct TcpProxy {
    pub port: u16,
    target: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl TcpProxy {
    /// Forwards a free local port to `target` (`host:port`).
    pub async fn start(target: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("address").port();
        let proxy = Self { port, target: target.to_owned(), tasks: Arc::default() };
        proxy.serve(listener);
        proxy
    }

    fn serve(&self, listener: TcpListener) {
        let (target, tasks) = (self.target.clone(), self.tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let forward = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().expect("tasks").push(forward);
            }
        });
        self.tasks.lock().expect("tasks").push(accept);
    }

    /// Closes the port and every connection through it.
    pub fn stop(&self) {
        for task in self.tasks.lock().expect("tasks").drain(..) {
            task.abort();
        }
    }

    /// Cuts every connection and listens on the same port again at once, as a restarted server does.
    pub async fn restart(&self) {
        // A task aborted is gone only once awaited; until the accepting one is, the port is still taken.
        loop {
            let tasks: Vec<_> = self.tasks.lock().expect("tasks").drain(..).collect();
            if tasks.is_empty() {
                break;
            }
            for task in &tasks {
                task.abort();
            }
            for task in tasks {
                let _ = task.await;
            }
        }
        self.resume().await;
    }

    /// Listens on the same port again.
    pub async fn resume(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.expect("rebind proxy port");
        self.serve(listener);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.stop();
    }
}

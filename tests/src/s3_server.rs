//! A real S3-compatible server in the test process: `s3s` (the S3 protocol — SigV4 authentication, ranged
//! GETs, HEAD, PUT) over `s3s-fs` (objects as files in a temporary directory), on a loopback port. Tests
//! point the app's S3 store at it, so the store is tested against the protocol, not a mock of the crate.

use std::path::PathBuf;

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::net::TcpListener;

pub const ACCESS_KEY: &str = "gongzhi-test-access-key";
pub const SECRET_KEY: &str = "gongzhi-test-secret-key-0123456789";

pub struct S3Server {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    pub bucket: String,
    root: PathBuf,
    accepting: tokio::task::JoinHandle<()>,
}

impl S3Server {
    /// Starts the server with one empty bucket. It cannot fail for want of anything outside the process,
    /// so a failure here fails the test (under CI and elsewhere alike).
    pub async fn start() -> Self {
        let root = std::env::temp_dir().join(format!("gongzhi-s3-{}", uuid::Uuid::new_v4()));
        let bucket = "gongzhi-files".to_owned();
        std::fs::create_dir_all(root.join(&bucket)).expect("the S3 server's directory");
        let store = s3s_fs::FileSystem::new(&root).expect("the S3 server's file system");
        let service = {
            let mut builder = S3ServiceBuilder::new(store);
            builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
            builder.build()
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port for the S3 server");
        let endpoint = format!("http://{}", listener.local_addr().expect("its address"));
        let accepting = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let service = service.clone();
                tokio::spawn(async move {
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(socket), service).await;
                });
            }
        });
        Self { endpoint, bucket, root, accepting }
    }

    /// The app's settings for this server (path-style, as self-hosted servers are addressed).
    pub fn configure(&self, settings: &mut gongzhi_api::config::Settings) {
        settings.storage.endpoint = Some(self.endpoint.clone());
        settings.storage.bucket = Some(self.bucket.clone());
        settings.storage.access_key_id = Some(ACCESS_KEY.into());
        settings.storage.secret_access_key = Some(SECRET_KEY.into());
        settings.storage.path_style = true;
        settings.storage.timeout_ms = 5_000;
    }

    /// Where the server keeps an object (to check that it, not the local disk, holds the bytes).
    pub fn object_path(&self, key: &str) -> PathBuf {
        self.root.join(&self.bucket).join(key)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.accepting.abort();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

//! An S3-compatible object store (AWS S3, Aliyun OSS, Tencent COS, MinIO, Ceph…) through the `object_store`
//! crate: one bucket, keys as they are made here. Credentials are given explicitly; the store never falls
//! back to instance metadata or the environment, so a missing setting is an error at start-up rather than
//! a request to an address nobody configured.

use std::ops::Range;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ClientOptions, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};

use super::{BlobStore, BlobStream, is_plain_key};

/// What the S3 store needs (`GONGZHI_STORAGE__…`).
#[derive(Debug, Clone)]
pub struct S3Settings {
    /// `https://oss-cn-beijing.aliyuncs.com`, `http://127.0.0.1:9000`; AWS's own endpoint for the region
    /// when `None`.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// `http://endpoint/bucket/key` rather than `http://bucket.endpoint/key` (MinIO and most self-hosted
    /// servers want this).
    pub path_style: bool,
    /// Per request, so a store that stopped answering fails the upload instead of holding it.
    pub timeout: Duration,
}

pub struct S3Store {
    store: AmazonS3,
}

impl S3Store {
    pub fn new(settings: &S3Settings) -> Result<Self, object_store::Error> {
        let plain_http = settings.endpoint.as_deref().is_some_and(|endpoint| endpoint.starts_with("http://"));
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .with_virtual_hosted_style_request(!settings.path_style)
            .with_allow_http(plain_http)
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(plain_http)
                    .with_timeout(settings.timeout)
                    .with_connect_timeout(settings.timeout),
            )
            // Two quick retries of a failed request; an upload waits on this, so not the default ten over
            // three minutes.
            .with_retry(RetryConfig { max_retries: 2, retry_timeout: settings.timeout * 2, ..Default::default() });
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint_for(endpoint, &settings.bucket, settings.path_style));
        }
        Ok(Self { store: builder.build()? })
    }
}

/// The endpoint as the client wants it: for virtual-hosted requests the bucket leads the host
/// (`https://oss-cn-beijing.aliyuncs.com` → `https://gongzhi.oss-cn-beijing.aliyuncs.com`).
fn endpoint_for(endpoint: &str, bucket: &str, path_style: bool) -> String {
    let endpoint = endpoint.trim_end_matches('/');
    match endpoint.split_once("://") {
        Some((scheme, host)) if !path_style && !host.starts_with(&format!("{bucket}.")) => {
            format!("{scheme}://{bucket}.{host}")
        }
        _ => endpoint.to_owned(),
    }
}

fn path(key: &str) -> std::io::Result<Path> {
    if !is_plain_key(key) {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, "not a plain storage key"));
    }
    Path::parse(key).map_err(|err| std::io::Error::new(std::io::ErrorKind::NotFound, err))
}

#[async_trait::async_trait]
impl BlobStore for S3Store {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        // A PUT is atomic in S3: the key holds the whole file or nothing.
        self.store.put(&path(key)?, PutPayload::from(bytes.to_vec())).await?;
        Ok(())
    }

    async fn delete(&self, key: &str) -> std::io::Result<()> {
        let Ok(path) = path(key) else { return Ok(()) };
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }

    async fn size(&self, key: &str) -> std::io::Result<Option<u64>> {
        let Ok(path) = path(key) else { return Ok(None) };
        match self.store.head(&path).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    async fn get(&self, key: &str, range: Range<u64>) -> std::io::Result<BlobStream> {
        if range.is_empty() {
            return Ok(futures::stream::empty().boxed());
        }
        let options = GetOptions { range: Some(GetRange::Bounded(range)), ..Default::default() };
        let result = self.store.get_opts(&path(key)?, options).await?;
        Ok(result.into_stream().map_err(std::io::Error::from).boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::endpoint_for;

    #[test]
    fn a_virtual_hosted_endpoint_starts_with_the_bucket() {
        let oss = "https://oss-cn-beijing.aliyuncs.com";
        assert_eq!(endpoint_for(oss, "gz", false), "https://gz.oss-cn-beijing.aliyuncs.com");
        assert_eq!(
            endpoint_for("https://gz.oss-cn-beijing.aliyuncs.com/", "gz", false),
            "https://gz.oss-cn-beijing.aliyuncs.com"
        );
        assert_eq!(endpoint_for("http://127.0.0.1:9000/", "gz", true), "http://127.0.0.1:9000");
    }
}

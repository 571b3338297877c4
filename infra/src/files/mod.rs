//! Where uploaded bytes live, and the signed links that let a client fetch them. The store is a trait with
//! a local directory behind it (the embedded default) and an S3-compatible object store (production); the
//! server reads bytes back through it for `GET /files/<key>` (decision 57).

mod local_disk;
mod s3;
mod signed_link;

use std::ops::Range;

use bytes::Bytes;
use futures::stream::BoxStream;

pub use local_disk::LocalDisk;
pub use s3::{S3Settings, S3Store};
pub use signed_link::{FileLinks, LinkRefusal, SignedLink};

/// A stored file's bytes, as they come.
pub type BlobStream = BoxStream<'static, std::io::Result<Bytes>>;

/// Where uploaded bytes live. Keys are the ones `Store::save_upload` makes (`photos/<uuid>.png`); a key
/// that could name something outside the store (`..`, an empty segment) is never found.
#[async_trait::async_trait]
pub trait BlobStore: Send + Sync {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// The stored size in bytes, or `None` when nothing is stored under `key`.
    async fn size(&self, key: &str) -> std::io::Result<Option<u64>>;

    /// The bytes in `range` of what is stored under `key`, which the caller has found to hold them.
    async fn get(&self, key: &str, range: Range<u64>) -> std::io::Result<BlobStream>;

    /// Removes what is stored under `key`; nothing stored there is not an error.
    async fn delete(&self, key: &str) -> std::io::Result<()>;
}

/// Whether `key` is a relative path of plain segments (letters, digits, `.`, `_`, `-`; never `.` or `..`
/// alone), so that no store can be led outside itself by one. Every key this server makes is one.
pub fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && key.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        })
}

#[cfg(test)]
mod tests {
    use super::is_plain_key;

    #[test]
    fn only_plain_relative_keys_reach_a_store() {
        assert!(is_plain_key("photos/0197a1c2-7b3e-7000-8000-000000000000.png"));
        assert!(is_plain_key("documents/x.pdf"));
        for bad in ["", "/etc/passwd", "../secret", "photos/../../x", "photos//x", "photos/./x", "a\\b", "照片.jpg"] {
            assert!(!is_plain_key(bad), "{bad:?}");
        }
    }
}

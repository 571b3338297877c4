//! Files under a directory: the embedded default (`./data/uploads`).

use std::io::{ErrorKind, SeekFrom};
use std::ops::Range;
use std::path::PathBuf;

use bytes::Bytes;
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::{BlobStore, BlobStream, is_plain_key};

/// Read in pieces of this size, so serving a 20 MiB scan never holds it whole in memory.
const CHUNK: usize = 64 * 1024;

pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        if !is_plain_key(key) {
            return Err(std::io::Error::new(ErrorKind::NotFound, "not a plain storage key"));
        }
        Ok(self.root.join(key))
    }
}

#[async_trait::async_trait]
impl BlobStore for LocalDisk {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        // Written under a temporary name and renamed, so a crash never leaves half a photo under its key.
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await
    }

    async fn delete(&self, key: &str) -> std::io::Result<()> {
        let Ok(path) = self.path(key) else { return Ok(()) };
        match tokio::fs::remove_file(&path).await {
            Err(err) if err.kind() != ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }

    async fn size(&self, key: &str) -> std::io::Result<Option<u64>> {
        let Ok(path) = self.path(key) else { return Ok(None) };
        match tokio::fs::metadata(&path).await {
            Ok(meta) if meta.is_file() => Ok(Some(meta.len())),
            Ok(_) => Ok(None),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    async fn get(&self, key: &str, range: Range<u64>) -> std::io::Result<BlobStream> {
        let mut file = tokio::fs::File::open(self.path(key)?).await?;
        file.seek(SeekFrom::Start(range.start)).await?;
        let reader = file.take(range.end.saturating_sub(range.start));
        let chunks = futures::stream::unfold(Some(reader), |reader| async move {
            let mut reader = reader?;
            let mut buffer = vec![0; CHUNK];
            match reader.read(&mut buffer).await {
                Ok(0) => None,
                Ok(read) => {
                    buffer.truncate(read);
                    Some((Ok(Bytes::from(buffer)), Some(reader)))
                }
                // The error is the stream's last item.
                Err(err) => Some((Err(err), None)),
            }
        });
        Ok(chunks.boxed())
    }
}

#[cfg(test)]
mod tests {
    use futures::TryStreamExt;

    use super::*;

    async fn read(disk: &LocalDisk, key: &str, range: Range<u64>) -> Vec<u8> {
        let chunks: Vec<Bytes> = disk.get(key, range).await.expect("opened").try_collect().await.expect("read");
        chunks.concat()
    }

    #[tokio::test]
    async fn a_stored_file_reads_back_whole_or_in_part() {
        let root = std::env::temp_dir().join(format!("gongzhi-local-disk-{}", uuid::Uuid::new_v4()));
        let disk = LocalDisk::new(&root);
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();

        disk.put("photos/a.png", &bytes).await.expect("stored");

        assert_eq!(disk.size("photos/a.png").await.expect("size"), Some(200_000));
        assert_eq!(disk.size("photos/missing.png").await.expect("size"), None);
        assert_eq!(disk.size("../photos/a.png").await.expect("size"), None);
        assert_eq!(read(&disk, "photos/a.png", 0..200_000).await, bytes);
        assert_eq!(read(&disk, "photos/a.png", 70_000..140_001).await, bytes[70_000..140_001]);
        assert!(disk.put("../outside.png", b"x").await.is_err());
        let _ = std::fs::remove_dir_all(root);
    }
}

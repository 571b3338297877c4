//! Photo uploads: the bytes go to a blob store (local disk by default, behind a trait so object storage
//! can replace it), and a row records who uploaded which key. Topics and progress reports may only
//! attach keys their author uploaded.

use std::path::PathBuf;

use gongzhi_domain::Invalid;
use gongzhi_domain::ids::PersonId;
use gongzhi_domain::photo::{MAX_PHOTO_BYTES, PhotoKind};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use tracing::instrument;

use crate::entities::upload;
use crate::{Error, Result, Store, new_id};

/// Where uploaded bytes live.
#[async_trait::async_trait]
pub trait BlobStore: Send + Sync {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()>;
}

/// Files under a directory (the embedded default: `./data/uploads`).
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

#[async_trait::async_trait]
impl BlobStore for LocalDisk {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.root.join(key);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        // Written under a temporary name and renamed, so a crash never leaves half a photo under its key.
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub key: String,
    pub content_type: &'static str,
    pub size_bytes: usize,
}

/// Refuses keys the person did not upload.
pub(crate) async fn check_owned(db: &impl ConnectionTrait, person: PersonId, keys: &[&str]) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let owned = upload::Entity::find()
        .filter(upload::Column::PersonId.eq(person.as_uuid()))
        .filter(upload::Column::Key.is_in(keys.iter().copied()))
        .count(db)
        .await?;
    if owned as usize != keys.len() {
        return Err(Invalid::UnknownValue { field: "photos", given: keys.join(",") }.into());
    }
    Ok(())
}

impl Store {
    /// Stores a photo the person uploaded, after checking its size and that it is a photo.
    #[instrument(skip_all)]
    pub async fn save_photo(&self, person: PersonId, bytes: &[u8], blobs: &dyn BlobStore) -> Result<Upload> {
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(Invalid::TooLong { field: "photo", max: MAX_PHOTO_BYTES }.into());
        }
        let kind = PhotoKind::sniff(bytes).ok_or_else(|| Invalid::UnknownValue {
            field: "photo",
            given: "not a JPEG, PNG, WebP or HEIC image".into(),
        })?;
        let key = format!("photos/{}.{}", new_id(), kind.extension());
        blobs
            .put(&key, bytes)
            .await
            .map_err(|e| Error::Database(DbErr::Custom(format!("storing a photo failed: {e}"))))?;
        upload::ActiveModel {
            key: Set(key.clone()),
            person_id: Set(person.as_uuid()),
            content_type: Set(kind.content_type().to_owned()),
            size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
            created_at: Set(self.clock.now()),
        }
        .insert(&self.db)
        .await?;
        Ok(Upload { key, content_type: kind.content_type(), size_bytes: bytes.len() })
    }
}

//! Uploads: photos and PDF documents. The bytes go to a blob store (`files/`: local disk by default, an
//! S3-compatible store in production), and a row records who uploaded which key. Topics and progress
//! reports may only attach keys their author uploaded.

use gongzhi_domain::Invalid;
use gongzhi_domain::file_kind::UploadClass;
use gongzhi_domain::ids::PersonId;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use tracing::instrument;

use crate::entities::upload;
use crate::{Error, Result, Store, new_id};

pub use crate::files::{BlobStore, LocalDisk};

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

/// Who uploaded each of `keys`; a key nobody uploaded is refused as bad input in `field`, as a photo is.
pub(crate) async fn uploaders(
    db: &impl ConnectionTrait,
    field: &'static str,
    keys: &[&str],
) -> Result<Vec<(String, PersonId)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows = upload::Entity::find().filter(upload::Column::Key.is_in(keys.iter().copied())).all(db).await?;
    let unknown: Vec<&str> = keys.iter().copied().filter(|key| !rows.iter().any(|row| row.key == *key)).collect();
    if !unknown.is_empty() {
        return Err(Invalid::UnknownValue { field, given: unknown.join(",") }.into());
    }
    Ok(rows.into_iter().map(|row| (row.key, PersonId::from_uuid(row.person_id))).collect())
}

impl Store {
    /// Stores a photo the person uploaded, after checking its size and that it is a photo.
    pub async fn save_photo(&self, person: PersonId, bytes: &[u8], blobs: &dyn BlobStore) -> Result<Upload> {
        self.save_upload(person, UploadClass::Photo, bytes, blobs).await
    }

    /// Stores a PDF document the person uploaded (a scanned sign-in sheet, mandate or signed minutes).
    pub async fn save_document(&self, person: PersonId, bytes: &[u8], blobs: &dyn BlobStore) -> Result<Upload> {
        self.save_upload(person, UploadClass::Document, bytes, blobs).await
    }

    /// Checks the bytes are of `class` and within its limit, stores them under a new key with the kind's
    /// extension, and records who uploaded it. The bytes are stored first: a row never names missing bytes,
    /// and bytes whose row failed are only unreferenced.
    #[instrument(skip_all, fields(class = ?class, bytes = bytes.len()))]
    pub async fn save_upload(
        &self,
        person: PersonId,
        class: UploadClass,
        bytes: &[u8],
        blobs: &dyn BlobStore,
    ) -> Result<Upload> {
        let kind = class.accept(bytes).map_err(Error::Upload)?;
        let key = format!("{}/{}.{}", class.folder(), new_id(), kind.extension());
        // The API logs the cause once, where it answers INTERNAL (decision 47).
        blobs
            .put(&key, bytes)
            .await
            .map_err(|e| Error::Database(DbErr::Custom(format!("storing {key} failed: {e}"))))?;
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

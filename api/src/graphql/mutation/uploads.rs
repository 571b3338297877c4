//! Uploads as GraphQL multipart requests: photos for topics and progress reports, PDF documents for
//! minutes and paper mandates. Each is answered with its key (to attach) and a link to show it by.

use std::io::Read;

use async_graphql::{Context, Object, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use gongzhi_domain::file_kind::{UploadClass, UploadRefusal};

use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::types::file_link::FileLink;

#[derive(Default)]
pub struct UploadMutation;

/// A stored photo: attach its `key` to a topic or a progress report.
#[derive(SimpleObject)]
pub struct UploadedPhoto {
    key: String,
    content_type: String,
    size_bytes: u64,
    /// A signed link to the photo, for the uploader to preview it (see `FileLink.url`).
    url: String,
    expires_at: DateTime<Utc>,
}

/// A stored PDF document: attach its `key` to the minutes (or a paper mandate).
#[derive(SimpleObject)]
pub struct UploadedDocument {
    key: String,
    /// `application/pdf`.
    content_type: String,
    size_bytes: u64,
    /// A signed link to the document, for the uploader to check it (see `FileLink.url`).
    url: String,
    expires_at: DateTime<Utc>,
}

/// The file's bytes. The parser bounded it (`http::graphql`); it is read off the async threads.
async fn bytes_of(ctx: &Context<'_>, file: Upload) -> async_graphql::Result<Vec<u8>> {
    let value = file.value(ctx).map_err(|_| ApiError::Upload(UploadRefusal::NoFile).into_graphql())?;
    let mut content = value.content;
    tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        content.read_to_end(&mut bytes).map(|_| bytes)
    })
    .await
    .map_err(|_| ApiError::Internal.into_graphql())?
    .map_err(|err| {
        tracing::error!(error = %err, "an uploaded file could not be read back from its temporary file");
        ApiError::Internal.into_graphql()
    })
}

async fn save(ctx: &Context<'_>, class: UploadClass, file: Upload) -> async_graphql::Result<(FileLink, u64)> {
    let actor = ctx.actor().await?;
    let bytes = bytes_of(ctx, file).await?;
    let upload = ctx.store().save_upload(actor.person, class, &bytes, ctx.state().blobs.as_ref()).await.gql()?;
    Ok((FileLink::mint(ctx, &upload.key), upload.size_bytes as u64))
}

#[Object]
impl UploadMutation {
    /// Uploads one photo (JPEG, PNG, WebP or HEIC, recognised by its content; at most 5 MiB) as a GraphQL
    /// multipart request. Refused: not a photo (`BAD_USER_INPUT`, reason `NOT_A_PHOTO`), too large (HTTP
    /// 413, `PAYLOAD_TOO_LARGE`).
    async fn upload_photo(&self, ctx: &Context<'_>, file: Upload) -> async_graphql::Result<UploadedPhoto> {
        let (link, size_bytes) = save(ctx, UploadClass::Photo, file).await?;
        Ok(UploadedPhoto {
            key: link.key,
            content_type: link.content_type,
            size_bytes,
            url: link.url,
            expires_at: link.expires_at,
        })
    }

    /// Uploads one PDF document (a scanned sign-in sheet, signed minutes or a paper mandate, recognised by
    /// its content; at most 20 MiB) as a GraphQL multipart request. Refused: not a PDF (`BAD_USER_INPUT`,
    /// reason `NOT_A_PDF`), too large (HTTP 413, `PAYLOAD_TOO_LARGE`).
    async fn upload_document(&self, ctx: &Context<'_>, file: Upload) -> async_graphql::Result<UploadedDocument> {
        let (link, size_bytes) = save(ctx, UploadClass::Document, file).await?;
        Ok(UploadedDocument {
            key: link.key,
            content_type: link.content_type,
            size_bytes,
            url: link.url,
            expires_at: link.expires_at,
        })
    }
}

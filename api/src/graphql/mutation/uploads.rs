use std::io::Read;

use async_graphql::{Context, Object, SimpleObject, Upload};

use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;

#[derive(Default)]
pub struct UploadMutation;

/// A stored photo: attach its `key` to a topic or a progress report.
#[derive(SimpleObject)]
pub struct UploadedPhoto {
    key: String,
    content_type: String,
    size_bytes: u64,
}

#[Object]
impl UploadMutation {
    /// Uploads one photo (JPEG, PNG, WebP or HEIC, at most 5 MiB) as a GraphQL multipart request.
    async fn upload_photo(&self, ctx: &Context<'_>, file: Upload) -> async_graphql::Result<UploadedPhoto> {
        let actor = ctx.actor().await?;
        let value = file
            .value(ctx)
            .map_err(|_| ApiError::Bad(crate::error::BadRequest::Document("no file".into())).into_graphql())?;
        let mut content = value.content;
        // The file is at most 5 MiB (the multipart parser enforced it); read it off the async threads.
        let bytes = tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            content.read_to_end(&mut bytes).map(|_| bytes)
        })
        .await
        .map_err(|_| ApiError::Internal.into_graphql())?
        .map_err(|_| ApiError::Internal.into_graphql())?;
        let upload = ctx.store().save_photo(actor.person, &bytes, ctx.state().blobs.as_ref()).await.gql()?;
        Ok(UploadedPhoto {
            key: upload.key,
            content_type: upload.content_type.to_owned(),
            size_bytes: upload.size_bytes as u64,
        })
    }
}

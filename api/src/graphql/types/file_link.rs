//! A stored file as a client shows it: a link minted by the resolver that returned the photo or the
//! attachment, for the viewer it has already judged may see the thing the file belongs to (decision 56).

use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::file_kind::FileKind;

use crate::graphql::context::CtxExt;

/// A stored file: its key (what is attached) and a signed link to fetch it by.
#[derive(SimpleObject)]
pub struct FileLink {
    /// The storage key, as attached to the record.
    pub key: String,
    /// `…/files/<key>?exp=…&sig=…`: fetched as it is, with no token (an `<image src>` sends none), until
    /// `expiresAt`; query the record again for a new one. Answers with the file's `Content-Type`, an
    /// `ETag` (`If-None-Match` → 304) and byte ranges (`Range` → 206). The same file shown again within
    /// a few minutes gets the same link, so a client's cache of it holds.
    pub url: String,
    /// `image/jpeg`, `image/png`, `image/webp`, `image/heic` or `application/pdf`.
    pub content_type: String,
    pub expires_at: DateTime<Utc>,
}

impl FileLink {
    /// A link to `key` for whoever this request is answered to.
    pub fn mint(ctx: &Context<'_>, key: &str) -> Self {
        let origin = ctx.request().map(|request| request.origin.as_str()).unwrap_or_default();
        let link = ctx.state().links.mint(key, ctx.state().store.clock().now());
        let url = format!("{origin}{}?{}", crate::http::files::path_of(key), link.query);
        let content_type = FileKind::of_key(key).map_or("application/octet-stream", FileKind::content_type);
        Self { key: key.to_owned(), url, content_type: content_type.to_owned(), expires_at: link.expires_at }
    }

    pub fn mint_all<'k>(ctx: &Context<'_>, keys: impl IntoIterator<Item = &'k str>) -> Vec<Self> {
        keys.into_iter().map(|key| Self::mint(ctx, key)).collect()
    }
}

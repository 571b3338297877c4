//! `GET /files/<key>?exp=…&sig=…` (and `HEAD`): a stored file, to whoever holds a link a resolver minted for it
//! (decision 56). The link is checked before anything is read — signed by this server for this key, and not
//! expired by the server's clock — so a key nobody was shown, a changed one or an old link is refused with a
//! coded JSON body, in the request's language. The bytes are read through the blob store (local disk or S3)
//! and streamed, with the content type the file was recognised as, a strong `ETag` (`If-None-Match` → 304),
//! and one byte range (`Range` → 206, or 416 past the end). A person's data export (`exports/…`) is served
//! only once its download is in the access log (decision 145).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::{ErrorExtensionValues, ServerError};
use futures::StreamExt;
use gongzhi_domain::file_kind::FileKind;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::byte_range::{Wanted, resolve};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::SharedState;

/// Where links are served from.
pub const PREFIX: &str = "/files/";

#[derive(Deserialize)]
struct LinkParams {
    exp: Option<String>,
    sig: Option<String>,
}

/// The origin links start with: the configured public URL, else the one the request was sent to (through a
/// proxy, as `Forwarded`/`X-Forwarded-Host`/`X-Forwarded-Proto` say), so a client gets links to the
/// address it already reaches.
pub fn origin_of(state: &SharedState, request: &HttpRequest) -> String {
    if let Some(public) = &state.settings.storage.public_url {
        return public.trim_end_matches('/').to_owned();
    }
    let info = request.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

/// The path of the link to `key`: every byte but unreserved ones and `/` percent-encoded, so a key with
/// any visible character (a made-up attachment key) still makes one path.
pub fn path_of(key: &str) -> String {
    let mut path = String::with_capacity(PREFIX.len() + key.len());
    path.push_str(PREFIX);
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            path.push(char::from(byte));
        } else {
            path.push_str(&format!("%{byte:02X}"));
        }
    }
    path
}

fn key_of(path: &str) -> Option<String> {
    let encoded = path.strip_prefix(PREFIX)?.as_bytes();
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut i = 0;
    while i < encoded.len() {
        if encoded[i] == b'%' {
            let hex = std::str::from_utf8(encoded.get(i + 1..i + 3)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            bytes.push(encoded[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).ok()
}

/// A refusal as the GraphQL endpoint words its own: `{"errors":[{"message","extensions":{"code"}}]}`.
pub(crate) fn refuse(status: StatusCode, error: ApiError, lang: Lang) -> HttpResponse {
    error.log(Some("files"));
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", error.code().as_str());
    if let Some(reason) = error.reason() {
        extensions.set("reason", reason);
    }
    let mut server_error = ServerError::new(error.message(lang), None);
    server_error.extensions = Some(extensions);
    HttpResponse::build(status).json(serde_json::json!({ "errors": [server_error] }))
}

/// Strong: a key is never stored twice (it holds a fresh id), so its bytes never change.
fn etag_of(key: &str, size: u64) -> String {
    let digest = Sha256::digest(format!("{key}\0{size}").as_bytes());
    format!("\"{}\"", hex_of(&digest[..12]))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether an `If-None-Match` list names this ETag (weak comparison, RFC 9110 §13.1.2), or is `*`.
fn none_match(header: Option<&str>, etag: &str) -> bool {
    header.is_some_and(|list| {
        list.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
    })
}

#[utoipa::path(get, path = "/files/{key}", operation_id = "getFile", tag = "files",
    params(("key" = String, Path, description = "The storage key"),
        ("exp" = i64, Query, description = "When the link expires (Unix seconds)"),
        ("sig" = String, Query, description = "The link's signature")),
    responses(
        (status = 200, description = "The file, with its Content-Type and an ETag"),
        (status = 206, description = "A byte range (Range)"),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 403, description = "A link that is forged or expired"),
        (status = 404, description = "No such file")))]
pub async fn get(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    let headers = request.headers();
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let lang = Lang::from_accept_language(text(header::ACCEPT_LANGUAGE));
    let Some(key) = key_of(request.path()) else { return refuse(StatusCode::NOT_FOUND, ApiError::NotFound, lang) };
    let params = web::Query::<LinkParams>::from_query(request.query_string()).ok();
    let (exp, sig) = params.as_ref().map_or((None, None), |p| (p.exp.as_deref(), p.sig.as_deref()));
    let left = match state.links.check(&key, exp, sig, state.store.clock().now()) {
        Ok(left) => left,
        Err(refusal) => return refuse(StatusCode::FORBIDDEN, ApiError::FileLink(refusal), lang),
    };
    let size = match state.blobs.size(&key).await {
        Ok(Some(size)) => size,
        // A link to an attachment key nobody uploaded (minutes accept any key shaped like one).
        Ok(None) => return refuse(StatusCode::NOT_FOUND, ApiError::NotFound, lang),
        Err(err) => {
            tracing::error!(error = %err, key, "the file store did not answer");
            return refuse(StatusCode::SERVICE_UNAVAILABLE, ApiError::FileStore, lang);
        }
    };
    // A person's data export: the download is logged before a byte is served (decision 145).
    if key.starts_with(gongzhi_domain::privacy::export::DataExport::KEY_PREFIX) {
        match state.store.log_export_download(&key).await {
            Ok(()) => {}
            Err(gongzhi_infra::Error::NotFound(_)) => return refuse(StatusCode::NOT_FOUND, ApiError::NotFound, lang),
            Err(err) => {
                tracing::error!(error = %err, key, "an export's download could not be logged; not served");
                return refuse(StatusCode::INTERNAL_SERVER_ERROR, ApiError::Internal, lang);
            }
        }
    }
    let etag = etag_of(&key, size);
    let content_type = FileKind::of_key(&key).map_or("application/octet-stream", FileKind::content_type);
    // Private: the link is the access check, and a shared cache would hand the file on to others.
    let cache = format!("private, max-age={left}, immutable");
    if none_match(text(header::IF_NONE_MATCH), &etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish();
    }
    // A range of a file that changed since the client's copy would splice two files: `If-Range` guards it.
    let range = text(header::RANGE).filter(|_| text(header::IF_RANGE).is_none_or(|tag| tag == etag));
    let (status, bytes) = match resolve(range, size) {
        Wanted::Whole => (StatusCode::OK, 0..size),
        Wanted::Part(part) => (StatusCode::PARTIAL_CONTENT, part),
        Wanted::Unsatisfiable => {
            let mut response = refuse(StatusCode::RANGE_NOT_SATISFIABLE, ApiError::RangeNotSatisfiable { size }, lang);
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return response;
        }
    };
    let length = bytes.end - bytes.start;
    // HEAD tells the size and type without reading the file (actix sends the headers alone).
    let stream = if request.method() == actix_web::http::Method::HEAD {
        Ok(futures::stream::empty().boxed())
    } else {
        state.blobs.get(&key, bytes.clone()).await
    };
    let stream = match stream {
        Ok(stream) => stream,
        Err(err) => {
            tracing::error!(error = %err, key, "the file store did not answer");
            return refuse(StatusCode::SERVICE_UNAVAILABLE, ApiError::FileStore, lang);
        }
    };
    let mut response = HttpResponse::build(status);
    response
        .content_type(content_type)
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Shown, never run: a PDF or an image opens in the viewer, and nothing else is served as markup.
        .insert_header((header::CONTENT_DISPOSITION, "inline"));
    if status == StatusCode::PARTIAL_CONTENT {
        response.insert_header((header::CONTENT_RANGE, format!("bytes {}-{}/{size}", bytes.start, bytes.end - 1)));
    }
    response.no_chunking(length).streaming(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_makes_a_path_that_reads_back_as_the_key() {
        for key in ["photos/0197a1c2-7b3e.png", "minutes/sign in?.pdf", "a%2F/b#c"] {
            let path = path_of(key);
            assert!(!path[PREFIX.len()..].contains(['?', '#', ' ']), "{path}");
            assert_eq!(key_of(&path).as_deref(), Some(key));
        }
        assert_eq!(path_of("photos/a.png"), "/files/photos/a.png");
        assert_eq!(key_of("/files/%zz"), None);
        assert_eq!(key_of("/files/%4"), None);
    }

    #[test]
    fn if_none_match_names_the_etag_weakly_or_with_a_star() {
        let etag = etag_of("photos/a.png", 10);
        assert!(none_match(Some(&etag), &etag));
        assert!(none_match(Some(&format!("\"x\", W/{etag}")), &etag));
        assert!(none_match(Some("*"), &etag));
        assert!(!none_match(Some("\"x\""), &etag));
        assert!(!none_match(None, &etag));
        assert_ne!(etag, etag_of("photos/b.png", 10));
    }
}

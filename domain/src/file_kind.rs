//! What people may upload — photos (`photo.rs`) and PDF documents (scans of sign-in sheets, paper mandates,
//! signed minutes) — recognised by their content, not by the name or type a phone claims, each with its own
//! size limit. A stored file's kind is written into its key's extension when it is stored, so the kind a
//! file is served as is the kind it was recognised as.

use thiserror::Error;

use crate::photo::{MAX_PHOTO_BYTES, PhotoKind};

/// 20 MiB: a sign-in sheet or a signed mandate scanned at 300 dpi is a few MiB a page; this leaves room for
/// minutes of several pages without letting one upload hold a worker for long.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// The upload that was asked for: what the bytes must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadClass {
    Photo,
    Document,
}

impl UploadClass {
    pub const fn max_bytes(self) -> usize {
        match self {
            UploadClass::Photo => MAX_PHOTO_BYTES,
            UploadClass::Document => MAX_DOCUMENT_BYTES,
        }
    }

    /// The folder of the store its files are kept under.
    pub const fn folder(self) -> &'static str {
        match self {
            UploadClass::Photo => "photos",
            UploadClass::Document => "documents",
        }
    }

    /// Checks the bytes are of this class and within its limit, and says which kind they are.
    pub fn accept(self, bytes: &[u8]) -> Result<FileKind, UploadRefusal> {
        if bytes.len() > self.max_bytes() {
            return Err(UploadRefusal::TooLarge { class: self, max_bytes: self.max_bytes() });
        }
        let kind = match self {
            UploadClass::Photo => PhotoKind::sniff(bytes).map(FileKind::Photo),
            UploadClass::Document => is_pdf(bytes).then_some(FileKind::Pdf),
        };
        kind.ok_or(UploadRefusal::WrongKind { class: self })
    }
}

/// Why an upload was refused; nothing is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum UploadRefusal {
    #[error("a {class:?} upload is larger than {max_bytes} bytes")]
    TooLarge { class: UploadClass, max_bytes: usize },
    /// Not a JPEG, PNG, WebP or HEIC photo; or, for a document, not a PDF.
    #[error("the file is not a {class:?} of an accepted kind")]
    WrongKind { class: UploadClass },
    /// The request carried no file where one was expected.
    #[error("no file was sent")]
    NoFile,
}

impl UploadRefusal {
    /// A stable code for clients (`extensions.reason`).
    pub const fn code(self) -> &'static str {
        match self {
            UploadRefusal::TooLarge { .. } => "too_large",
            UploadRefusal::WrongKind { class: UploadClass::Photo } => "not_a_photo",
            UploadRefusal::WrongKind { class: UploadClass::Document } => "not_a_pdf",
            UploadRefusal::NoFile => "no_file",
        }
    }
}

/// A PDF starts with `%PDF-` (ISO 32000-1 §7.5.2). Readers accept the header anywhere in the first 1024
/// bytes, but every scanner and phone writes it first; a file that does not is refused rather than guessed.
fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// The kind of a stored file: what it is served as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Photo(PhotoKind),
    Pdf,
}

impl FileKind {
    const ALL: [FileKind; 5] = [
        FileKind::Photo(PhotoKind::Jpeg),
        FileKind::Photo(PhotoKind::Png),
        FileKind::Photo(PhotoKind::Webp),
        FileKind::Photo(PhotoKind::Heic),
        FileKind::Pdf,
    ];

    pub const fn content_type(self) -> &'static str {
        match self {
            FileKind::Photo(photo) => photo.content_type(),
            FileKind::Pdf => "application/pdf",
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            FileKind::Photo(photo) => photo.extension(),
            FileKind::Pdf => "pdf",
        }
    }

    /// The kind of the file stored under `key`, from the extension it was stored with; `None` for a key
    /// this server did not make (a made-up attachment key), which is then served as plain bytes.
    pub fn of_key(key: &str) -> Option<Self> {
        let (_, extension) = key.rsplit_once('.')?;
        Self::ALL.into_iter().find(|kind| kind.extension() == extension)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(extra: usize) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.resize(bytes.len() + extra, 0);
        bytes
    }

    fn pdf(size: usize) -> Vec<u8> {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.resize(size, b' ');
        bytes
    }

    #[test]
    fn a_document_must_be_a_pdf_by_its_content() {
        assert_eq!(UploadClass::Document.accept(&pdf(100)), Ok(FileKind::Pdf));
        let not_pdf = UploadClass::Document.accept(&png(10));
        assert_eq!(not_pdf, Err(UploadRefusal::WrongKind { class: UploadClass::Document }));
        assert_eq!(
            UploadClass::Document.accept(b"PDF-1.7"),
            Err(UploadRefusal::WrongKind { class: UploadClass::Document })
        );
        assert_eq!(UploadClass::Document.accept(b""), Err(UploadRefusal::WrongKind { class: UploadClass::Document }));
    }

    #[test]
    fn a_photo_slot_refuses_a_pdf_and_a_document_slot_refuses_a_photo() {
        assert_eq!(UploadClass::Photo.accept(&pdf(100)), Err(UploadRefusal::WrongKind { class: UploadClass::Photo }));
        assert_eq!(UploadClass::Photo.accept(&png(10)), Ok(FileKind::Photo(PhotoKind::Png)));
    }

    #[test]
    fn each_class_has_its_own_size_limit_at_the_byte() {
        let at_limit = pdf(MAX_DOCUMENT_BYTES);
        let over = pdf(MAX_DOCUMENT_BYTES + 1);
        assert_eq!(UploadClass::Document.accept(&at_limit), Ok(FileKind::Pdf));
        assert_eq!(
            UploadClass::Document.accept(&over),
            Err(UploadRefusal::TooLarge { class: UploadClass::Document, max_bytes: MAX_DOCUMENT_BYTES })
        );
        let photo_over = png(MAX_PHOTO_BYTES + 1 - 8);
        assert_eq!(photo_over.len(), MAX_PHOTO_BYTES + 1);
        assert_eq!(
            UploadClass::Photo.accept(&photo_over),
            Err(UploadRefusal::TooLarge { class: UploadClass::Photo, max_bytes: MAX_PHOTO_BYTES })
        );
    }

    #[test]
    fn a_stored_key_says_what_it_is_served_as() {
        assert_eq!(FileKind::of_key("photos/0197.png").map(FileKind::content_type), Some("image/png"));
        assert_eq!(FileKind::of_key("photos/0197.jpg").map(FileKind::content_type), Some("image/jpeg"));
        assert_eq!(FileKind::of_key("documents/0197.pdf").map(FileKind::content_type), Some("application/pdf"));
        assert_eq!(FileKind::of_key("minutes/scan.exe"), None);
        assert_eq!(FileKind::of_key("no-extension"), None);
    }
}

//! Photos residents attach to topics and owners to task progress: checked by their content, not by the
//! name or type a phone claims, and limited in size so a mini-program upload stays quick.

/// 5 MiB: a phone photo after WeChat's compression is far below this.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    Jpeg,
    Png,
    Webp,
    Heic,
}

impl PhotoKind {
    /// Recognises a photo by its first bytes (magic numbers).
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(PhotoKind::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(PhotoKind::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(PhotoKind::Webp),
            [_, _, _, _, b'f', b't', b'y', b'p', brand @ ..] if brand.len() >= 4 => {
                matches!(&brand[..4], b"heic" | b"heix" | b"mif1" | b"msf1").then_some(PhotoKind::Heic)
            }
            _ => None,
        }
    }

    pub const fn content_type(self) -> &'static str {
        match self {
            PhotoKind::Jpeg => "image/jpeg",
            PhotoKind::Png => "image/png",
            PhotoKind::Webp => "image/webp",
            PhotoKind::Heic => "image/heic",
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            PhotoKind::Jpeg => "jpg",
            PhotoKind::Png => "png",
            PhotoKind::Webp => "webp",
            PhotoKind::Heic => "heic",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_recognised_by_their_content() {
        assert_eq!(PhotoKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(PhotoKind::Jpeg));
        assert_eq!(PhotoKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(PhotoKind::Png));
        assert_eq!(PhotoKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(PhotoKind::Webp));
        assert_eq!(PhotoKind::sniff(b"\0\0\0\x18ftypheic\0\0"), Some(PhotoKind::Heic));
        assert_eq!(PhotoKind::sniff(b"%PDF-1.7"), None);
        assert_eq!(PhotoKind::sniff(b"<svg"), None);
        assert_eq!(PhotoKind::sniff(&[]), None);
    }
}

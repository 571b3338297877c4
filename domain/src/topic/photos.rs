//! Photos attached to a topic. The domain never sees image bytes: a photo is the opaque key under which
//! the upload was stored, and only the count limit and the key's shape are rules here.

use crate::topic::TopicError;

/// An object-storage key as the upload step returned it, e.g. `topics/2025/06/0197a1c2….jpg`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhotoKey(String);

impl PhotoKey {
    const MAX_CHARS: usize = 200;

    /// Printable ASCII without spaces, so a key is safe in URLs, logs and JSON alike.
    pub fn parse(input: &str) -> Result<Self, TopicError> {
        let valid = !input.is_empty() && input.len() <= Self::MAX_CHARS && input.chars().all(|c| c.is_ascii_graphic());
        if valid { Ok(Self(input.to_owned())) } else { Err(TopicError::PhotoKey { given: input.to_owned() }) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Up to nine photos, in the order the resident chose (a WeChat image picker's 3×3 grid), none twice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Photos(Vec<PhotoKey>);

impl Photos {
    pub const MAX: usize = 9;

    pub fn new(keys: Vec<PhotoKey>) -> Result<Self, TopicError> {
        if keys.len() > Self::MAX {
            return Err(TopicError::TooManyPhotos { max: Self::MAX });
        }
        if keys.iter().enumerate().any(|(i, key)| keys[..i].contains(key)) {
            return Err(TopicError::DuplicatePhoto);
        }
        Ok(Self(keys))
    }

    /// Parses every key, then checks the set.
    pub fn parse<S: AsRef<str>>(keys: &[S]) -> Result<Self, TopicError> {
        let keys = keys.iter().map(|key| PhotoKey::parse(key.as_ref())).collect::<Result<Vec<_>, _>>()?;
        Self::new(keys)
    }

    pub fn keys(&self) -> &[PhotoKey] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("topics/photo-{i}.jpg")).collect()
    }

    #[test]
    fn nine_photos_are_accepted() {
        assert_eq!(Photos::parse(&keys(9)).map(|p| p.len()), Ok(9));
    }

    #[test]
    fn ten_photos_are_refused() {
        assert_eq!(Photos::parse(&keys(10)), Err(TopicError::TooManyPhotos { max: 9 }));
    }

    #[test]
    fn the_same_photo_twice_is_refused() {
        assert_eq!(Photos::parse(&["a.jpg", "b.jpg", "a.jpg"]), Err(TopicError::DuplicatePhoto));
    }

    #[test]
    fn a_key_with_spaces_or_nothing_in_it_is_refused() {
        for bad in ["", "my photo.jpg", "照片.jpg", "a\nb"] {
            assert!(matches!(PhotoKey::parse(bad), Err(TopicError::PhotoKey { .. })), "{bad:?}");
        }
        assert!(PhotoKey::parse(&"k".repeat(201)).is_err());
    }
}

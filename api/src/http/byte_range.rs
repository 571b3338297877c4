//! The `Range` header of a file request (RFC 9110 §14): one range of bytes, resolved against the file's
//! size. Several ranges in one request (a multipart/byteranges answer) are not served: the whole file is,
//! which the RFC allows, and no client that resumes or seeks asks for more than one.

use std::ops::Range;

/// What a request's `Range` header asks of a file of a known size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// No range, or one this server ignores (not `bytes=`, malformed, several): the whole file, 200.
    Whole,
    /// These bytes, 206.
    Part(Range<u64>),
    /// A range that lies wholly past the end, 416.
    Unsatisfiable,
}

/// Resolves `header` (`bytes=0-499`, `bytes=500-`, `bytes=-500`) against a file of `size` bytes.
pub fn resolve(header: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return Wanted::Whole };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return Wanted::Whole };
    let (first, last) = (first.trim(), last.trim());
    let parse = |digits: &str| {
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse::<u64>().ok()).flatten()
    };
    match (first.is_empty(), parse(first), parse(last)) {
        // The last N bytes.
        (true, _, Some(suffix)) => {
            if suffix == 0 || size == 0 {
                Wanted::Unsatisfiable
            } else {
                Wanted::Part(size.saturating_sub(suffix)..size)
            }
        }
        (false, Some(start), end) if last.is_empty() || end.is_some() => {
            if end.is_some_and(|end| end < start) {
                return Wanted::Whole;
            }
            if start >= size {
                return Wanted::Unsatisfiable;
            }
            let end = end.map_or(size, |end| end.saturating_add(1).min(size));
            Wanted::Part(start..end)
        }
        _ => Wanted::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_range_is_resolved_against_the_size() {
        assert_eq!(resolve(Some("bytes=0-99"), 1000), Wanted::Part(0..100));
        assert_eq!(resolve(Some("bytes=900-"), 1000), Wanted::Part(900..1000));
        assert_eq!(resolve(Some("bytes=-100"), 1000), Wanted::Part(900..1000));
        assert_eq!(resolve(Some("bytes=-5000"), 1000), Wanted::Part(0..1000));
        assert_eq!(resolve(Some("bytes=990-5000"), 1000), Wanted::Part(990..1000), "an end past the file is the end");
        assert_eq!(resolve(Some("bytes=999-999"), 1000), Wanted::Part(999..1000));
    }

    #[test]
    fn a_range_past_the_end_cannot_be_satisfied() {
        assert_eq!(resolve(Some("bytes=1000-"), 1000), Wanted::Unsatisfiable);
        assert_eq!(resolve(Some("bytes=1000-1200"), 1000), Wanted::Unsatisfiable);
        assert_eq!(resolve(Some("bytes=-0"), 1000), Wanted::Unsatisfiable);
        assert_eq!(resolve(Some("bytes=0-"), 0), Wanted::Unsatisfiable);
    }

    #[test]
    fn what_is_not_one_byte_range_gets_the_whole_file() {
        for header in [
            None,
            Some("items=0-1"),
            Some("bytes=0-1,5-6"),
            Some("bytes=abc"),
            Some("bytes=5-1"),
            Some("bytes=-"),
            Some("bytes=1-2-3"),
            Some("bytes=+1-2"),
        ] {
            assert_eq!(resolve(header, 1000), Wanted::Whole, "{header:?}");
        }
    }
}

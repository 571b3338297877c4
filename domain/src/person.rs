//! Validated personal details, parsed once at the edge.

use crate::Invalid;

/// Longest name we accept: long enough for minority and transliterated foreign names.
const MAX_NAME_CHARS: usize = 50;

/// A one-line text of at most `MAX_CHARS` characters (see `bounded_text`), named `$field` in errors.
macro_rules! bounded_text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(input: &str) -> Result<Self, $crate::Invalid> {
                $crate::person::bounded_text($field, input, Self::MAX_CHARS).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }
    };
}
pub(crate) use bounded_text_type;

bounded_text_type!(PersonName, "name", MAX_NAME_CHARS);

/// A mainland mobile number, the contact the registers hold. Stored digits only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = digits.strip_prefix("+86").unwrap_or(&digits);
        let valid = digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit());
        if valid { Ok(Self(digits.to_owned())) } else { Err(Invalid::Phone { given: input.to_owned() }) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What staff lists show: enough to recognise, not enough to misuse.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// Trimmed, non-empty, at most `max` characters (not bytes: Chinese text is 3 bytes a character), and
/// free of control characters that would corrupt notices and exports, and of directional overrides that
/// would make it read as something else (`text_direction.rs`).
pub fn bounded_text(field: &'static str, input: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(Invalid::Required { field });
    }
    if trimmed.chars().count() > max {
        return Err(Invalid::TooLong { field, max });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Invalid::ControlCharacters { field });
    }
    crate::text_direction::refuse_direction_controls(field, trimmed)?;
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_counted_in_characters() {
        assert_eq!(PersonName::parse("  王秀英 ").map(PersonName::into_inner), Ok("王秀英".to_owned()));
        let fifty = "张".repeat(50);
        assert!(PersonName::parse(&fifty).is_ok());
        assert_eq!(PersonName::parse(&format!("{fifty}张")), Err(Invalid::TooLong { field: "name", max: 50 }));
        assert_eq!(PersonName::parse("   "), Err(Invalid::Required { field: "name" }));
        assert!(PersonName::parse("王\u{0}英").is_err());
        assert_eq!(PersonName::parse("王\u{202E}英秀"), Err(Invalid::DirectionControls { field: "name" }));
    }

    #[test]
    fn phones_accept_common_spellings_and_mask() {
        let phone = Phone::parse("+86 138-0013-8000");
        assert_eq!(phone.as_ref().map(Phone::as_str), Ok("13800138000"));
        assert_eq!(phone.map(|p| p.masked()), Ok("138****8000".to_owned()));
        for bad in ["12345", "23800138000", "1380013800a", ""] {
            assert!(Phone::parse(bad).is_err(), "{bad:?}");
        }
    }
}

//! The pipeline's free texts, each a newtype parsed once: trimmed, non-empty, bounded in characters (not
//! bytes), free of control characters and of directional overrides (`text_direction.rs`: every one of
//! these texts is read by others). Titles and names are one line; descriptions, reasons and documents
//! keep their line breaks (normalised to `\n`) and tabs, since residents write paragraphs.
//!
//! Every text deserializes through its parser, so a timeline payload read back from storage is as valid
//! as the one written.

use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::person::bounded_text;

/// Like [`bounded_text`], but keeps line breaks and tabs inside the text.
pub(crate) fn paragraphs(field: &'static str, input: &str, max: usize) -> Result<String, Invalid> {
    let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = normalised.trim();
    if trimmed.is_empty() {
        return Err(Invalid::Required { field });
    }
    if trimmed.chars().count() > max {
        return Err(Invalid::TooLong { field, max });
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Invalid::ControlCharacters { field });
    }
    crate::text_direction::refuse_direction_controls(field, trimmed)?;
    Ok(trimmed.to_owned())
}

macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident, $field:literal, $max:literal, $check:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(input: &str) -> Result<Self, Invalid> {
                $check($field, input, Self::MAX_CHARS).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Invalid;

            fn try_from(input: String) -> Result<Self, Invalid> {
                Self::parse(&input)
            }
        }

        impl From<$name> for String {
            fn from(text: $name) -> String {
                text.0
            }
        }
    };
}

text_type!(
    /// 议题标题: one line, short enough for a list row on a phone.
    TopicTitle,
    "title",
    60,
    bounded_text
);
text_type!(
    /// 议题描述: what the problem is and where.
    TopicDescription,
    "description",
    2000,
    paragraphs
);
text_type!(
    /// A free note on a step (an instruction to the property company, what was done, why a topic is
    /// withdrawn). It is as visible as the event it is attached to.
    Note,
    "note",
    500,
    paragraphs
);
text_type!(
    /// The theme of a solicitation round (征集主题), e.g. "老旧小区改造意见征集".
    RoundTheme,
    "theme",
    60,
    bounded_text
);
text_type!(
    /// A category's name in the catalogue, in one language.
    CategoryName,
    "name",
    60,
    bounded_text
);
text_type!(
    /// Someone invited to a deliberation who has no account: "王律师（某某律师事务所）".
    InviteeName,
    "invitee",
    60,
    bounded_text
);
text_type!(
    /// The decision itself (决议), as the residents read it.
    ResolutionText,
    "resolution",
    2000,
    paragraphs
);
text_type!(
    /// The minutes of the meeting that reached the resolution (会议纪要), one of the three disclosures.
    Minutes,
    "minutes",
    20000,
    paragraphs
);
text_type!(
    /// The written announcement of a major matter to all residents (书面公告), before implementation.
    AnnouncementText,
    "announcement",
    5000,
    paragraphs
);
text_type!(
    /// The published outcome and how it was implemented (居务公开).
    OutcomeSummary,
    "summary",
    5000,
    paragraphs
);

/// Why a step was taken, where the rules require one: a rejection, an escalation, a reconsideration, a
/// dispute, a reopening. The people affected read it, so an empty one is refused as
/// [`Invalid::ReasonRequired`], like a claim's rejection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reason(String);

impl Reason {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match paragraphs("reason", input, Self::MAX_CHARS) {
            Ok(text) => Ok(Self(text)),
            Err(Invalid::Required { .. }) => Err(Invalid::ReasonRequired),
            Err(other) => Err(other),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<String> for Reason {
    type Error = Invalid;

    fn try_from(input: String) -> Result<Self, Invalid> {
        Self::parse(&input)
    }
}

impl From<Reason> for String {
    fn from(reason: Reason) -> String {
        reason.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_one_line_of_at_most_sixty_characters() {
        let sixty = "停".repeat(60);
        assert_eq!(TopicTitle::parse(&format!("  {sixty} ")).map(TopicTitle::into_inner), Ok(sixty.clone()));
        assert_eq!(TopicTitle::parse(&format!("{sixty}车")), Err(Invalid::TooLong { field: "title", max: 60 }));
        assert_eq!(TopicTitle::parse("地下车库\n漏水"), Err(Invalid::ControlCharacters { field: "title" }));
        assert_eq!(TopicTitle::parse(" "), Err(Invalid::Required { field: "title" }));
    }

    #[test]
    fn a_description_keeps_its_paragraphs_with_unix_line_breaks() {
        let parsed = TopicDescription::parse("\r\n3号楼顶层漏水。\r\n\r\n已报修两次。\t无人处理。\n");
        assert_eq!(
            parsed.map(TopicDescription::into_inner),
            Ok("3号楼顶层漏水。\n\n已报修两次。\t无人处理。".to_owned())
        );
        assert_eq!(TopicDescription::parse("漏水\u{7}"), Err(Invalid::ControlCharacters { field: "description" }));
        assert_eq!(
            TopicDescription::parse("3号楼\u{2067}顶层漏水\u{2069}"),
            Err(Invalid::DirectionControls { field: "description" })
        );
    }

    #[test]
    fn a_description_of_two_thousand_characters_is_the_longest_accepted() {
        let long = "漏".repeat(2000);
        assert!(TopicDescription::parse(&long).is_ok());
        assert_eq!(
            TopicDescription::parse(&format!("{long}水")),
            Err(Invalid::TooLong { field: "description", max: 2000 })
        );
    }

    #[test]
    fn an_empty_reason_is_refused_as_a_missing_reason() {
        assert_eq!(Reason::parse(" \n "), Err(Invalid::ReasonRequired));
        assert_eq!(
            Reason::parse("不属于本社区协商范围").map(Reason::into_inner),
            Ok("不属于本社区协商范围".to_owned())
        );
    }

    #[test]
    fn texts_read_back_from_storage_are_parsed_again() {
        assert_eq!(Reason::try_from("  ".to_owned()), Err(Invalid::ReasonRequired));
        assert_eq!(Note::try_from(" 已联系 ".to_owned()).map(String::from), Ok("已联系".to_owned()));
    }
}

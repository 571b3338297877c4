//! A message's words, cut to fit WeChat subscribe-message fields. WeChat rejects a message whose field is
//! over its limit (errcode 47003), so a title of 30 characters must arrive shortened, not lost.

use chrono::{DateTime, FixedOffset, Utc};

/// The field types of WeChat subscribe-message templates that Gongzhi's templates use, with WeChat's
/// limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Any text, at most 20 characters.
    Thing,
    /// A status word: at most 5 characters (Chinese only, per WeChat; ours are fixed words).
    Phrase,
    /// A date and time, written `2026年11月22日 10:30` in China Standard Time.
    Time,
    /// Letters, digits and symbols, at most 32.
    CharacterString,
    /// Digits (and a decimal point), at most 32.
    Number,
    /// A person's name, at most 10 characters.
    Name,
}

impl FieldKind {
    /// The WeChat key prefix, as in `thing1`.
    pub const fn prefix(self) -> &'static str {
        match self {
            FieldKind::Thing => "thing",
            FieldKind::Phrase => "phrase",
            FieldKind::Time => "time",
            FieldKind::CharacterString => "character_string",
            FieldKind::Number => "number",
            FieldKind::Name => "name",
        }
    }

    pub const fn max_chars(self) -> usize {
        match self {
            FieldKind::Thing => 20,
            FieldKind::Phrase => 5,
            FieldKind::Time => 32,
            FieldKind::CharacterString | FieldKind::Number => 32,
            FieldKind::Name => 10,
        }
    }

    /// The value as WeChat accepts it: within the limit, without characters the type forbids. Free text
    /// that is cut ends in `…` so the reader sees it goes on; codes and numbers are cut bare, since an
    /// ellipsis is not a letter or a digit.
    pub fn fit(self, text: &str) -> String {
        let max = self.max_chars();
        match self {
            FieldKind::CharacterString => text.chars().filter(|c| c.is_ascii_graphic()).take(max).collect(),
            FieldKind::Number => text.chars().filter(|c| c.is_ascii_digit() || *c == '.').take(max).collect(),
            FieldKind::Thing | FieldKind::Phrase | FieldKind::Name | FieldKind::Time => {
                // Newlines and control characters would break the one-line field.
                let clean: String = text
                    .split(|c: char| c.is_control() || c.is_whitespace())
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                if clean.chars().count() <= max {
                    clean
                } else {
                    let mut cut: String = clean.chars().take(max - 1).collect();
                    cut.push('…');
                    cut
                }
            }
        }
    }
}

/// One field of a rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// WeChat's key, e.g. `thing1`.
    pub key: String,
    pub value: String,
}

/// What a notice says, before it is fitted to a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateData {
    /// What the message is about: the topic's title, the meeting's or the task's.
    pub subject: String,
    pub at: DateTime<Utc>,
    /// One more line: a reason, a place, a deadline.
    pub detail: String,
}

/// A message's fields, fitted. Every template Gongzhi registers with WeChat has the same four fields —
/// `thing1` subject, `phrase2` status, `time3` when, `thing4` detail — so one rendering serves every
/// kind and the template id alone tells them apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub fields: Vec<Field>,
}

impl Rendered {
    pub fn new(kind: super::NotificationKind, data: &TemplateData) -> Self {
        let field =
            |kind: FieldKind, n: u8, text: &str| Field { key: format!("{}{n}", kind.prefix()), value: kind.fit(text) };
        let detail = if data.detail.trim().is_empty() { "点击查看详情" } else { data.detail.as_str() };
        Rendered {
            fields: vec![
                field(FieldKind::Thing, 1, &data.subject),
                field(FieldKind::Phrase, 2, kind.phrase()),
                field(FieldKind::Time, 3, &china_time(data.at)),
                field(FieldKind::Thing, 4, detail),
            ],
        }
    }
}

/// China Standard Time: residents read times in Beijing time whatever the server's zone.
const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

pub fn china_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&CHINA).format("%Y年%m月%d日 %H:%M").to_string()
}

//! 质询: a resident of the place questions one line of a published version; the publishing party must
//! answer within the configured days, and both are public on the disclosure. Seed 002: 建立社会力量参与
//! "双晒"工作监督机制 — residents supervise what is shown. One answer per question: a second is refused.

use chrono::{DateTime, Utc};

use super::DisclosureError;
use super::content::Body;
use crate::topic::text::paragraphs;

/// A question checked against the version it is asked of.
pub fn check_question(body: &Body, line_key: &str, text: &str) -> Result<String, DisclosureError> {
    if body.line(line_key).is_none() {
        return Err(DisclosureError::NoSuchLine { key: line_key.to_owned() });
    }
    Ok(paragraphs("text", text, 500)?)
}

/// An answer to a question not yet answered.
pub fn check_answer(answered_at: Option<DateTime<Utc>>, text: &str) -> Result<String, DisclosureError> {
    if answered_at.is_some() {
        return Err(DisclosureError::AlreadyAnswered);
    }
    Ok(paragraphs("answer", text, 2000)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::content::{Line, LineCategory, Totals};

    fn body() -> Body {
        Body {
            summary: "s".into(),
            lines: vec![Line {
                key: "parking".into(),
                category: LineCategory::Service,
                label: "保洁".into(),
                amount: None,
                note: None,
            }],
            totals: Totals::default(),
            attachments: vec![],
        }
    }

    #[test]
    fn a_question_names_a_line_of_the_version() {
        assert_eq!(check_question(&body(), "parking", " 为何减少？ "), Ok("为何减少？".into()));
        assert_eq!(check_question(&body(), "x", "?"), Err(DisclosureError::NoSuchLine { key: "x".into() }));
        assert!(check_question(&body(), "parking", "  ").is_err());
    }

    #[test]
    fn a_question_is_answered_once() {
        assert_eq!(check_answer(None, "已核实"), Ok("已核实".into()));
        assert_eq!(check_answer(Some(DateTime::<Utc>::UNIX_EPOCH), "再答"), Err(DisclosureError::AlreadyAnswered));
    }
}

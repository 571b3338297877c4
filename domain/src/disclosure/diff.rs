//! What a correction changed, line by line (issue 17: "the API shows what changed line by line"). Lines are
//! matched by their key, which a correction keeps; the order is the new version's, removed lines last.

use super::content::{Body, Line};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineChange {
    Added(Line),
    Removed(Line),
    Changed { before: Line, after: Line },
}

/// The whole difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BodyDiff {
    pub lines: Vec<LineChange>,
    pub summary_changed: bool,
    pub totals_changed: bool,
    pub attachments_added: Vec<String>,
    pub attachments_removed: Vec<String>,
}

impl BodyDiff {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
            && !self.summary_changed
            && !self.totals_changed
            && self.attachments_added.is_empty()
            && self.attachments_removed.is_empty()
    }
}

pub fn diff(before: &Body, after: &Body) -> BodyDiff {
    let mut lines = Vec::new();
    for line in &after.lines {
        match before.line(&line.key) {
            None => lines.push(LineChange::Added(line.clone())),
            Some(old) if old != line => lines.push(LineChange::Changed { before: old.clone(), after: line.clone() }),
            Some(_) => {}
        }
    }
    for line in &before.lines {
        if after.line(&line.key).is_none() {
            lines.push(LineChange::Removed(line.clone()));
        }
    }
    BodyDiff {
        lines,
        summary_changed: before.summary != after.summary,
        totals_changed: before.totals != after.totals,
        attachments_added: after.attachments.iter().filter(|a| !before.attachments.contains(a)).cloned().collect(),
        attachments_removed: before.attachments.iter().filter(|a| !after.attachments.contains(a)).cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::content::{LineCategory, Totals};
    use crate::disclosure::money::Fen;

    fn line(key: &str, fen: i64) -> Line {
        Line {
            key: key.into(),
            category: LineCategory::Parking,
            label: "停车费".into(),
            amount: Fen::from_fen(fen).ok(),
            note: None,
        }
    }

    fn body(lines: Vec<Line>, income: i64) -> Body {
        Body {
            summary: "s".into(),
            lines,
            totals: Totals { income: Fen::from_fen(income).ok(), expense: None },
            attachments: vec![],
        }
    }

    #[test]
    fn a_correction_shows_the_changed_added_and_removed_lines() {
        let before = body(vec![line("a", 100), line("b", 200), line("c", 300)], 600);
        let after = body(vec![line("a", 100), line("b", 250), line("d", 50)], 400);
        let d = diff(&before, &after);
        assert_eq!(
            d.lines,
            vec![
                LineChange::Changed { before: line("b", 200), after: line("b", 250) },
                LineChange::Added(line("d", 50)),
                LineChange::Removed(line("c", 300)),
            ]
        );
        assert!(d.totals_changed);
        assert!(!d.summary_changed);
    }

    #[test]
    fn identical_versions_differ_in_nothing() {
        let b = body(vec![line("a", 1)], 1);
        assert!(diff(&b, &b.clone()).is_empty());
    }
}

//! The local word-list check: the embedded default when no WeChat checker is configured, so a demo or an
//! offline deployment still holds the plainly unacceptable back. It is deliberately small and blunt (a
//! substring match, case-folded for Latin letters): a list that flags too much would hold every neighbour's
//! post for a moderator; the configurable list lets a community add its own words (decision 131).

use super::Suggestion;

/// Words whose presence holds a text for a moderator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordList {
    words: Vec<String>,
}

/// The embedded default: fraud, gambling and drugs, the abuse most often posted in neighbourhood groups.
const DEFAULT_WORDS: &[&str] = &["赌博网站", "网络赌博", "代开发票", "办理假证", "出售枪支", "毒品交易", "刷单返利"];

impl WordList {
    /// The list from configured words (blank ones ignored); the embedded default when none is given.
    pub fn new<S: AsRef<str>>(words: &[S]) -> Self {
        let words: Vec<String> =
            words.iter().map(|w| w.as_ref().trim().to_lowercase()).filter(|w| !w.is_empty()).collect();
        if words.is_empty() { Self::embedded() } else { Self { words } }
    }

    pub fn embedded() -> Self {
        Self { words: DEFAULT_WORDS.iter().map(|w| (*w).to_owned()).collect() }
    }

    /// `Risky` when any word of the list occurs in the text, else `Pass`. Spaces and zero-width characters
    /// inside a word are ignored, since splitting a word with them is the oldest way around a list.
    pub fn check(&self, text: &str) -> Suggestion {
        let folded: String =
            text.chars().filter(|c| !c.is_whitespace() && !is_zero_width(*c)).collect::<String>().to_lowercase();
        if self.words.iter().any(|word| folded.contains(word.as_str())) { Suggestion::Risky } else { Suggestion::Pass }
    }
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_holds_a_listed_word_and_passes_ordinary_text() {
        let list = WordList::embedded();
        assert_eq!(list.check("楼下有人发赌博网站的广告"), Suggestion::Risky);
        assert_eq!(list.check("建议在3号楼前加装充电桩"), Suggestion::Pass);
    }

    #[test]
    fn a_word_split_by_spaces_or_zero_width_characters_is_still_found() {
        let list = WordList::embedded();
        assert_eq!(list.check("赌 博\u{200b}网站"), Suggestion::Risky);
    }

    #[test]
    fn a_configured_list_replaces_the_default_and_ignores_case() {
        let list = WordList::new(&["SpamWord", "  "]);
        assert_eq!(list.check("this has spamword inside"), Suggestion::Risky);
        assert_eq!(list.check("赌博网站"), Suggestion::Pass);
    }

    #[test]
    fn an_empty_configured_list_means_the_embedded_one() {
        assert_eq!(WordList::new::<&str>(&[]), WordList::embedded());
    }
}

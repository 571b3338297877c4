//! Unicode's explicit directional formatting characters, refused in every text people write for others.
//!
//! An override or embedding (U+202A–U+202E) or an isolate (U+2066–U+2069) makes text display in another
//! order than it is stored in, and one left open reverses whatever the app shows after it on the same
//! line: a title can read as another title, a name as another name, in a list of topics or on a ballot
//! (the "Trojan Source" trick, CVE-2021-42574). Nothing our people write needs them: Chinese is written
//! left to right, and a name in Arabic script (Uyghur) shows right to left on its own by the bidirectional
//! algorithm.
//!
//! Decision: the marks U+200E, U+200F and U+061C (LRM, RLM, ALM) are kept. They are invisible letters of
//! one direction with no scope: they settle where a neighbouring digit or bracket goes, and cannot reorder
//! letters or reach beyond their own text. Mixed Uyghur and Chinese text uses them to show numbers and
//! punctuation where the writer meant them, so refusing them would refuse real names and addresses.

use crate::Invalid;

/// LRE, RLE, PDF, LRO, RLO, then LRI, RLI, FSI, PDI.
pub const fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Refuses `text`, named `field` in the error, when it holds a directional override, embedding or isolate.
pub fn refuse_direction_controls(field: &'static str, text: &str) -> Result<(), Invalid> {
    if text.chars().any(is_direction_control) {
        return Err(Invalid::DirectionControls { field });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_override_embedding_and_isolate_is_refused() {
        for c in
            ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']
        {
            assert_eq!(
                refuse_direction_controls("title", &format!("电动车{c}停放")),
                Err(Invalid::DirectionControls { field: "title" }),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn marks_and_the_neighbouring_format_characters_are_kept() {
        for c in ['\u{200E}', '\u{200F}', '\u{061C}', '\u{2029}', '\u{202F}', '\u{2065}', '\u{206A}'] {
            assert_eq!(refuse_direction_controls("name", &format!("ئەخمەت{c}12")), Ok(()), "U+{:04X}", c as u32);
        }
    }
}

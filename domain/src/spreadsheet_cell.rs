//! Text that may end up in a spreadsheet cell: a CSV we write, or a value we echo back to someone who will
//! paste it into one (`gongzhi import`'s report of a bad row). A spreadsheet runs a cell that starts with
//! `=`, `+`, `-` or `@` as a formula (some first drop a leading tab or carriage return), so a name like
//! `=HYPERLINK("http://…","点我")` becomes a link, or worse, on the operator's machine (CSV injection).
//! Following OWASP's guidance, such a cell gets a leading `'`, which spreadsheets read as "this is text"
//! and do not show. A negative number becomes text too, which costs nothing here: the numbers we echo are
//! areas, and a negative area is a mistake in the file.

use std::borrow::Cow;

/// The characters a spreadsheet may read as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell`, with a `'` in front when it would start a formula; unchanged (and not copied) otherwise.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_would_start_a_formula_is_made_text() {
        for cell in ["=HYPERLINK(\"http://x\",\"点我\")", "+86 138", "-1+1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn any_other_cell_is_left_as_it_is() {
        for cell in ["王秀英", "89.56", "1单元101", "a=b", " =1", "'=1", ""] {
            assert!(matches!(neutralise(cell), Cow::Borrowed(same) if same == cell), "{cell:?}");
        }
    }
}

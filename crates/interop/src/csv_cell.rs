//! Free-text cells a spreadsheet cannot run. A cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return is read by spreadsheets as a formula (OWASP, "CSV
//! injection"): such a cell gets a leading apostrophe, which spreadsheets show as text.
//! Only free-text columns go through here: identifiers, dates and amounts are typed
//! columns that the SCDL validators check, and acta writes them itself.

use std::borrow::Cow;

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

pub fn text(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_made_text_and_the_rest_is_kept() {
        let table = [
            (
                "=HYPERLINK(\"http://x\",\"Cliquez\")",
                "'=HYPERLINK(\"http://x\",\"Cliquez\")",
            ),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("+33 1 23", "'+33 1 23"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("Chambre de Métiers", "Chambre de Métiers"),
            ("", ""),
            ("a=b", "a=b"),
        ];
        for (cell, expected) in table {
            assert_eq!(text(cell), expected);
        }
    }

    proptest! {
        #[test]
        fn no_cell_comes_out_as_a_formula(cell in ".*") {
            let out = text(&cell);
            prop_assert!(!out.starts_with(FORMULA_STARTS));
            prop_assert!(out.ends_with(cell.as_str()));
        }
    }
}

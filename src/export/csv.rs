//! CSV in two profiles. `excel`: what Swedish Excel opens right by double-click (UTF-8 with BOM,
//! `;`, decimal comma, text cells that could start a formula escaped with `'`, and codes such as
//! kommunkod `0114` written `="0114"` so that they stay text with their zeros). `rfc4180`: for
//! scripts and GIS (comma, no BOM, decimal point, cells as they are). Both end lines with CRLF.
//!
//! Why `="0114"`: a spreadsheet reads a bare `0114` (quoted or not) as the number 114. Excel
//! evaluates `="0114"` on opening to the text 0114; so does LibreOffice when it evaluates
//! formulas (`soffice --convert-to`, and its import dialog with "Utvärdera formler" ticked; the
//! dialog's default since 7.2 shows the formula as text). A leading `'` does not help: both show
//! it. `tests/export.rs` checks this with LibreOffice itself.

use super::tables::{Cell, Table};

crate::vocabulary::vocabulary!(
    /// A CSV profile (`?profil=`).
    Profile {
        Excel = "excel": "Excel (semikolon, decimalkomma, BOM)",
        Rfc4180 = "rfc4180": "RFC 4180 (komma, decimalpunkt, utan BOM)",
    }
);

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether Excel (or another spreadsheet) could read the text as a formula.
fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Whether a code is digits only, so that `="…"` around it is a harmless formula.
fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// One cell as the profile writes it. Numbers are never escaped: only text can be a formula.
pub fn field(cell: &Cell, profile: Profile) -> String {
    match (cell, profile) {
        (Cell::Code(s), Profile::Excel) if digits(s) => format!("=\"{s}\""),
        (Cell::Text(s) | Cell::Code(s), Profile::Excel) if formula_like(s) => format!("'{s}"),
        (Cell::Num(x), Profile::Excel) => x.to_string().replace('.', ","),
        (c, _) => c.plain(),
    }
}

pub fn write(table: &Table, profile: Profile) -> Vec<u8> {
    let mut out = Vec::new();
    if profile == Profile::Excel {
        out.extend_from_slice(BOM);
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(match profile {
            Profile::Excel => b';',
            Profile::Rfc4180 => b',',
        })
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|c| field(&Cell::text(c), profile))
        .collect();
    w.write_record(&header).expect("writing to memory");
    for row in &table.rows {
        w.write_record(row.cells.iter().map(|c| field(c, profile)))
            .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_escapes_text_that_could_be_a_formula_but_never_numbers() {
        for s in ["=HYPERLINK(\"x\")", "+1", "-a", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(field(&Cell::text(s), Profile::Excel), format!("'{s}"));
            assert_eq!(field(&Cell::text(s), Profile::Rfc4180), s);
        }
        assert_eq!(field(&Cell::Int(-1), Profile::Excel), "-1");
        assert_eq!(field(&Cell::Num(-0.5), Profile::Excel), "-0,5");
        assert_eq!(field(&Cell::Num(0.556), Profile::Rfc4180), "0.556");
        assert_eq!(field(&Cell::text("Götene"), Profile::Excel), "Götene");
    }

    #[test]
    fn codes_stay_text_in_excel_and_raw_in_rfc4180() {
        let code = |s: &str| Cell::Code(s.into());
        assert_eq!(field(&code("0114"), Profile::Excel), "=\"0114\"");
        assert_eq!(field(&code("01"), Profile::Excel), "=\"01\"");
        assert_eq!(field(&code("0114"), Profile::Rfc4180), "0114");
        // Only digits become a formula; anything else is text, escaped as text is.
        assert_eq!(field(&code("=1+1"), Profile::Excel), "'=1+1");
        assert_eq!(field(&code("01\"+1"), Profile::Excel), "01\"+1");
        assert_eq!(field(&code(""), Profile::Excel), "");
        // Digits in a text cell stay as they are: only codes are marked.
        assert_eq!(field(&Cell::text("2024"), Profile::Excel), "2024");
    }
}

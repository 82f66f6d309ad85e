//! XLSX (rust_xlsxwriter): one sheet per table with a frozen header row, an autofilter, numbers
//! stored as numbers and codes (kommunkod, län) as text cells, then an "Om data" sheet saying
//! what the data is and where it is from.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::tables::{Cell, Table, TableKind};

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The name of the sheet that explains the data.
pub const ABOUT_SHEET: &str = "Om data";

pub fn write(tables: &[Table], about: &[(String, String)]) -> Vec<u8> {
    build(tables, about).expect("a workbook of plain values always builds")
}

fn build(tables: &[Table], about: &[(String, String)]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let ws = wb.add_worksheet();
        ws.set_name(table.kind.label())?;
        data_sheet(ws, table, &bold)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name(ABOUT_SHEET)?;
    ws.write_string_with_format(0, 0, "Uppgift", &bold)?;
    ws.write_string_with_format(0, 1, "Värde", &bold)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (i, (k, v)) in about.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, k, &bold.clone().set_align(FormatAlign::Top))?;
        ws.write_string_with_format(row, 1, v, &wrap)?;
        // Row heights for the wrapped text: LibreOffice does not grow a row to fit on opening,
        // and a row of one line's height draws the lines of a long value over the next rows.
        ws.set_row_height(row, 15.0 * wrapped_lines(v, ABOUT_WIDTH) as f64)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, ABOUT_WIDTH as f64)?;
    wb.save_to_buffer()
}

/// The width of the "Om data" sheet's value column, in characters.
const ABOUT_WIDTH: usize = 110;

/// How many lines a text takes in a wrapped column `width` characters wide (a little less per
/// line, since proportional letters vary; at least one).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let per_line = width * 9 / 10;
    text.split('\n')
        .map(|line| line.chars().count().div_ceil(per_line).max(1))
        .sum()
}

fn data_sheet(ws: &mut Worksheet, table: &Table, bold: &Format) -> Result<(), XlsxError> {
    // Codes are text cells formatted as text (`@`), so a code typed over one stays text too.
    let text = Format::new().set_num_format("@");
    for (c, name) in table.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name, bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s)?,
                Cell::Code(s) => ws.write_string_with_format(r, c, s, &text)?,
                Cell::Int(i) => ws.write_number(r, c, *i as f64)?,
                Cell::Num(x) => ws.write_number(r, c, *x)?,
                Cell::Bool(b) => ws.write_boolean(r, c, *b)?,
            };
        }
    }
    let last_col = table.columns.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    // The matrix also keeps kommunkod and kommun in view when scrolling sideways.
    let frozen_cols = if table.kind == TableKind::Matris {
        2
    } else {
        0
    };
    ws.set_freeze_panes(1, frozen_cols)?;
    ws.autofit();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_count_line_breaks_and_long_lines() {
        assert_eq!(wrapped_lines("", 110), 1);
        assert_eq!(wrapped_lines("kort", 110), 1);
        assert_eq!(wrapped_lines("a\nb\nc", 110), 3);
        assert_eq!(wrapped_lines(&"x".repeat(150), 110), 2);
    }
}
